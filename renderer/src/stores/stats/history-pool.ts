import { Ring } from './ring'

/** The rings of one VM's history that hold rates and levels (32-bit), in storage order. */
export const RATE_FIELDS = [
  'cpu',
  'memory',
  'memoryUsedKiB',
  'diskReadBps',
  'diskWriteBps',
  'netRxBps',
  'netTxBps',
] as const

/** One of {@link RATE_FIELDS}. */
export type RateField = (typeof RATE_FIELDS)[number]

/** A VM's rings over pooled storage: `at` (sample times) and one ring per rate field. */
export type PooledRings = { at: Ring } & Record<RateField, Ring> & {
    /** Hands the storage back to the pool and empties the rings; safe to call twice. */
    release(): void
  }

/** How many VMs' histories share one block of storage by default. */
const VMS_PER_BLOCK = 32

interface Block {
  /** Sample times, 64-bit: `samples` values per VM. */
  times: Float64Array
  /** Rates, 32-bit: `samples` values per field per VM. */
  rates: Float32Array
  /** Slots not in use. */
  free: number[]
}

/**
 * Storage for the stats histories of many VMs: blocks of typed arrays, each shared by up to
 * `perBlock` VMs. A browser pays a fixed cost for every typed array it allocates; giving
 * each of 1,000 VMs eight arrays of its own made the first tick cost hundreds of ms. A block
 * is freed once none of its VMs runs (the last one is kept for the next VM that starts).
 */
export class HistoryPool {
  private readonly blocks: Block[] = []

  /**
   * @param samples the length of every ring
   * @param perBlock how many VMs a block holds
   */
  constructor(
    readonly samples: number,
    private readonly perBlock = VMS_PER_BLOCK,
  ) {}

  /** Blocks allocated now (for tests and memory checks). */
  get blockCount(): number {
    return this.blocks.length
  }

  /** Empty rings for one VM, in a free slot (a new block when every block is full). */
  take(): PooledRings {
    let block = this.blocks.find((b) => b.free.length > 0)
    if (!block) {
      block = {
        times: new Float64Array(this.perBlock * this.samples),
        rates: new Float32Array(this.perBlock * this.samples * RATE_FIELDS.length),
        // Popped from the end: slot 0 goes first.
        free: Array.from({ length: this.perBlock }, (_, i) => this.perBlock - 1 - i),
      }
      this.blocks.push(block)
    }
    const slot = block.free.pop()!
    const n = this.samples
    const rings = {
      at: new Ring(n, { values: block.times, offset: slot * n }),
    } as PooledRings
    RATE_FIELDS.forEach((field, i) => {
      rings[field] = new Ring(n, {
        values: block.rates,
        offset: (slot * RATE_FIELDS.length + i) * n,
      })
    })
    let released = false
    rings.release = () => {
      if (released) return
      released = true
      rings.at.clear()
      for (const field of RATE_FIELDS) rings[field].clear()
      this.giveBack(block, slot)
    }
    return rings
  }

  private giveBack(block: Block, slot: number): void {
    block.free.push(slot)
    if (block.free.length === this.perBlock && this.blocks.length > 1) {
      this.blocks.splice(this.blocks.indexOf(block), 1)
    }
  }
}
