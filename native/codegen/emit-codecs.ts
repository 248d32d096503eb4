/**
 * Emits `<program>-codecs.gen.ts`: an `encodeXxx(w, value)` and a `decodeXxx(r)` for every
 * typedef, struct and union of one program, as straight-line calls on XdrWriter and
 * XdrReader. Typedefs are expanded inline where a field uses them (so a field of type
 * remote_nonnull_string becomes `r.string(REMOTE_STRING_MAX)`); structs and unions are
 * function calls. Every maximum length is passed to the reader and the writer, so it is
 * enforced both ways.
 */
import { docComment, FileBuilder } from './file-builder'
import {
  CONSTANTS_MODULE,
  codecsModule,
  typesModule,
  type Decl,
  type ProgramDef,
  type StructDef,
  type TypeTable,
  type UnionDef,
} from './model'

const XDR = '../../xdr'

/** Reader method and element codec names of each scalar primitive. */
const SCALARS: Record<string, { method: string; elem: string }> = {
  int: { method: 'int', elem: 'Int' },
  char: { method: 'int', elem: 'Int' },
  short: { method: 'int', elem: 'Int' },
  'unsigned int': { method: 'uint', elem: 'Uint' },
  'unsigned char': { method: 'uint', elem: 'Uint' },
  'unsigned short': { method: 'uint', elem: 'Uint' },
  hyper: { method: 'hyper', elem: 'Hyper' },
  'unsigned hyper': { method: 'uhyper', elem: 'Uhyper' },
  bool: { method: 'bool', elem: 'Bool' },
  float: { method: 'float', elem: 'Float' },
  double: { method: 'double', elem: 'Double' },
}

/** Generates encode/decode code for declarations of one program. */
class CodecWriter {
  constructor(
    private readonly program: string,
    private readonly types: TypeTable,
    private readonly constants: ReadonlySet<string>,
    private readonly f: FileBuilder,
  ) {}

  /** The name of a struct/union/typedef codec function, imported if it lives elsewhere. */
  private fn(dir: 'encode' | 'decode', cName: string): string {
    const name = `${dir}${this.types.tsName(cName)}`
    const owner = this.types.program(cName)
    if (owner !== this.program) this.f.value(codecsModule(owner), name)
    return name
  }

  /** A length or maximum: the constant's name when the .x file used one, else the number. */
  private size(value: number | null | undefined, constName: string | undefined): string {
    if (constName && this.constants.has(constName)) return this.f.value(CONSTANTS_MODULE, constName)
    if (value == null) return '0xffffffff'
    return String(value)
  }

  private scalar(type: string): { method: string; elem: string } {
    const s = SCALARS[type]
    if (!s) throw new Error(`unsupported primitive ${type}`)
    return s
  }

  /** A decoder function reference for one element of type `decl` (array/optional ignored). */
  private elemDecoder(decl: Decl): string {
    if (decl.type_kind === 'primitive') {
      if (decl.type === 'string' || decl.type === 'opaque') {
        return `(r: XdrReader) => ${this.decode({ ...decl, optional: false })}`
      }
      return this.f.value(XDR + '/codecs', `decode${this.scalar(decl.type).elem}`)
    }
    if (decl.type_kind === 'enum') return this.f.value(XDR + '/codecs', 'decodeInt')
    return this.fn('decode', decl.type)
  }

  /** An encoder function reference for one element of type `decl`. */
  private elemEncoder(decl: Decl, tsType: string): string {
    if (decl.type_kind === 'primitive') {
      if (decl.type === 'string' || decl.type === 'opaque') {
        return `(w: XdrWriter, v: ${tsType}) => ${this.encode({ ...decl, optional: false }, 'v')}`
      }
      return this.f.value(XDR + '/codecs', `encode${this.scalar(decl.type).elem}`)
    }
    if (decl.type_kind === 'enum') return this.f.value(XDR + '/codecs', 'encodeInt')
    return this.fn('encode', decl.type)
  }

  /** An expression that reads `decl` from `r`. */
  decode(decl: Decl): string {
    if (decl.optional) {
      const inner: Decl = { ...decl, optional: false }
      const plain = inner.array === 'none' && inner.type_kind !== 'primitive'
      return `r.optional(${plain ? this.elemDecoder(inner) : `(r: XdrReader) => ${this.decode(inner)}`})`
    }
    if (decl.type_kind === 'primitive' && decl.type === 'opaque') {
      return decl.array === 'fixed'
        ? `r.fixedOpaque(${this.size(decl.length, decl.length_const)})`
        : `r.varOpaque(${this.size(decl.max, decl.max_const)})`
    }
    if (decl.type_kind === 'primitive' && decl.type === 'string') {
      return `r.string(${this.size(decl.max, decl.max_const)})`
    }
    if (decl.array === 'fixed') {
      return `r.fixedArray(${this.size(decl.length, decl.length_const)}, ${this.elemDecoder(decl)})`
    }
    if (decl.array === 'variable') {
      return `r.array(${this.size(decl.max, decl.max_const)}, ${this.elemDecoder(decl)})`
    }
    switch (decl.type_kind) {
      case 'primitive':
        return `r.${this.scalar(decl.type).method}()`
      case 'enum':
        return 'r.int()'
      case 'typedef':
        return this.decode(this.types.typedef(decl.type).decl)
      default:
        return `${this.fn('decode', decl.type)}(r)`
    }
  }

  /** A statement that writes the value `v` (an expression) as `decl`. */
  encode(decl: Decl, v: string, tsType = 'never'): string {
    if (decl.optional) {
      const inner: Decl = { ...decl, optional: false }
      const plain = inner.array === 'none' && inner.type_kind !== 'primitive'
      const enc = plain
        ? this.elemEncoder(inner, tsType)
        : `(w: XdrWriter, x: NonNullable<typeof ${v}>) => ${this.encode(inner, 'x')}`
      return `w.optional(${v}, ${enc})`
    }
    if (decl.type_kind === 'primitive' && decl.type === 'opaque') {
      return decl.array === 'fixed'
        ? `w.fixedOpaque(${v}, ${this.size(decl.length, decl.length_const)})`
        : `w.varOpaque(${v}, ${this.size(decl.max, decl.max_const)})`
    }
    if (decl.type_kind === 'primitive' && decl.type === 'string') {
      return `w.string(${v}, ${this.size(decl.max, decl.max_const)})`
    }
    if (decl.array === 'fixed') {
      const n = this.size(decl.length, decl.length_const)
      return `w.fixedArray(${v}, ${n}, ${this.elemEncoder(decl, tsType)})`
    }
    if (decl.array === 'variable') {
      const n = this.size(decl.max, decl.max_const)
      return `w.array(${v}, ${n}, ${this.elemEncoder(decl, tsType)})`
    }
    switch (decl.type_kind) {
      case 'primitive':
        return `w.${this.scalar(decl.type).method}(${v})`
      case 'enum':
        return `w.int(${v})`
      case 'typedef':
        return this.encode(this.types.typedef(decl.type).decl, v)
      default:
        return `${this.fn('encode', decl.type)}(w, ${v})`
    }
  }
}

function emitStruct(s: StructDef, cw: CodecWriter, types: TypeTable, f: FileBuilder): void {
  const name = types.tsName(s.name)
  f.push(docComment(`Writes ${s.name}.`))
  f.push(`export function encode${name}(w: XdrWriter, v: ${name}): void {`)
  for (const field of s.fields) f.push(`  ${cw.encode(field, `v.${field.name}`)}`)
  f.push('}', '', docComment(`Reads ${s.name}.`))
  f.push(`export function decode${name}(r: XdrReader): ${name} {`, '  return {')
  for (const field of s.fields) f.push(`    ${field.name}: ${cw.decode(field)},`)
  f.push('  }', '}', '')
}

function emitUnion(u: UnionDef, cw: CodecWriter, types: TypeTable, f: FileBuilder): void {
  const name = types.tsName(u.name)
  const d = u.discriminant.name
  f.value(XDR + '/xdr-error', 'XdrError')
  f.push(docComment(`Writes ${u.name}: the discriminant \`${d}\`, then the matching arm.`))
  f.push(`export function encode${name}(w: XdrWriter, v: ${name}): void {`)
  f.push(`  ${cw.encode(u.discriminant, `v.${d}`)}`, `  switch (v.${d}) {`)
  for (const c of u.cases) {
    f.push(...c.values.map((x) => `    case ${x.value}: // ${x.name}`))
    if (c.arm.type !== 'void') f.push(`      ${cw.encode(c.arm, `v.${c.arm.name}`)}`)
    f.push('      return')
  }
  f.push('    default:')
  if (u.has_default && u.default) {
    if (u.default.type !== 'void') f.push(`      ${cw.encode(u.default, `v.${u.default.name}`)}`)
    f.push('      return')
  } else {
    f.push(
      `      throw new XdrError(\`${u.name}: no arm for ${d} \${String((v as { ${d}: unknown }).${d})}\`, w.offset)`,
    )
  }
  f.push('  }', '}', '')

  f.push(docComment(`Reads ${u.name}; a discriminant without an arm is an XdrError.`))
  f.push(`export function decode${name}(r: XdrReader): ${name} {`)
  f.push(
    '  const at = r.offset',
    `  const ${d} = ${cw.decode(u.discriminant)}`,
    `  switch (${d}) {`,
  )
  for (const c of u.cases) {
    f.push(...c.values.map((x) => `    case ${x.value}: // ${x.name}`))
    const tag =
      c.values.length === 1
        ? String(c.values[0]!.value)
        : `${d} as ${c.values.map((x) => x.value).join(' | ')}`
    const arm = c.arm.type === 'void' ? '' : `, ${c.arm.name}: ${cw.decode(c.arm)}`
    f.push(`      return { ${d}: ${tag}${arm} }`)
  }
  f.push('    default:')
  if (u.has_default && u.default) {
    const arm = u.default.type === 'void' ? '' : `, ${u.default.name}: ${cw.decode(u.default)}`
    f.push(`      return { ${d}${arm} }`)
  } else {
    f.push(`      throw new XdrError(\`${u.name}: no arm for ${d} \${${d}}\`, at)`)
  }
  f.push('  }', '}', '')
}

/** Builds the codecs file of one program. */
export function emitCodecs(
  p: ProgramDef,
  types: TypeTable,
  constants: ReadonlySet<string>,
  header: string,
): FileBuilder {
  const f = new FileBuilder(header, `XDR encoders and decoders of the ${p.name} program.`)
  const cw = new CodecWriter(p.name, types, constants, f)
  const named = [...p.typedefs, ...p.structs, ...p.unions]
  if (named.length > 0) {
    f.type(XDR + '/reader', 'XdrReader')
    f.type(XDR + '/writer', 'XdrWriter')
  }
  for (const n of named) f.type(typesModule(p.name), types.tsName(n.name))
  for (const t of p.typedefs) {
    const name = types.tsName(t.name)
    f.push(docComment(`Writes typedef ${t.name}.`))
    f.push(`export function encode${name}(w: XdrWriter, v: ${name}): void {`)
    f.push(`  ${cw.encode(t.decl, 'v', name)}`, '}', '')
    f.push(docComment(`Reads typedef ${t.name}.`))
    f.push(`export function decode${name}(r: XdrReader): ${name} {`)
    f.push(`  return ${cw.decode(t.decl)}`, '}', '')
  }
  for (const s of p.structs) emitStruct(s, cw, types, f)
  for (const u of p.unions) emitUnion(u, cw, types, f)
  return f
}
