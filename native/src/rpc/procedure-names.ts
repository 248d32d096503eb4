/** Human-readable procedure names for messages: (program, number) -> C name. */
import {
  ADMIN_PROGRAM,
  KEEPALIVE_PROGRAM,
  LXC_PROGRAM,
  QEMU_PROGRAM,
  REMOTE_PROGRAM,
} from '../protocol/generated/constants.gen'
import { AdminProcedure } from '../protocol/generated/admin-types.gen'
import { KeepaliveProcedure } from '../protocol/generated/keepalive-types.gen'
import { LxcProcedure } from '../protocol/generated/lxc-types.gen'
import { QemuProcedure } from '../protocol/generated/qemu-types.gen'
import { RemoteProcedure } from '../protocol/generated/remote-types.gen'

const PROGRAMS = new Map<number, { prefix: string; table: Record<string, number> }>([
  [REMOTE_PROGRAM, { prefix: 'REMOTE_PROC_', table: RemoteProcedure }],
  [QEMU_PROGRAM, { prefix: 'QEMU_PROC_', table: QemuProcedure }],
  [LXC_PROGRAM, { prefix: 'LXC_PROC_', table: LxcProcedure }],
  [ADMIN_PROGRAM, { prefix: 'ADMIN_PROC_', table: AdminProcedure }],
  [KEEPALIVE_PROGRAM, { prefix: 'KEEPALIVE_PROC_', table: KeepaliveProcedure }],
])

const cache = new Map<number, Map<number, string>>()

/** `REMOTE_PROC_CONNECT_OPEN` for (REMOTE_PROGRAM, 1); `program 0x… procedure N` if unknown. */
export function procedureName(program: number, procedure: number): string {
  const p = PROGRAMS.get(program)
  if (p) {
    let names = cache.get(program)
    if (!names) {
      names = new Map(Object.entries(p.table).map(([k, v]) => [v, p.prefix + k]))
      cache.set(program, names)
    }
    const name = names.get(procedure)
    if (name !== undefined) return name
  }
  return `program 0x${program.toString(16).padStart(8, '0')} procedure ${procedure}`
}
