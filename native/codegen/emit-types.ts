/**
 * Emits `<program>-types.gen.ts`: a TypeScript type for every enum, typedef, struct and
 * union of one program.
 *
 * Mapping: int, unsigned int, char, short (and their unsigned forms), float, double ->
 * number; hyper and unsigned hyper -> bigint (always, so no value above 2^53 is ever
 * rounded); bool -> boolean; string -> string; opaque -> Uint8Array; arrays -> T[];
 * optional data (`T *x`) -> T | null; enums used as field types -> number (libvirt's C
 * decoder does not reject unknown enum values either; the enum's const object names them).
 */
import { docComment, FileBuilder } from './file-builder'
import {
  enumMemberNames,
  typeName,
  typesModule,
  type Decl,
  type EnumDef,
  type ProgramDef,
  type StructDef,
  type TypeTable,
  type UnionDef,
} from './model'

const NUMBER_PRIMITIVES = new Set([
  'int',
  'unsigned int',
  'char',
  'unsigned char',
  'short',
  'unsigned short',
  'float',
  'double',
])

/** The TypeScript type of a declaration, importing named types of other programs. */
export function tsType(decl: Decl, program: string, types: TypeTable, f: FileBuilder): string {
  let t: string
  if (decl.type_kind === 'primitive') {
    if (decl.type === 'opaque') return optional(decl, 'Uint8Array')
    if (decl.type === 'string') return optional(decl, 'string')
    if (NUMBER_PRIMITIVES.has(decl.type)) t = 'number'
    else if (decl.type === 'hyper' || decl.type === 'unsigned hyper') t = 'bigint'
    else if (decl.type === 'bool') t = 'boolean'
    else if (decl.type === 'void') t = 'undefined'
    else throw new Error(`unsupported primitive ${decl.type} in ${decl.name}`)
  } else if (decl.type_kind === 'enum') {
    t = 'number'
  } else {
    t = types.tsName(decl.type)
    const owner = types.program(decl.type)
    if (owner !== program) f.type(typesModule(owner), t)
  }
  if (decl.array !== 'none') t = `${t}[]`
  return optional(decl, t)
}

function optional(decl: Decl, t: string): string {
  return decl.optional ? `${t} | null` : t
}

/** A short note on a field whose TypeScript type hides something of the wire format. */
function fieldNote(decl: Decl, types: TypeTable): string | undefined {
  if (decl.type_kind === 'enum') return `enum ${types.tsName(decl.type)}`
  if (decl.type === 'char' || decl.type === 'unsigned char') {
    return decl.array === 'none'
      ? `${decl.type} (4 bytes on the wire)`
      : `${decl.type} array: one 4-byte int per element on the wire`
  }
  if (decl.type === 'short' || decl.type === 'unsigned short') return `${decl.type} (4 bytes)`
  return undefined
}

function emitEnum(e: EnumDef, program: string, f: FileBuilder): void {
  const name = typeName(program, e.name, e.is_procedure_enum === true)
  const members = enumMemberNames(e, program)
  const doc = e.is_procedure_enum
    ? `Procedure numbers of the ${program} program (${e.name}).`
    : `${e.name} values.`
  f.push(docComment(doc), `export const ${name} = {`)
  e.members.forEach((m, i) => f.push(`  ${members[i]}: ${m.value},`))
  f.push('} as const', docComment(`One of the {@link ${name}} values.`))
  f.push(`export type ${name} = (typeof ${name})[keyof typeof ${name}]`, '')
}

function emitStruct(s: StructDef, program: string, types: TypeTable, f: FileBuilder): void {
  f.push(docComment(`${s.name}`), `export interface ${types.tsName(s.name)} {`)
  for (const field of s.fields) {
    const note = fieldNote(field, types)
    if (note) f.push(`  ${docComment(note)}`)
    f.push(`  ${field.name}: ${tsType(field, program, types, f)}`)
  }
  f.push('}', '')
}

function emitUnion(u: UnionDef, program: string, types: TypeTable, f: FileBuilder): void {
  const d = u.discriminant.name
  const arms: string[] = []
  for (const c of u.cases) {
    const tag = c.values.map((v) => String(v.value)).join(' | ')
    const names = c.values.map((v) => v.name).join(', ')
    const arm = c.arm.type === 'void' ? '' : `; ${c.arm.name}: ${tsType(c.arm, program, types, f)}`
    arms.push(`  | ${docComment(names)} { ${d}: ${tag}${arm} }`)
  }
  if (u.has_default && u.default) {
    const arm =
      u.default.type === 'void'
        ? ''
        : `; ${u.default.name}: ${tsType(u.default, program, types, f)}`
    arms.push(`  | { ${d}: number${arm} }`)
  }
  f.push(docComment(`${u.name}: discriminated by \`${d}\`.`))
  f.push(`export type ${types.tsName(u.name)} =`, ...arms, '')
}

/** Builds the types file of one program. */
export function emitTypes(p: ProgramDef, types: TypeTable, header: string): FileBuilder {
  const f = new FileBuilder(header, `Types of the ${p.name} program (${p.source_file}).`)
  for (const e of p.enums) emitEnum(e, p.name, f)
  for (const t of p.typedefs) {
    f.push(docComment(`typedef ${t.name}`))
    f.push(`export type ${types.tsName(t.name)} = ${tsType(t.decl, p.name, types, f)}`, '')
  }
  for (const s of p.structs) emitStruct(s, p.name, types, f)
  for (const u of p.unions) emitUnion(u, p.name, types, f)
  return f
}
