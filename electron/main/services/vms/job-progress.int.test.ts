/**
 * Save progress against the system daemon: a transient diskless VM with 4 GiB of memory
 * (QEMU scans it for about 200 ms, libvirt then takes a second or two to stop the VM) is
 * saved to a file while the reporter reads libvirt's job info every 50 ms.
 */
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connect,
  createTransientDomain,
  destroyDomain,
  lookupDomain,
  saveDomain,
  type Connection,
} from '@native'
import type { VmJobProgress } from '@common/contract/vms'
import { JobProgressReporter } from './job-progress'

const NAME = `vdk-job-${process.pid}`
const SAVE_FILE = `/var/tmp/${NAME}.save`

let conn: Connection
let uuid: string

beforeAll(async () => {
  conn = await connect({ socketPath: '/var/run/libvirt/libvirt-sock', name: 'qemu:///system' })
  const vm = await createTransientDomain(
    conn,
    `<domain type='qemu'><name>${NAME}</name><memory unit='GiB'>4</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`,
  )
  uuid = vm.uuid
})

afterAll(async () => {
  const left = await lookupDomain(conn, uuid).catch(() => undefined) // saved: gone already
  if (left) await destroyDomain(conn, left.handle).catch(() => undefined)
  await conn?.close()
  rmSync(SAVE_FILE, { force: true })
  rmSync(`${SAVE_FILE}.2`, { force: true })
})

describe('JobProgressReporter', () => {
  it('reports a save’s progress from libvirt’s job info while it runs, then its end', async () => {
    const reporter = new JobProgressReporter(50)
    const reports: VmJobProgress[] = []
    reporter.onProgress((p) => reports.push(p))
    const { handle } = await lookupDomain(conn, uuid)
    const job = { hostId: 'sys', uuid, operation: 'save' as const, conn, dom: handle }
    // Two saves of the same VM at once (say, from two windows): libvirt runs one, and the
    // other finds the VM gone once it gets the job (which one goes first is libvirt's choice).
    // The bar is one, and ends once, when both have settled.
    const results = await Promise.allSettled([
      reporter.track(job, saveDomain(conn, handle, SAVE_FILE)),
      reporter.track(job, saveDomain(conn, handle, `${SAVE_FILE}.2`)),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = results.find((r) => r.status === 'rejected')!
    expect(String(refused.reason)).toMatch(/not found|not running/i)
    expect(reports.filter((r) => r.finished)).toHaveLength(1)

    const last = reports.at(-1)!
    expect(last).toMatchObject({ hostId: 'sys', uuid, operation: 'save', finished: true })
    // First at once, without numbers yet.
    expect(reports[0]).toMatchObject({ finished: false, totalBytes: 0 })
    expect(reports[0]!.fraction).toBeUndefined()
    const running = reports.slice(1, -1)
    expect(running.length).toBeGreaterThan(1)
    expect(running.every((r) => !r.finished && r.totalBytes >= 4 * 2 ** 30)).toBe(true)
    // Part-way reports while QEMU writes the memory (then 100% while libvirt stops the VM).
    expect(running.some((r) => r.fraction! > 0 && r.fraction! < 1)).toBe(true)
    const fractions = running.map((r) => r.fraction!)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(reporter.watching).toBe(0)
    reporter.dispose()
  })

  it('reports the end of a save that fails, and rejects with libvirt’s error', async () => {
    const reporter = new JobProgressReporter(50)
    const reports: VmJobProgress[] = []
    reporter.onProgress((p) => reports.push(p))
    const { handle } = await lookupDomain(conn, uuid).catch(() => ({ handle: undefined }))
    // The VM was saved (and so stopped) by the test before: libvirt refuses.
    const dom = handle ?? { name: NAME, uuid: new Uint8Array(16), id: -1 }
    const job = { hostId: 'sys', uuid, operation: 'save' as const, conn, dom }
    await expect(reporter.track(job, saveDomain(conn, dom, SAVE_FILE))).rejects.toThrow(
      /not found|not running/i,
    )
    expect(reports.map((r) => r.finished)).toEqual([false, true])
    expect(reporter.watching).toBe(0)
    reporter.dispose()
  })
})
