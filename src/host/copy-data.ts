/**
 * do_dma()'s copy, step 3c of dma_transfer (drivers/lguest/io.c v2.6.23 copy_data(); spec §2.4, §7.9,
 * §7.10), and the section lists it walks. The lists have passed check_dma_list: every section is
 * address_ok, at most a page long and inside one page.
 */
import * as abi from '../abi/constants.ts';
import type { GuestMemory } from '../hw/memory.ts';

// A module-local copy of the imported constant (see dma-engine.ts: an imported binding is reloaded
// and TDZ-checked at every use; a module's own const folds into the optimized code).
const { LGUEST_MAX_DMA_SECTIONS } = abi;

/**
 * One struct lguest_dma as dma_transfer uses it: the sections up to the first
 * zero len (at most 16). The arrays are fixed and reused: a SEND_DMA is one
 * synchronous call that never re-enters itself, so two scratch records (the
 * sender's and the receiver's) are enough and nothing is allocated per send.
 */
export interface DmaSections {
  /** Sections before the first zero len. */
  count: number;
  /**
   * The first of them check_dma_list rejects, or -1: its test (address_ok, at most a page, not
   * crossing one) depends only on the section and the guest's pfn_limit, so it is worked out while
   * the section is decoded, and checkDmaList only reports it, at the point io.c checks the list.
   */
  bad: number;
  /**
   * True when every counted section starts where the one before it ended (a buffer laid out
   * page after page, the usual bulk send): copy_data's pieces then continue each other on this
   * side, so the copy is one range (copyFlat). Worked out while the sections are decoded.
   */
  flat: boolean;
  readonly len: Uint16Array;
  readonly addr: Uint32Array;
}

export const newSections = (): DmaSections => ({
  count: 0,
  bad: -1,
  flat: true,
  len: new Uint16Array(LGUEST_MAX_DMA_SECTIONS),
  addr: new Uint32Array(LGUEST_MAX_DMA_SECTIONS),
});

/**
 * copy_data() for two lists that passed check_dma_list; returns the bytes copied. One section on
 * each side (a packet into one buffer, the common send) is one piece of the shorter length; two
 * flat lists whose bytes lie in private pages are one run (copyFlat); anything else is the walk.
 */
export function copySections(sm: GuestMemory, s: DmaSections, dm: GuestMemory, d: DmaSections): number {
  if (s.count === 1 && d.count === 1) {
    const n = Math.min(s.len[0], d.len[0]);
    dm.copyInPage(d.addr[0], sm, s.addr[0], n);
    return n;
  }
  if (s.flat && d.flat) {
    // A flat list's bytes are [addr[0], end of its last section): what copy_data can take or fill.
    const n = Math.min(flatLength(s), flatLength(d));
    if (copyFlat(sm, s.addr[0], dm, d.addr[0], n)) return n;
  }
  return copyData(sm, s, dm, d);
}

/** The bytes a flat list spans (0 when empty). */
function flatLength(l: DmaSections): number {
  return l.count === 0 ? 0 : l.addr[l.count - 1] + l.len[l.count - 1] - l.addr[0];
}

/**
 * Both lists flat: the walk's pieces cover [da, da+n) ← [sa, sa+n) in order, each continuing the one
 * before it on both sides, and n = min(both totals) is what the walk would copy. When all of those
 * bytes lie in private pages of two different memories, every piece would join one run (copyData's
 * rule), so the range moves at once: the same bytes and written-page marks, without the walk.
 * False (nothing done) otherwise: copyData then copies piece by piece.
 */
function copyFlat(sm: GuestMemory, sa: number, dm: GuestMemory, da: number, n: number): boolean {
  if (n === 0 || dm === sm || !dm.privateRun(da, n) || !sm.privateRun(sa, n)) return n === 0;
  dm.copyRun(da, sm, sa, n);
  return true;
}

/**
 * copy_data(): min(rest of source section, rest of destination section) per step.
 * Pieces that continue each other on both sides, in private pages of two different
 * memories, are moved as one run when the run ends (GuestMemory.copyRun): the same
 * bytes and written-page marks as piece by piece, and nothing else happens in between,
 * without a view and a set call per page (bench/README.md "Profile": ~25 ns a page).
 */
function copyData(sm: GuestMemory, s: DmaSections, dm: GuestMemory, d: DmaSections): number {
  let si = 0;
  let di = 0;
  let srcOff = 0;
  let dstOff = 0;
  let total = 0;
  let runDst = 0;
  let runSrc = 0;
  let runLen = 0;
  let runPieces = 0;
  while (si < s.count && di < d.count) {
    const n = Math.min(s.len[si] - srcOff, d.len[di] - dstOff);
    // check_dma_list kept every section inside one page, so each piece is inside one page of each side.
    const da = d.addr[di] + dstOff;
    const sa = s.addr[si] + srcOff;
    const joins = runLen > 0 && da === runDst + runLen && sa === runSrc + runLen && dm.privatePiece(da, n) && sm.privatePiece(sa, n);
    // The run's first piece is checked once, when a second one would join it.
    if (joins && (runPieces > 1 || (dm !== sm && dm.privatePiece(runDst, runLen) && sm.privatePiece(runSrc, runLen)))) {
      runLen += n;
      runPieces++;
    } else {
      if (runPieces === 1) dm.copyInPage(runDst, sm, runSrc, runLen);
      else if (runPieces > 1) dm.copyRun(runDst, sm, runSrc, runLen);
      runDst = da;
      runSrc = sa;
      runLen = n;
      runPieces = 1;
    }
    total += n;
    srcOff += n;
    dstOff += n;
    if (srcOff === s.len[si]) {
      si++;
      srcOff = 0;
    }
    if (dstOff === d.len[di]) {
      di++;
      dstOff = 0;
    }
  }
  if (runPieces === 1) dm.copyInPage(runDst, sm, runSrc, runLen);
  else if (runPieces > 1) dm.copyRun(runDst, sm, runSrc, runLen);
  return total;
}
