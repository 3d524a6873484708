/**
 * The state hash of src/base/hash.ts over all guest memory, kept up to date
 * incrementally (issue #15): the value is exactly hashHex after hashBytes
 * over every region in order, but a re-hash reads only what can have
 * changed.
 *
 * The hash is a chain (each word's step depends on the state before it), so
 * a page's contribution cannot be swapped out on its own; changing the
 * definition to combine per-page digests would have changed every hash the
 * CLI prints, the share links replay to and the tests check. Instead:
 *
 * - the state entering each page is remembered, so a re-hash starts at the
 *   first page written since the last one (`stale`, marked by every memory
 *   writer, src/hw/memory.ts), not at byte 0;
 * - pages last seen all zero (and fresh memory, which is zero) are not read:
 *   a run of n zero words moves lane 1 by a multiplication with P^n, and
 *   lane 2 by n steps of x -> imul(x, M) ^ (x >>> 15), whose iterates enter
 *   a cycle after about 10^5 steps (it behaves like a random mapping), so
 *   the n steps cost at most about that many (cycle detection, then n modulo
 *   the cycle length). A guest's untouched RAM costs about 0.3 ms, whatever
 *   its size.
 */
import { PAGE_SIZE } from '../abi/constants.ts';
import { hashBytes, hashHex, hashInit } from '../base/hash.ts';

/** One memory region as the hash sees it: its bytes and the pages written since the last hash. */
export interface HashRegion {
  readonly bytes: Uint8Array;
  /** Per page: 1 when written since the last hash (the hasher clears it). */
  readonly stale: Uint8Array;
}

/** The definition: hashBytes over every region in order (what MemoryHash.hex must equal). */
export function fullHash(regions: readonly HashRegion[]): string {
  const h = hashInit();
  for (const r of regions) hashBytes(h, r.bytes);
  return hashHex(h);
}

const P1 = 0x01000193;
const M2 = 0x5bd1e995;
const PAGE_WORDS = PAGE_SIZE / 4;

/** P1^n mod 2^32: lane 1 after n zero words is h1 * P1^n. */
function powP1(n: number): number {
  let result = 1;
  let base = P1;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return result;
}

const step2 = (x: number): number => Math.imul(x, M2) ^ (x >>> 15);

/** Below this many zero words, just step (cycle detection costs about 10^5 steps). */
const DIRECT_STEPS = 1 << 17;

/**
 * Lane 2 after n zero words from x: n steps of step2, through Brent's cycle
 * detection once n is large. When tortoise and hare meet, hare = step2^steps(x)
 * and step2^lam(hare) = hare, so the remaining n - steps steps reduce modulo
 * lam. Exact for any function; fast because step2's orbits enter short cycles.
 */
export function zeroWords2(x: number, n: number): number {
  let h = x | 0;
  if (n <= DIRECT_STEPS) {
    for (let i = 0; i < n; i++) h = step2(h);
    return h;
  }
  let power = 1;
  let lam = 1;
  let tortoise = h;
  let hare = step2(h);
  let steps = 1;
  while (tortoise !== hare) {
    if (steps === n) return hare;
    if (power === lam) {
      tortoise = hare;
      power *= 2;
      lam = 0;
    }
    hare = step2(hare);
    lam++;
    steps++;
  }
  let rest = (n - steps) % lam;
  while (rest-- > 0) hare = step2(hare);
  return hare;
}

/** Lane 1 after n zero words from x. */
export const zeroWords1 = (x: number, n: number): number => Math.imul(x, powP1(n));

export class MemoryHash {
  /** Global page index where each region starts (and the total at the end). */
  private readonly starts: number[] = [];
  private readonly total: number;
  private readonly words: Uint32Array[];
  /** The chain's state entering each page, where `known`. */
  private readonly in1: Int32Array;
  private readonly in2: Int32Array;
  private readonly known: Uint8Array;
  /** Per page: all zero when last seen (fresh memory is zero). */
  private readonly zero: Uint8Array;
  private readonly totalBytes: number;
  private cached: string | null = null;

  constructor(private readonly regions: readonly HashRegion[]) {
    let pages = 0;
    for (const r of regions) {
      if (r.bytes.length % PAGE_SIZE !== 0 || r.bytes.byteOffset % 4 !== 0 || r.stale.length !== r.bytes.length / PAGE_SIZE) throw new RangeError('memory hash: regions must be whole, aligned pages with one stale mark per page');
      this.starts.push(pages);
      pages += r.bytes.length / PAGE_SIZE;
    }
    this.starts.push(pages);
    this.total = pages;
    this.totalBytes = pages * PAGE_SIZE;
    this.words = regions.map((r) => new Uint32Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length / 4));
    this.in1 = new Int32Array(pages + 1);
    this.in2 = new Int32Array(pages + 1);
    this.known = new Uint8Array(pages + 1);
    this.zero = new Uint8Array(pages).fill(1);
    const h = hashInit();
    this.in1[0] = h.h1;
    this.in2[0] = h.h2;
    this.known[0] = 1;
    // Pages never marked stale were never written since the memory was allocated (zeroed), so
    // they are zero: the first hash reads only what was written. One hasher per set of regions
    // (it clears the marks it reads).
  }

  /** Forget everything: the next hash reads all memory (after writes that bypassed the stale marks). */
  invalidate(): void {
    for (const r of this.regions) r.stale.fill(1);
    this.cached = null;
  }

  /** The first stale page (global index), or -1. */
  private firstStale(): number {
    for (let k = 0; k < this.regions.length; k++) {
      const i = this.regions[k].stale.indexOf(1);
      if (i >= 0) return this.starts[k] + i;
    }
    return -1;
  }

  /** The hash, as hashHex(hashBytes over every region) would give it. */
  hex(): string {
    const first = this.firstStale();
    if (first < 0 && this.cached !== null) return this.cached;
    let p = first < 0 ? 0 : first;
    while (this.known[p] === 0) p--;
    let h1 = this.in1[p];
    let h2 = this.in2[p];
    /** Zero words not yet applied, and whether the run's first page has its state recorded. */
    let run = 0;
    let k = 0;
    while (this.starts[k + 1] <= p) k++;
    for (; k < this.regions.length; k++) {
      const r = this.regions[k];
      const w = this.words[k];
      const base = this.starts[k];
      const end = this.starts[k + 1];
      for (; p < end; p++) {
        const local = p - base;
        if (r.stale[local] !== 0) {
          r.stale[local] = 0;
          this.zero[p] = isZeroPage(w, local * PAGE_WORDS) ? 1 : 0;
        }
        if (run === 0) {
          this.in1[p] = h1;
          this.in2[p] = h2;
          this.known[p] = 1;
        } else this.known[p] = 0;
        if (this.zero[p] === 1) {
          run += PAGE_WORDS;
          continue;
        }
        if (run > 0) {
          h1 = zeroWords1(h1, run);
          h2 = zeroWords2(h2, run);
          run = 0;
          // This page starts after a run: its entering state is now known.
          this.in1[p] = h1;
          this.in2[p] = h2;
          this.known[p] = 1;
        }
        let a = h1;
        let b = h2;
        const from = local * PAGE_WORDS;
        for (let i = from; i < from + PAGE_WORDS; i++) {
          const x = w[i];
          a = Math.imul(a ^ x, P1);
          b = Math.imul(b ^ x, M2) ^ (b >>> 15);
        }
        h1 = a;
        h2 = b;
      }
    }
    if (run > 0) {
      h1 = zeroWords1(h1, run);
      h2 = zeroWords2(h2, run);
    }
    this.cached = hashHex({ h1, h2, len: this.totalBytes });
    return this.cached;
  }
}

function isZeroPage(w: Uint32Array, from: number): boolean {
  for (let i = from; i < from + PAGE_WORDS; i++) if (w[i] !== 0) return false;
  return true;
}
