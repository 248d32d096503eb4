import { writeFile } from 'node:fs/promises'
import {
  DomainXmlFlags,
  getDomainXml,
  isOperationDenied,
  lookupDomain,
  screenshot,
  type Connection,
  type NonnullDomain,
} from '@native'
import type { ServiceImpl } from '@common/contract/define'
import {
  SCREENSHOT_MAX_BYTES,
  type graphics,
  type GraphicsDescription,
  type VncProblem,
} from '@common/contract/graphics'
import type { ConnectionManager } from '../hosts/connection-manager'
import { HostNotConnectedError } from '../vms/vms-service'
import { GraphicsUnavailableError, type GraphicsEndpointOpener } from './endpoint-opener'
import { parseGraphics, publicDevice, type GraphicsDeviceXml } from './graphics-xml'
import { screenshotFileName, screenshotToPng } from './screenshot-png'
import type { VncChannels } from './vnc-channels'
import { describeEndpoint, vncTarget } from './vnc-endpoint'

/** What each VncProblem means, for the error message (the page shows its own words). */
const PROBLEM_TEXT: Record<VncProblem, string> = {
  'no-graphics': 'This VM has no graphical display. Use the serial console.',
  'spice-only': 'This VM has a SPICE display only, no VNC. Use the serial console.',
  'unsupported-graphics': 'This VM has no VNC display. Use the serial console.',
  'not-running': 'The VM is not running, so its display is off.',
  'no-listener': 'The VM’s VNC display does not listen on an address or socket.',
  'remote-host':
    'This host is not on this machine: the graphical console of remote hosts arrives with ' +
    'SSH hosts.',
}

/** States in which QEMU runs and its display server answers. */
const INACTIVE_STATES = new Set(['SHUTOFF', 'CRASHED', 'NOSTATE'])

/** A VM's displays (password included when the connection may read it) and whether it runs. */
async function displaysOf(
  conn: Connection,
  dom: NonnullDomain,
  signal: AbortSignal,
): Promise<{ devices: GraphicsDeviceXml[]; active: boolean }> {
  const secureXml = getDomainXml(conn, dom, { flags: DomainXmlFlags.SECURE, signal }).catch(
    (err: unknown) => {
      // A read-only connection may not see passwords; the page then asks for one.
      if (isOperationDenied(err)) return getDomainXml(conn, dom, { signal })
      throw err
    },
  )
  const [xml, state] = await Promise.all([secureXml, conn.domainState(dom, { signal })])
  return { devices: parseGraphics(xml), active: !INACTIVE_STATES.has(state.stateName) }
}

/** Implements the graphics contract: displays, VNC channels and screenshots. */
export function createGraphicsService(
  connections: ConnectionManager,
  channels: VncChannels,
  opener: GraphicsEndpointOpener,
): ServiceImpl<typeof graphics.spec> {
  const connected = (hostId: string): Connection => {
    const conn = connections.connection(hostId)
    if (!conn) throw new HostNotConnectedError('The host is not connected.')
    return conn
  }
  return {
    async describe({ hostId, uuid }, { signal }): Promise<GraphicsDescription> {
      const conn = connected(hostId)
      const { handle } = await lookupDomain(conn, uuid, { signal })
      const { devices, active } = await displaysOf(conn, handle, signal)
      const target = vncTarget(devices, active)
      const vncProblem = !target.ok
        ? target.problem
        : opener.canOpen(hostId)
          ? undefined
          : 'remote-host'
      return {
        active,
        devices: devices.map(publicDevice),
        ...(vncProblem && { vncProblem }),
      }
    },

    async openVnc({ hostId, uuid }, { signal }) {
      const conn = connected(hostId)
      const { handle } = await lookupDomain(conn, uuid, { signal })
      const { devices, active } = await displaysOf(conn, handle, signal)
      const target = vncTarget(devices, active)
      if (!target.ok)
        throw new GraphicsUnavailableError(target.problem, PROBLEM_TEXT[target.problem])
      const socket = await opener.openGraphicsSocket(hostId, target.endpoint, signal)
      const endpoint = describeEndpoint(target.endpoint)
      const ticket = channels.offer(socket, endpoint)
      return { ticket, endpoint, ...(target.password && { password: target.password }) }
    },

    async screenshot({ hostId, uuid, screen, path, overwrite }, { signal }) {
      const conn = connected(hostId)
      const { handle, name } = await lookupDomain(conn, uuid, { signal })
      const shot = await screenshot(conn, handle, screen ?? 0, {
        signal,
        timeoutMs: 30_000,
        maxBytes: SCREENSHOT_MAX_BYTES,
      })
      const { png, width, height } = screenshotToPng(shot.mime, shot.data)
      const fileName = screenshotFileName(name, new Date())
      const facts = { fileName, width, height, size: png.length }
      if (path === undefined) return { ...facts, pngBase64: png.toString('base64') }
      await writeFile(path, png, { flag: overwrite ? 'w' : 'wx', mode: 0o644 }).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'EEXIST') {
            throw new GraphicsFileExistsError(`${path} already exists; choose another name.`)
          }
          throw err
        },
      )
      return { ...facts, savedTo: path }
    },
  }
}

/** A screenshot would replace an existing file. */
export class GraphicsFileExistsError extends Error {
  override readonly name = 'GraphicsFileExistsError'
  readonly code = 'file-exists'
}
