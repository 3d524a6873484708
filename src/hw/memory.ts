/**
 * Guest-physical memory (spec §1.4, §2.1).
 *
 * Each guest has one private block [0, top) — RAM, then the descriptor page, then device pages —
 * in a SharedArrayBuffer the UI reads directly. Pages of a *shared object* (the --sharenet page,
 * scenario `shared` regions) live in the object's own buffer and are mapped into each guest's page
 * map, so the same bytes appear at whatever gpa each guest maps them (spec §2.2, the Futex Trick).
 *
 * The accessors here are the raw bus: they do not kill anyone. The Host wraps them with
 * lguest_address_ok() checks and kill reasons; a guest program uses them through `GuestCpu` and
 * faults on an address it has no page for.
 */
import * as abi from '../abi/constants.ts';
import * as words from './copy-words.ts';
import type { Allocator, SharedObject } from './shared-object.ts';

// Module-local copies of imported constants (see src/host/dma-engine.ts: an imported binding is
// reloaded and TDZ-checked at every use; a module's own const folds into the optimized code).
const { PAGE_SHIFT, PAGE_SIZE } = abi;
const { copyWords } = words;

/** Word-aligned pieces up to this many bytes move as words (bench/README.md "Profile": 11 ns vs 31 for set at 64 bytes, 20 vs 31 at 128, slower at 256). */
const SMALL_COPY = 128;

/** Guest memory is little-endian (x86); `words` reads it that way only on a little-endian host, else DataView does. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A gpa the memory has no page for (a guest touching it takes a fault). */
export class GuestFault extends Error {
  constructor(readonly gpa: number) {
    super(`page fault at 0x${(gpa >>> 0).toString(16)}`);
  }
}

export interface SharedMapping {
  readonly object: SharedObject;
  readonly page: number; // page index within the object
}

export class GuestMemory {
  /** Private bytes [0, top): RAM, descriptor page, device pages. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** The private bytes as words: aligned word loads and small aligned copies without a view per access. */
  readonly words: Uint32Array;
  /** Number of pages the guest may touch: the Host's pfn_limit. */
  readonly pfnLimit: number;
  /** Per page: index into `mappings`, or -1 for a private page. */
  private readonly sharedIndex: Int32Array;
  private readonly mappings: SharedMapping[] = [];
  private readonly pageViews: DataView[] = [];
  /** The lowest and highest shared pfn (none yet: an empty interval), so a range outside them needs no page scan. */
  private sharedLo = Number.MAX_SAFE_INTEGER;
  private sharedHi = -1;
  /** Private pages written since the last checkpoint; every writer below marks them. */
  readonly dirty: Uint8Array;
  /** Private pages written since the last state hash (src/hw/memory-hash.ts); marked with `dirty`. */
  readonly stale: Uint8Array;

  constructor(
    readonly ramBytes: number,
    readonly top: number,
    alloc: Allocator,
  ) {
    this.bytes = new Uint8Array(alloc(top));
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.words = new Uint32Array(this.bytes.buffer, 0, top >>> 2);
    this.pfnLimit = top >>> PAGE_SHIFT;
    this.sharedIndex = new Int32Array(this.pfnLimit).fill(-1);
    this.dirty = new Uint8Array(this.pfnLimit);
    this.stale = new Uint8Array(this.pfnLimit);
  }

  /** Mark the pages of [gpa, gpa+len) written (private or shared). */
  private touch(gpa: number, len: number): void {
    const last = (gpa + len - 1) >>> PAGE_SHIFT;
    for (let p = gpa >>> PAGE_SHIFT; p <= last; p++) {
      const i = this.sharedIndex[p];
      if (i < 0) this.dirty[p] = this.stale[p] = 1;
      else {
        const m = this.mappings[i];
        m.object.dirty[m.page] = m.object.stale[m.page] = 1;
      }
    }
  }

  /** Map page `page` of `object` at guest page `pfn`. */
  mapShared(pfn: number, object: SharedObject, page: number): void {
    this.sharedIndex[pfn] = this.mappings.length;
    this.mappings.push({ object, page });
    this.pageViews.push(new DataView(object.bytes.buffer, object.bytes.byteOffset + page * PAGE_SIZE, PAGE_SIZE));
    this.sharedLo = Math.min(this.sharedLo, pfn);
    this.sharedHi = Math.max(this.sharedHi, pfn);
  }

  /** The shared mapping behind a gpa, if its page is shared. */
  sharedAt(gpa: number): SharedMapping | undefined {
    const pfn = gpa >>> PAGE_SHIFT;
    if (pfn >= this.pfnLimit) return undefined;
    const i = this.sharedIndex[pfn];
    return i < 0 ? undefined : this.mappings[i];
  }

  /** True when [gpa, gpa+len) lies inside [0, top). */
  contains(gpa: number, len: number): boolean {
    return gpa >= 0 && len >= 0 && gpa + len <= this.top;
  }

  /** The bytes of one page as a view (private or shared). */
  pageBytes(pfn: number): Uint8Array {
    const i = this.sharedIndex[pfn];
    if (i < 0) return this.bytes.subarray(pfn * PAGE_SIZE, pfn * PAGE_SIZE + PAGE_SIZE);
    const m = this.mappings[i];
    return m.object.bytes.subarray(m.page * PAGE_SIZE, m.page * PAGE_SIZE + PAGE_SIZE);
  }

  private check(gpa: number, len: number): void {
    if (!(gpa >= 0 && gpa + len <= this.top)) throw new GuestFault(gpa);
  }

  /** Whether [gpa, gpa+len) touches a shared page (the slow path). */
  private touchesShared(gpa: number, len: number): boolean {
    const first = gpa >>> PAGE_SHIFT;
    const last = (gpa + len - 1) >>> PAGE_SHIFT;
    if (last < this.sharedLo || first > this.sharedHi) return false;
    for (let p = first; p <= last; p++) if (this.sharedIndex[p] >= 0) return true;
    return false;
  }

  u8(gpa: number): number {
    this.check(gpa, 1);
    const i = this.sharedIndex[gpa >>> PAGE_SHIFT];
    return i < 0 ? this.bytes[gpa] : this.pageViews[i].getUint8(gpa & (PAGE_SIZE - 1));
  }

  u16(gpa: number): number {
    this.check(gpa, 2);
    if (!this.touchesShared(gpa, 2)) return this.view.getUint16(gpa, true);
    return this.u8(gpa) | (this.u8(gpa + 1) << 8);
  }

  /** Signed 32-bit read (the `int` fields of lguest_block_page). */
  i32(gpa: number): number {
    return this.u32(gpa) | 0;
  }

  u32(gpa: number): number {
    // The hot path (every used_len, irq_enabled and ring status read): an aligned word in a private
    // page, one load from `words` (an aligned word never crosses a page). A big-endian host takes u32Slow.
    if (LITTLE_ENDIAN && (gpa & 3) === 0 && gpa >= 0 && gpa + 4 <= this.top && this.sharedIndex[gpa >>> PAGE_SHIFT] < 0) return this.words[gpa >>> 2];
    return this.u32Slow(gpa);
  }

  /** u32 off the hot path (kept out of line so u32 stays small enough for V8 to inline everywhere). */
  private u32Slow(gpa: number): number {
    if (gpa >= 0 && gpa + 4 <= this.top && (gpa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4 && this.sharedIndex[gpa >>> PAGE_SHIFT] < 0) return this.view.getUint32(gpa, true);
    this.check(gpa, 4);
    if (!this.touchesShared(gpa, 4)) return this.view.getUint32(gpa, true);
    return (this.u8(gpa) | (this.u8(gpa + 1) << 8) | (this.u8(gpa + 2) << 16) | (this.u8(gpa + 3) << 24)) >>> 0;
  }

  setU8(gpa: number, v: number): void {
    this.check(gpa, 1);
    const i = this.sharedIndex[gpa >>> PAGE_SHIFT];
    if (i < 0) {
      this.bytes[gpa] = v;
      this.dirty[gpa >>> PAGE_SHIFT] = this.stale[gpa >>> PAGE_SHIFT] = 1;
    } else {
      this.pageViews[i].setUint8(gpa & (PAGE_SIZE - 1), v);
      const m = this.mappings[i];
      m.object.dirty[m.page] = m.object.stale[m.page] = 1;
    }
  }

  setU16(gpa: number, v: number): void {
    this.check(gpa, 2);
    if (!this.touchesShared(gpa, 2)) {
      this.view.setUint16(gpa, v, true);
      this.touch(gpa, 2);
    } else {
      this.setU8(gpa, v & 0xff);
      this.setU8(gpa + 1, (v >>> 8) & 0xff);
    }
  }

  /**
   * setU32 of an aligned word that the caller has found inside a private page of this memory
   * (`privatePiece` of a range holding it): the store and the page's marks, without setU32's tests.
   * For the DMA engine's one-section send (src/host/dma-engine.ts), whose structs passed privatePiece.
   */
  setPrivateU32(gpa: number, v: number): void {
    const p = gpa >>> PAGE_SHIFT;
    this.words[gpa >>> 2] = v;
    this.dirty[p] = this.stale[p] = 1;
  }

  setU32(gpa: number, v: number): void {
    // The hot path, as in u32: an aligned word in a private page, marked written here.
    if (LITTLE_ENDIAN && (gpa & 3) === 0 && gpa >= 0 && gpa + 4 <= this.top) {
      const p = gpa >>> PAGE_SHIFT;
      if (this.sharedIndex[p] < 0) {
        this.words[gpa >>> 2] = v;
        this.dirty[p] = this.stale[p] = 1;
        return;
      }
    }
    this.setU32Slow(gpa, v);
  }

  /** setU32 off the hot path (out of line, as u32Slow). */
  private setU32Slow(gpa: number, v: number): void {
    if (gpa >= 0 && gpa + 4 <= this.top && (gpa & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
      const p = gpa >>> PAGE_SHIFT;
      if (this.sharedIndex[p] < 0) {
        this.view.setUint32(gpa, v >>> 0, true);
        this.dirty[p] = this.stale[p] = 1;
        return;
      }
    }
    this.check(gpa, 4);
    if (!this.touchesShared(gpa, 4)) {
      this.view.setUint32(gpa, v >>> 0, true);
      this.touch(gpa, 4);
    } else for (let k = 0; k < 4; k++) this.setU8(gpa + k, (v >>> (8 * k)) & 0xff);
  }

  /** Copy `len` bytes out of guest memory. */
  read(gpa: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.readInto(gpa, out, 0, len);
    return out;
  }

  readInto(gpa: number, dst: Uint8Array, dstOff: number, len: number): void {
    this.check(gpa, len);
    if (!this.touchesShared(gpa, len)) {
      dst.set(this.bytes.subarray(gpa, gpa + len), dstOff);
      return;
    }
    let done = 0;
    while (done < len) {
      const at = gpa + done;
      const o = at & (PAGE_SIZE - 1);
      const n = Math.min(len - done, PAGE_SIZE - o);
      dst.set(this.pageBytes(at >>> PAGE_SHIFT).subarray(o, o + n), dstOff + done);
      done += n;
    }
  }

  write(gpa: number, src: Uint8Array): void {
    this.check(gpa, src.length);
    if (src.length === 0) return;
    this.touch(gpa, src.length);
    if (!this.touchesShared(gpa, src.length)) {
      this.bytes.set(src, gpa);
      return;
    }
    let done = 0;
    while (done < src.length) {
      const at = gpa + done;
      const n = Math.min(src.length - done, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
      this.pageBytes(at >>> PAGE_SHIFT).set(src.subarray(done, done + n), at & (PAGE_SIZE - 1));
      done += n;
    }
  }

  /**
   * The whole private block's DataView when [gpa, gpa+len) is in range and touches no shared page, else
   * null (use readInto): a caller decodes a struct it range-checked with one check, not one per field.
   */
  directView(gpa: number, len: number): DataView | null {
    if (!(gpa >= 0 && gpa + len <= this.top)) return null;
    // A struct inside one private page (the usual case) needs one page lookup, not a scan.
    if ((gpa & (PAGE_SIZE - 1)) + len <= PAGE_SIZE && len > 0) return this.sharedIndex[gpa >>> PAGE_SHIFT] < 0 ? this.view : null;
    return this.touchesShared(gpa, len) ? null : this.view;
  }

  /**
   * copyFrom for ranges that each lie inside one page (the DMA engine's pieces: check_dma_list keeps every section
   * inside a page, spec §2.4 step 3a): one page lookup per side, shared pages copied straight from/to the object's
   * bytes. The usual piece (both pages private) is done here, in a body V8 inlines into copy_data (bench/README.md
   * "Profile": the call cost ~7 ns a piece); the rest is copyPieceSlow, same checks in the same order.
   */
  copyInPage(dstGpa: number, src: GuestMemory, srcGpa: number, len: number): void {
    const off = PAGE_SIZE - 1;
    const dp = dstGpa >>> PAGE_SHIFT;
    const sp = srcGpa >>> PAGE_SHIFT;
    // In range (as check() asks), inside one page on each side, and both pages private (-1 & -1 < 0).
    const inPages = len > 0 && (dstGpa & off) + len <= PAGE_SIZE && (srcGpa & off) + len <= PAGE_SIZE;
    if (inPages && dstGpa >= 0 && dstGpa + len <= this.top && srcGpa >= 0 && srcGpa + len <= src.top && (this.sharedIndex[dp] & src.sharedIndex[sp]) < 0) {
      this.dirty[dp] = this.stale[dp] = 1;
      // Two guests' private blocks are different buffers (no overlap): small aligned pieces move as words
      // (set's subarray view alone costs more than 16 word moves); page-sized ones go to set.
      if (len <= SMALL_COPY && ((srcGpa | dstGpa | len) & 3) === 0 && this.bytes !== src.bytes) copyWords(src.words, srcGpa >>> 2, this.words, dstGpa >>> 2, len >>> 2);
      else this.bytes.set(src.bytes.subarray(srcGpa, srcGpa + len), dstGpa);
      return;
    }
    this.copyPieceSlow(dstGpa, src, srcGpa, len);
  }

  /**
   * copyInPage for a piece whose two ranges the caller has already found in range and inside one page
   * each (check_dma_list's test passed both sections): the usual small aligned piece between two guests'
   * private pages is moved here, in less bytecode than copyInPage's own tests take, so that V8 can inline
   * it into the DMA engine's one-section send (bench/README.md "Sixth pass"); anything else goes to copyInPage.
   */
  copyCheckedPiece(dstGpa: number, src: GuestMemory, srcGpa: number, len: number): void {
    const dp = dstGpa >>> PAGE_SHIFT;
    if (len <= SMALL_COPY && ((srcGpa | dstGpa | len) & 3) === 0 && (this.sharedIndex[dp] & src.sharedIndex[srcGpa >>> PAGE_SHIFT]) < 0 && this.bytes !== src.bytes) {
      this.dirty[dp] = this.stale[dp] = 1;
      copyWords(src.words, srcGpa >>> 2, this.words, dstGpa >>> 2, len >>> 2);
    } else this.copyInPage(dstGpa, src, srcGpa, len);
  }

  /** Whether the page holding `gpa` (in range: the caller checked) is this guest's own, not a shared one. */
  privatePage(gpa: number): boolean {
    return this.sharedIndex[gpa >>> PAGE_SHIFT] < 0;
  }

  /** A non-empty range inside one private page of this memory (what copyRun may move). */
  privatePiece(gpa: number, len: number): boolean {
    return len > 0 && (gpa & (PAGE_SIZE - 1)) + len <= PAGE_SIZE && gpa >= 0 && gpa + len <= this.top && this.sharedIndex[gpa >>> PAGE_SHIFT] < 0;
  }

  /** [gpa, gpa+len) non-empty, in range and in private pages only: a range copyRun may move (copy_data's flat lists). */
  privateRun(gpa: number, len: number): boolean {
    return len > 0 && gpa >= 0 && gpa + len <= this.top && !this.touchesShared(gpa, len);
  }

  /** Consecutive privatePiece ranges of two different memories, moved at once: copyInPage's bytes and marks, one set. */
  copyRun(dstGpa: number, src: GuestMemory, srcGpa: number, len: number): void {
    for (let p = dstGpa >>> PAGE_SHIFT; p <= (dstGpa + len - 1) >>> PAGE_SHIFT; p++) this.dirty[p] = this.stale[p] = 1;
    this.bytes.set(src.bytes.subarray(srcGpa, srcGpa + len), dstGpa);
  }

  /** copyInPage for a piece touching a shared page, out of range, empty or crossing a page. */
  private copyPieceSlow(dstGpa: number, src: GuestMemory, srcGpa: number, len: number): void {
    const off = PAGE_SIZE - 1;
    if (len === 0) return;
    if ((dstGpa & off) + len > PAGE_SIZE || (srcGpa & off) + len > PAGE_SIZE) {
      this.copyFrom(dstGpa, src, srcGpa, len);
      return;
    }
    this.check(dstGpa, len);
    src.check(srcGpa, len);
    const dp = dstGpa >>> PAGE_SHIFT;
    const sp = srcGpa >>> PAGE_SHIFT;
    const di = this.sharedIndex[dp];
    const si = src.sharedIndex[sp];
    let [from, at] = [src.bytes, srcGpa];
    if (si >= 0) {
      const m = src.mappings[si];
      from = m.object.bytes;
      at = m.page * PAGE_SIZE + (srcGpa & off);
    }
    let [to, toAt] = [this.bytes, dstGpa];
    if (di < 0) this.dirty[dp] = this.stale[dp] = 1;
    else {
      const m = this.mappings[di];
      to = m.object.bytes;
      toAt = m.page * PAGE_SIZE + (dstGpa & off);
      m.object.dirty[m.page] = m.object.stale[m.page] = 1;
    }
    // As in copyInPage: small aligned pieces between two different buffers move as words.
    if (len <= SMALL_COPY && ((srcGpa | dstGpa | len) & 3) === 0 && to !== from) {
      copyWords(si < 0 ? src.words : src.mappings[si].object.words, at >>> 2, di < 0 ? this.words : this.mappings[di].object.words, toAt >>> 2, len >>> 2);
    } else to.set(from.subarray(at, at + len), toAt);
  }

  /** Copy from another guest's (or this guest's) memory; both ranges must be valid. */
  copyFrom(dstGpa: number, src: GuestMemory, srcGpa: number, len: number): void {
    if (len === 0) return;
    this.check(dstGpa, len);
    src.check(srcGpa, len);
    if (!this.touchesShared(dstGpa, len) && !src.touchesShared(srcGpa, len)) {
      // The fast path: one TypedArray.set, the memcpy the DMA benchmark compares against.
      this.bytes.set(src.bytes.subarray(srcGpa, srcGpa + len), dstGpa);
      this.touch(dstGpa, len);
      return;
    }
    this.write(dstGpa, src.read(srcGpa, len));
  }

  /** NUL-terminated string of at most `max` bytes (latin-1). */
  cstring(gpa: number, max: number): string {
    let s = '';
    for (let i = 0; i < max && gpa + i < this.top; i++) {
      const c = this.u8(gpa + i);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
}
