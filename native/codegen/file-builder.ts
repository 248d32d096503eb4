/** Collects the imports and the body of one generated file. */
export class FileBuilder {
  private readonly values = new Map<string, Set<string>>()
  private readonly types = new Map<string, Set<string>>()
  private readonly lines: string[] = []

  /**
   * @param header first line of the file (the "Code generated ... DO NOT EDIT." marker)
   * @param doc a sentence saying what the file holds
   */
  constructor(
    private readonly header: string,
    private readonly doc: string,
  ) {}

  /** Imports a value (function, const) from a module. */
  value(module: string, name: string): string {
    add(this.values, module, name)
    return name
  }

  /** Imports a type from a module. */
  type(module: string, name: string): string {
    add(this.types, module, name)
    return name
  }

  /** Appends lines to the body. */
  push(...lines: string[]): void {
    this.lines.push(...lines)
  }

  /** The whole file text (unformatted). */
  render(): string {
    const imports: string[] = []
    const modules = [...new Set([...this.values.keys(), ...this.types.keys()])].sort()
    for (const m of modules) {
      const vals = this.values.get(m)
      const typs = [...(this.types.get(m) ?? [])].filter((t) => !vals?.has(t))
      if (vals && vals.size > 0)
        imports.push(`import { ${[...vals].sort().join(', ')} } from '${m}'`)
      if (typs.length > 0) imports.push(`import type { ${typs.sort().join(', ')} } from '${m}'`)
    }
    return [this.header, `// ${this.doc}`, '', ...imports, '', ...this.lines, ''].join('\n')
  }
}

function add(map: Map<string, Set<string>>, module: string, name: string): void {
  let set = map.get(module)
  if (!set) map.set(module, (set = new Set()))
  set.add(name)
}

/** A `/** ... *\/` doc comment from lines of text (escapes a stray comment terminator). */
export function docComment(...text: string[]): string {
  const lines = text.flatMap((t) => t.split('\n')).map((l) => l.replaceAll('*/', '*\\/'))
  if (lines.length === 1) return `/** ${lines[0]} */`
  return ['/**', ...lines.map((l) => ` * ${l}`), ' */'].join('\n')
}
