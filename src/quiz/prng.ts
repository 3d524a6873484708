/**
 * The quiz's own seeded PRNG (mulberry32): the same seed draws the same
 * question on every machine, and nothing in the simulation ever touches
 * Math.random (PREAMBLE rule 3: the core is deterministic).
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    // Mix the seed once so neighbouring seeds (1, 2, 3…) start far apart.
    this.s = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  }

  /** A uniform u32. */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A whole number in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`int(${lo}, ${hi}): empty range`);
    return lo + (this.next() % (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** `n` distinct numbers from [lo, hi], in draw order. */
  distinct(n: number, lo: number, hi: number): number[] {
    if (hi - lo + 1 < n) throw new RangeError(`distinct(${n}, ${lo}, ${hi}): range too small`);
    const seen = new Set<number>();
    while (seen.size < n) seen.add(this.int(lo, hi));
    return [...seen];
  }
}
