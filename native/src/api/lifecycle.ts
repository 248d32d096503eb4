/**
 * Domain lifecycle: start / create, shutdown, reboot, reset, destroy, suspend / resume,
 * save / restore to a file, managed save, autostart. Thin wrappers over the generated calls;
 * each takes the flags of its libvirt call in `options.flags` (the generated header-fact
 * objects, OR-ed) plus the usual signal / deadline. All of them return once the daemon has
 * done (or, for shutdown and reboot, asked the guest to do) the work; the state change itself
 * is reported by the lifecycle event.
 */
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import type { DomainSummary } from './connection'
import { domainSummary, type FlagOptions } from './domains'
import type { HasRemote } from './host'

/** Options of {@link saveDomain} and {@link restoreDomain}. */
export interface SaveOptions extends FlagOptions {
  /** Replacement domain XML stored in (save) or used from (restore) the image. */
  xml?: string
}

/**
 * Starts a defined domain (DOMAIN_CREATE_WITH_FLAGS) and returns it with its new id.
 * @param options.flags DomainCreateFlags: PAUSED, AUTODESTROY, BYPASS_CACHE, FORCE_BOOT,
 *   RESET_NVRAM
 */
export async function startDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<DomainSummary> {
  const r = await conn.remote.domainCreateWithFlags({ dom, flags: options.flags ?? 0 }, options)
  return domainSummary(r.dom)
}

/**
 * Creates and starts a transient domain from XML (DOMAIN_CREATE_XML); it disappears when
 * it stops.
 * @param options.flags DomainCreateFlags: PAUSED, AUTODESTROY, VALIDATE ...
 */
export async function createTransientDomain(
  conn: HasRemote,
  xml: string,
  options: FlagOptions = {},
): Promise<DomainSummary> {
  const r = await conn.remote.domainCreateXml({ xml_desc: xml, flags: options.flags ?? 0 }, options)
  return domainSummary(r.dom)
}

/**
 * Asks the guest to shut down (DOMAIN_SHUTDOWN_FLAGS); it may ignore the request.
 * @param options.flags DomainShutdownFlags: ACPI_POWER_BTN, GUEST_AGENT, INITCTL, SIGNAL,
 *   PARAVIRT; 0 lets the driver choose
 */
export async function shutdownDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainShutdownFlags({ dom, flags: options.flags ?? 0 }, options)
}

/**
 * Asks the guest to reboot (DOMAIN_REBOOT).
 * @param options.flags DomainRebootFlags (the same methods as shutdown)
 */
export async function rebootDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainReboot({ dom, flags: options.flags ?? 0 }, options)
}

/** Resets the virtual hardware at once, like the reset button (DOMAIN_RESET). */
export async function resetDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<void> {
  await conn.remote.domainReset({ dom, flags: 0 }, options)
}

/**
 * Stops the domain at once, like pulling the plug (DOMAIN_DESTROY_FLAGS). A transient
 * domain is gone afterwards.
 * @param options.flags DomainDestroyFlags: GRACEFUL (SIGTERM only, no SIGKILL),
 *   REMOVE_LOGS
 */
export async function destroyDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainDestroyFlags({ dom, flags: options.flags ?? 0 }, options)
}

/** Pauses the guest's vCPUs; memory stays allocated (DOMAIN_SUSPEND). */
export async function suspendDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<void> {
  await conn.remote.domainSuspend({ dom }, options)
}

/** Resumes a suspended guest (DOMAIN_RESUME). */
export async function resumeDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<void> {
  await conn.remote.domainResume({ dom }, options)
}

/**
 * Saves the running domain's memory to `path` on the daemon's host and stops it
 * (DOMAIN_SAVE_FLAGS).
 * @param options.flags DomainSaveRestoreFlags: BYPASS_CACHE, RUNNING / PAUSED (the state
 *   to restore into)
 */
export async function saveDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  path: string,
  options: SaveOptions = {},
): Promise<void> {
  await conn.remote.domainSaveFlags(
    { dom, to: path, dxml: options.xml ?? null, flags: options.flags ?? 0 },
    options,
  )
}

/**
 * Starts a domain again from a file written by {@link saveDomain} (DOMAIN_RESTORE_FLAGS).
 * @param options.flags DomainSaveRestoreFlags: BYPASS_CACHE, RUNNING / PAUSED, RESET_NVRAM
 */
export async function restoreDomain(
  conn: HasRemote,
  path: string,
  options: SaveOptions = {},
): Promise<void> {
  await conn.remote.domainRestoreFlags(
    { from: path, dxml: options.xml ?? null, flags: options.flags ?? 0 },
    options,
  )
}

/**
 * Saves to the daemon's own managed file; the next start resumes from it
 * (DOMAIN_MANAGED_SAVE).
 * @param options.flags DomainSaveRestoreFlags: BYPASS_CACHE, RUNNING / PAUSED
 */
export async function managedSave(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainManagedSave({ dom, flags: options.flags ?? 0 }, options)
}

/** Whether a managed save image exists (DOMAIN_HAS_MANAGED_SAVE_IMAGE). */
export async function hasManagedSave(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<boolean> {
  return (await conn.remote.domainHasManagedSaveImage({ dom, flags: 0 }, options)).result !== 0
}

/** Deletes the managed save image; the next start boots afresh (DOMAIN_MANAGED_SAVE_REMOVE). */
export async function removeManagedSave(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<void> {
  await conn.remote.domainManagedSaveRemove({ dom, flags: 0 }, options)
}

/** Whether the domain starts with the host (DOMAIN_GET_AUTOSTART). */
export async function getAutostart(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<boolean> {
  return (await conn.remote.domainGetAutostart({ dom }, options)).autostart !== 0
}

/** Sets whether the domain starts with the host (DOMAIN_SET_AUTOSTART; persistent only). */
export async function setAutostart(
  conn: HasRemote,
  dom: NonnullDomain,
  autostart: boolean,
  options?: CallOptions,
): Promise<void> {
  await conn.remote.domainSetAutostart({ dom, autostart: autostart ? 1 : 0 }, options)
}
