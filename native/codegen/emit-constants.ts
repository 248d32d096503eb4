/**
 * Emits `constants.gen.ts` (every constant of every program plus the external constants
 * the .x files take from libvirt's headers, under their C names) and `flags.gen.ts` (the
 * header facts of header-facts.ts plus the event ids, event procedures and lifecycle codes
 * of protocol.json's event families, as const objects).
 */
import { docComment, FileBuilder } from './file-builder'
import { HEADER_FACTS, type HeaderFact } from './header-facts'
import { PROGRAM_ORDER, pascal, type Protocol } from './model'

/** Builds constants.gen.ts and returns it with the set of constant names it defines. */
export function emitConstants(
  protocol: Protocol,
  header: string,
): { file: FileBuilder; names: Set<string> } {
  const f = new FileBuilder(header, 'Constants of every program, under their C names.')
  const names = new Set<string>()
  const define = (name: string, value: number, doc: string): void => {
    if (names.has(name)) throw new Error(`constant ${name} defined twice`)
    names.add(name)
    f.push(docComment(doc), `export const ${name} = ${value}`, '')
  }
  for (const [name, c] of Object.entries(protocol.external_constants)) {
    define(name, c.value, `From libvirt's C headers (${c.origin}).`)
  }
  for (const pn of PROGRAM_ORDER) {
    const p = protocol.programs[pn]!
    for (const c of p.constants) {
      define(c.name, c.value, `${pn}${c.expr ? ` (${c.expr})` : ''}`)
    }
  }
  return { file: f, names }
}

function emitFact(fact: HeaderFact, f: FileBuilder): void {
  f.push(docComment(`${fact.source}.`), `export const ${fact.name} = {`)
  for (const [k, v] of Object.entries(fact.members)) f.push(`  ${k}: ${v},`)
  f.push('} as const')
  if (fact.kind === 'enum') {
    f.push(docComment(`One of the {@link ${fact.name}} values.`))
    f.push(`export type ${fact.name} = (typeof ${fact.name})[keyof typeof ${fact.name}]`)
  }
  f.push('')
}

/** Builds flags.gen.ts. */
export function emitFlags(protocol: Protocol, header: string): FileBuilder {
  const f = new FileBuilder(
    header,
    "Values from libvirt's public headers and protocol.json's event families.",
  )
  for (const fact of HEADER_FACTS) emitFact(fact, f)
  for (const fam of protocol.event_families) {
    const base = pascal(fam.object)
    const withIds = fam.events.filter((e) => e.event_id !== null)
    if (withIds.length > 0) {
      emitFact(
        {
          name: `${base}EventId`,
          source: `Event ids of the ${fam.object} family, registered with ${fam.register}`,
          kind: 'enum',
          members: Object.fromEntries(withIds.map((e) => [e.label, e.event_id!])),
        },
        f,
      )
    }
    emitFact(
      {
        name: `${base}EventProcedure`,
        source: `Procedure numbers (${fam.program} program) of the ${fam.object} family's event messages`,
        kind: 'enum',
        members: Object.fromEntries(fam.events.map((e) => [e.label, e.number])),
      },
      f,
    )
    if (fam.lifecycle_event_codes) {
      emitFact(
        {
          name: `${base}EventLifecycle`,
          source: `The \`event\` codes of the ${fam.object} LIFECYCLE event`,
          kind: 'enum',
          members: Object.fromEntries(
            Object.entries(fam.lifecycle_event_codes).map(([code, label]) => [label, Number(code)]),
          ),
        },
        f,
      )
    }
  }
  return f
}
