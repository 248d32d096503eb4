/**
 * The shape of protocol.json (see ../../shared/libvirt-protocol/README.md, section 1) and
 * the naming rules that turn libvirt's C names into TypeScript names.
 */
import { readFileSync } from 'node:fs'

/** One declaration: a struct field, a typedef target or a union arm. */
export interface Decl {
  name: string
  type: string
  type_kind: 'primitive' | 'typedef' | 'struct' | 'union' | 'enum'
  type_program?: string
  array: 'none' | 'fixed' | 'variable'
  length?: number
  length_const?: string
  max?: number | null
  max_const?: string
  unbounded?: boolean
  optional: boolean
}

/** A named constant of a program. */
export interface ConstantDef {
  name: string
  value: number
  expr?: string
}

/** An XDR enum. */
export interface EnumDef {
  name: string
  members: { name: string; value: number }[]
  is_procedure_enum?: boolean
}

/** An XDR typedef. */
export interface TypedefDef {
  name: string
  decl: Decl
}

/** An XDR struct, fields in wire order. */
export interface StructDef {
  name: string
  fields: Decl[]
}

/** An XDR discriminated union. */
export interface UnionDef {
  name: string
  discriminant: Decl
  cases: { values: { name: string; value: number }[]; arm: Decl }[]
  has_default: boolean
  default?: Decl
}

/** One procedure of a program (a call, an event or a keepalive message). */
export interface ProcedureDef {
  name: string
  id: string
  number: number
  kind: 'call' | 'event' | 'keepalive'
  args?: string | null
  ret?: string | null
  msg?: string | null
  priority?: string
  annotations: Record<string, unknown>
  stream: { direction: string; note?: string } | null
  fd_passing?: { call_fds: string; reply_fds: string }
  live_daemon?: { known: boolean; how: string }
}

/** One program of protocol.json. */
export interface ProgramDef {
  name: string
  source_file: string
  program: number | null
  program_hex?: string
  program_const?: string
  version?: number
  version_const?: string
  constants: ConstantDef[]
  enums: EnumDef[]
  typedefs: TypedefDef[]
  structs: StructDef[]
  unions: UnionDef[]
  procedures: ProcedureDef[]
  source_note: string
}

/** One event of an event family. */
export interface EventDef {
  event_id: number | null
  label: string
  procedure: string
  number: number
  program: string
  msg: string
}

/** An event family: register/deregister procedures and the events they deliver. */
export interface EventFamily {
  object: string
  register: string
  deregister: string
  program: string
  events: EventDef[]
  lifecycle_event_codes?: Record<string, string>
}

/** The whole protocol.json. */
export interface Protocol {
  external_constants: Record<string, { value: number; origin: string }>
  type_index: Record<string, { kind: string; program: string }>
  programs: Record<string, ProgramDef>
  event_families: EventFamily[]
  live_daemon: { libvirt_version: string }
}

/** Programs in the order files are generated. */
export const PROGRAM_ORDER = ['virnet', 'keepalive', 'remote', 'qemu', 'lxc', 'admin'] as const

/** Reads protocol.json. */
export function loadProtocol(path: string): Protocol {
  return JSON.parse(readFileSync(path, 'utf8')) as Protocol
}

/** Names that would shadow a JavaScript global or a TypeScript utility type. */
const RESERVED = new Set([
  'Array',
  'Boolean',
  'Date',
  'Error',
  'Function',
  'Map',
  'Number',
  'Object',
  'Promise',
  'Record',
  'RegExp',
  'Set',
  'String',
  'Symbol',
])

/** `connect_get_hostname` -> `ConnectGetHostname`. */
export function pascal(snake: string): string {
  return snake
    .split('_')
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')
}

/** `connect_get_hostname` -> `connectGetHostname`. */
export function camel(snake: string): string {
  const p = pascal(snake)
  return p[0]!.toLowerCase() + p.slice(1)
}

/**
 * The TypeScript name of a named XDR type of `program`:
 * - remote types drop `remote_` (`remote_nonnull_domain` -> `NonnullDomain`), unless the
 *   result would shadow a global (`remote_error` -> `RemoteError`, `remote_string` ->
 *   `RemoteString`);
 * - virnet types drop `vir` (`virNetMessageHeader` -> `NetMessageHeader`);
 * - qemu, lxc, admin and keepalive types keep their program as a prefix
 *   (`qemu_domain_monitor_command_args` -> `QemuDomainMonitorCommandArgs`);
 * - procedure enums are `<Program>Procedure` (`RemoteProcedure`).
 */
export function typeName(program: string, cName: string, isProcedureEnum = false): string {
  if (isProcedureEnum) return `${pascal(program)}Procedure`
  if (program === 'virnet') return cName.replace(/^vir/, '')
  if (program === 'remote') {
    const short = pascal(cName.replace(/^remote_/, ''))
    return RESERVED.has(short) ? pascal(cName) : short
  }
  return pascal(cName)
}

/** The method name of a call: `connect_get_hostname` / `qemu` -> `qemuConnectGetHostname`. */
export function methodName(program: string, id: string): string {
  return program === 'remote' ? camel(id) : camel(`${program}_${id}`)
}

/**
 * Member names of an enum: the longest prefix shared by all members (cut at `_`) is
 * dropped, so `REMOTE_AUTH_NONE` -> `NONE` and `REMOTE_PROC_CONNECT_OPEN` -> `CONNECT_OPEN`.
 * A member never becomes empty or starts with a digit.
 */
export function enumMemberNames(e: EnumDef, program: string): string[] {
  const names = e.members.map((m) => m.name)
  let prefix: string
  if (e.is_procedure_enum) {
    prefix = `${program.toUpperCase()}_PROC_`
  } else {
    prefix = names[0] ?? ''
    for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1)
    prefix = prefix.slice(0, prefix.lastIndexOf('_') + 1)
  }
  const out = names.map((n) => (n.startsWith(prefix) ? n.slice(prefix.length) : n))
  if (out.some((n) => n.length === 0 || /^\d/.test(n))) return names
  return out
}

/** Looks up named types across programs. */
export class TypeTable {
  private readonly typedefs = new Map<string, TypedefDef>()
  private readonly structs = new Map<string, StructDef>()
  private readonly unions = new Map<string, UnionDef>()
  private readonly enums = new Map<string, EnumDef>()
  private readonly programOf = new Map<string, string>()

  constructor(readonly protocol: Protocol) {
    for (const name of PROGRAM_ORDER) {
      const p = protocol.programs[name]
      if (!p) throw new Error(`protocol.json has no program ${name}`)
      for (const t of p.typedefs) this.add(this.typedefs, t.name, t, name)
      for (const s of p.structs) this.add(this.structs, s.name, s, name)
      for (const u of p.unions) this.add(this.unions, u.name, u, name)
      for (const e of p.enums) this.add(this.enums, e.name, e, name)
    }
  }

  private add<T>(map: Map<string, T>, key: string, value: T, program: string): void {
    if (this.programOf.has(key)) throw new Error(`type ${key} defined twice`)
    map.set(key, value)
    this.programOf.set(key, program)
  }

  /** The program that defines a named type. */
  program(cName: string): string {
    const p = this.programOf.get(cName)
    if (p === undefined) throw new Error(`unknown type ${cName}`)
    return p
  }

  /** The TypeScript name of a named type. */
  tsName(cName: string): string {
    const e = this.enums.get(cName)
    return typeName(this.program(cName), cName, e?.is_procedure_enum === true)
  }

  /** A typedef by C name. */
  typedef(cName: string): TypedefDef {
    const t = this.typedefs.get(cName)
    if (!t) throw new Error(`unknown typedef ${cName}`)
    return t
  }

  /** A struct by C name. */
  struct(cName: string): StructDef {
    const s = this.structs.get(cName)
    if (!s) throw new Error(`unknown struct ${cName}`)
    return s
  }

  /** Whether a C name is a struct. */
  isStruct(cName: string): boolean {
    return this.structs.has(cName)
  }
}

/** Module specifier (relative to the generated folder) of a program's types. */
export function typesModule(program: string): string {
  return `./${program}-types.gen`
}

/** Module specifier (relative to the generated folder) of a program's codecs. */
export function codecsModule(program: string): string {
  return `./${program}-codecs.gen`
}

/** Module specifier of the generated constants. */
export const CONSTANTS_MODULE = './constants.gen'
