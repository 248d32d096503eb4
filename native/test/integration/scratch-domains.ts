/**
 * Throw-away copies of the test host's diskless VM (virtdeck-vnc) for tests that start,
 * save or define domains: unique names (prefix virtdeck-api-) so that they never collide
 * with the domains of other tests, and a cleanup that tolerates any state.
 */
import { randomBytes } from 'node:crypto'
import type { Connection } from '../../src/api/connection'
import { getDomainXml, lookupDomain } from '../../src/api/domains'
import { DomainXmlFlags } from '../../src/protocol/generated/flags.gen'
import { isNoDomain, isOperationInvalid } from '../../src/rpc/errors'

/** The test host's diskless VNC domain, the template of every copy. */
export const DISKLESS_TEMPLATE = 'virtdeck-vnc'

/** A name no other test uses: virtdeck-api-<tag>-<pid>-<random>. */
export function uniqueName(tag: string): string {
  return `virtdeck-api-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`
}

/** The template's persistent XML with another name, and without its UUID and title. */
export async function disklessXml(conn: Connection, name: string): Promise<string> {
  const template = await lookupDomain(conn, DISKLESS_TEMPLATE)
  const xml = await getDomainXml(conn, template.handle, { flags: DomainXmlFlags.INACTIVE })
  return xml
    .replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`)
    .replace(/\s*<uuid>[^<]*<\/uuid>/, '')
    .replace(/\s*<title>[^<]*<\/title>/, '')
}

/** Destroys and undefines `name` if it exists, whatever its state. */
export async function removeDomain(conn: Connection, name: string): Promise<void> {
  let dom
  try {
    dom = await lookupDomain(conn, name)
  } catch (err) {
    if (isNoDomain(err)) return
    throw err
  }
  await conn.remote.domainDestroyFlags({ dom: dom.handle, flags: 0 }).catch((err: unknown) => {
    if (!isNoDomain(err) && !isOperationInvalid(err)) throw err
  })
  await conn.remote.domainUndefineFlags({ dom: dom.handle, flags: 1 | 2 }).catch((err: unknown) => {
    if (!isNoDomain(err) && !isOperationInvalid(err)) throw err
  })
}
