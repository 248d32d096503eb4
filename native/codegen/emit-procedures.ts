/**
 * Emits `<program>-calls.gen.ts`: one typed method per call procedure, on a class that
 * forwards to an `RpcCaller` (REMOTE_PROC_CONNECT_GET_HOSTNAME -> `connectGetHostname`,
 * QEMU_PROC_DOMAIN_MONITOR_COMMAND -> `qemuDomainMonitorCommand`), plus the table of
 * event message decoders by procedure number (the routing hook for events).
 *
 * Procedures that pass file descriptors cannot work over a Node socket (no SCM_RIGHTS) and
 * would desynchronise the stream if called, so their methods reject with
 * UnsupportedProcedureError without sending anything.
 */
import { docComment, FileBuilder } from './file-builder'
import {
  CONSTANTS_MODULE,
  codecsModule,
  methodName,
  pascal,
  typesModule,
  type ProcedureDef,
  type ProgramDef,
  type TypeTable,
} from './model'

/** The class name of a program's methods: `remote` -> `RemoteCalls`. */
export function callsClassName(program: string): string {
  return `${pascal(program)}Calls`
}

function procedureDoc(p: ProcedureDef): string[] {
  const doc = [`${p.name} (${p.number}).`]
  const facts: string[] = []
  if (p.priority) facts.push(`Daemon priority: ${p.priority}.`)
  const acl = p.annotations['acl']
  if (Array.isArray(acl)) facts.push(`ACL: ${acl.join(', ')}.`)
  if (facts.length > 0) doc.push(facts.join(' '))
  if (p.live_daemon && !p.live_daemon.known) {
    doc.push('Not known to libvirt 9.0.0 (newer); such a daemon answers "unknown procedure".')
  }
  if (p.stream) {
    doc.push(
      `Opens a ${p.stream.direction.replaceAll('_', ' ')} stream: the reply only starts it, the`,
      'data travels as STREAM packets with the same serial (not handled by this method).',
    )
  }
  if (p.fd_passing) {
    doc.push(
      `Passes file descriptors (call: ${p.fd_passing.call_fds}; reply: ${p.fd_passing.reply_fds}),`,
      'which a Node socket cannot do: always rejects with UnsupportedProcedureError.',
    )
  }
  return doc
}

/** Builds the calls file of one program (only for programs with call procedures). */
export function emitCalls(p: ProgramDef, types: TypeTable, header: string): FileBuilder {
  const f = new FileBuilder(header, `Typed calls and event decoders of the ${p.name} program.`)
  const cls = callsClassName(p.name)
  if (!p.program_const || !p.version_const) throw new Error(`${p.name} has no program number`)
  const prog = f.value(CONSTANTS_MODULE, p.program_const)
  const vers = f.value(CONSTANTS_MODULE, p.version_const)
  f.type('../../rpc/caller', 'RpcCaller')
  f.type('../../rpc/caller', 'CallOptions')
  f.type('../../xdr/codecs', 'Encoder')
  f.type('../../xdr/codecs', 'Decoder')

  const named = (cName: string, dir: 'encode' | 'decode'): { type: string; fn: string } => {
    const owner = types.program(cName)
    const type = f.type(typesModule(owner), types.tsName(cName))
    return { type, fn: f.value(codecsModule(owner), `${dir}${types.tsName(cName)}`) }
  }

  f.push(
    docComment(
      `Every call procedure of the ${p.name} program as a typed method. Arguments are one`,
      "object with the protocol's field names; the result is the reply struct, or void.",
    ),
    `export class ${cls} {`,
    '  readonly #rpc: RpcCaller',
    '',
    `  ${docComment('@param rpc where the calls go (an RpcClient)')}`,
    '  constructor(rpc: RpcCaller) {',
    '    this.#rpc = rpc',
    '  }',
    '',
    `  #call<A, R>(procedure: number, args: A, encode: Encoder<A>, decode: Decoder<R>, options: CallOptions | undefined): Promise<R> {`,
    `    return this.#rpc.call(${prog}, ${vers}, procedure, args, encode, decode, options)`,
    '  }',
    '',
  )
  for (const proc of p.procedures) {
    if (proc.kind !== 'call') continue
    const name = methodName(p.name, proc.id)
    const args = proc.args ? named(proc.args, 'encode') : null
    const ret = proc.ret ? named(proc.ret, 'decode') : null
    const params = args ? `args: ${args.type}, options?: CallOptions` : 'options?: CallOptions'
    const result = ret ? ret.type : 'void'
    f.push(`  ${docComment(...procedureDoc(proc))}`)
    f.push(`  ${name}(${params}): Promise<${result}> {`)
    if (proc.fd_passing) {
      f.value('../../rpc/errors', 'UnsupportedProcedureError')
      if (args) f.push('    void args')
      f.push('    void options')
      f.push(
        `    return Promise.reject(new UnsupportedProcedureError(${prog}, ${proc.number}, '${proc.name}', 'file descriptor passing is not possible over a Node socket'))`,
      )
    } else {
      const enc = args ? args.fn : f.value('../../xdr/codecs', 'encodeVoid')
      const dec = ret ? ret.fn : f.value('../../xdr/codecs', 'decodeVoid')
      const a = args ? 'args' : 'undefined'
      f.push(`    return this.#call(${proc.number}, ${a}, ${enc}, ${dec}, options)`)
    }
    f.push('  }', '')
  }
  f.push('}', '')

  const events = p.procedures.filter((x) => x.kind === 'event' && x.msg)
  if (events.length > 0) {
    const map = `${pascal(p.name)}EventMessages`
    f.push(docComment(`The message struct of each ${p.name} event, by procedure number.`))
    f.push(`export interface ${map} {`)
    for (const e of events) {
      f.push(`  ${docComment(e.name)}`, `  ${e.number}: ${named(e.msg!, 'decode').type}`)
    }
    f.push('}', '')
    f.push(
      docComment(
        `Decoders of the ${p.name} program's events (MESSAGE packets), by procedure number.`,
      ),
    )
    f.push(
      `export const ${p.name}EventDecoders: { readonly [P in keyof ${map}]: Decoder<${map}[P]> } = {`,
    )
    for (const e of events) f.push(`  ${e.number}: ${named(e.msg!, 'decode').fn},`)
    f.push('}', '')
  }
  return f
}
