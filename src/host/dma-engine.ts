/**
 * The DMA engine: BIND_DMA, SEND_DMA and dma_transfer (drivers/lguest/io.c v2.6.23; spec §2.3-§2.4,
 * checklist §7.1-21). The Launcher's GETDMA lookup is get-dma-buffer.ts.
 */
import { asGpa } from '../base/units.ts';
import * as abi from '../abi/constants.ts';
import * as events from '../hw/events.ts';
import { hexAlt, u32 } from '../base/printf.ts';
import type { DmaLayout, Host } from './host.ts';
import * as lguest from './lguest.ts';
import type { Lguest } from './lguest.ts';
import * as copy from './copy-data.ts';
import type { DmaSections } from './copy-data.ts';

// Module-local copies of the imported constants this hot path reads. An imported binding is live,
// so V8 reloads it and checks it for the TDZ hole at every use (and cannot fold a field of an
// imported object); a module's own const folds into the optimized code (bench/README.md "Profile").
const { LGUEST_IRQS, LGUEST_MAX_DMA, LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } = abi;
const PAGE_MASK = PAGE_SIZE - 1;
const { EventKind, IrqSource } = events;
const { BINDING_WORDS, BW } = lguest;
const [BW_NUM_DMAS, BW_NEXT_DMA, BW_DMAS, BW_INTERRUPT] = [BW.numDmas, BW.nextDma, BW.dmas, BW.interrupt];
const { copySections, newSections } = copy;

/**
 * BIND_DMA (spec §2.3). `packed` is %ecx = (num << 8) | irq; num is kept as a
 * u16 and irq as a u8, as the hypercall's argument types truncate them
 * (§7.21). Returns %eax: 1 on success, 0 on failure.
 */
export function bindDma(host: Host, g: Lguest, key: number, dmas: number, packed: number): number {
  const num = (packed >>> 8) & 0xffff;
  const irq = packed & 0xff;
  // §7.19: a too-high irq fails without a kill, before the key is looked at.
  if (irq >= LGUEST_IRQS) return 0;
  const fk = host.futexKey(g, key);
  if (!fk) {
    host.kill(g, `bad dma key ${hexAlt(key)}`);
    return 0;
  }
  if (irq === 0) {
    // §7.20: irq 0 unbinds the binding matching both key and array address.
    const id = host.keyId(g, fk);
    for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
      const base = slot * BINDING_WORDS;
      const b = g.bindings;
      if (b[base + BW.interrupt] !== 0 && b[base + BW.dmas] === dmas >>> 0 && host.bindingKeyId(g.index, b, base) === id) {
        host.unbindSlot(g, slot);
        return 1;
      }
    }
    return 0;
  }
  for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
    const base = slot * BINDING_WORDS;
    const b = g.bindings;
    if (b[base + BW.interrupt] !== 0) continue;
    // Nothing about the array is checked at bind time (§2.3): errors surface on use.
    b[base + BW.key] = key >>> 0;
    b[base + BW.dmas] = dmas >>> 0;
    b[base + BW.numDmas] = num;
    b[base + BW.nextDma] = 0;
    b[base + BW.interrupt] = irq;
    b[base + BW.shared] = fk.shared;
    b[base + BW.ident] = fk.ident;
    b[base + BW.seq] = ++host.bindSeq;
    host.indexBinding(g, slot);
    return 1;
  }
  // §7.19: all 32 slots in use → 0, no kill.
  return 0;
}

/**
 * SEND_DMA (spec §2.4). A private key hands the send to this guest's
 * Launcher (never consulting bindings, §7.2); a shared key goes to the most
 * recently bound matching binding of another guest (§7.3), retried once if
 * that receiver is full (§7.14: immediate here — nothing else runs between
 * the two tries in a single-threaded Host, so the retry finds it full again
 * and raises the interrupt a second time, as an SMP Host with an idle
 * receiver would).
 */
export function sendDma(host: Host, g: Lguest, key: number, udma: number): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    // host.futexKey, without building the key record (this is the hot path of every send).
    if (!host.keyOk(g, key)) {
      host.kill(g, 'bad sending DMA key');
      return;
    }
    const m = g.mem.sharedAt(key);
    if (m === undefined) {
      g.pendingDma = { dma: asGpa(udma >>> 0), key: asGpa(key >>> 0) };
      return;
    }
    const list = host.sharedBindings(1 + m.object.id, m.page * PAGE_SIZE + (key & (PAGE_SIZE - 1)));
    if (!list) return; // §7.4: nobody bound it: no copy, no irq, used_len stays as the guest left it.
    let full = false;
    let found = false;
    // An index loop: for-of's iterator protocol is ~200 bytes of bytecode, which kept sendDma from
    // being inlined into the hypercall path (V8 inlines within a bytecode budget, bench/README.md "Profile").
    for (let k = 0; k < list.length; k++) {
      const ref = list[k];
      // A ref is guest * LGUEST_MAX_DMA + slot, never negative: truncation is the floor, in integer ops.
      const dstIndex = (ref / LGUEST_MAX_DMA) | 0;
      if (dstIndex === g.index) continue;
      const dst = host.guests[dstIndex];
      if (!dst) continue;
      found = true;
      full = transferTo(host, g, udma, dst, ref % LGUEST_MAX_DMA, key) === TransferOutcome.full;
      break;
    }
    if (!found || !full) return;
  }
}

/** What transferTo did: the one-section send itself, or dmaTransfer's send (the receiver had room, or was full). */
export const TransferOutcome = { oneSection: 0, sent: 1, full: 2 } as const;
export type TransferOutcome = (typeof TransferOutcome)[keyof typeof TransferOutcome];

/**
 * dma_transfer (spec §2.4), with the send that is most of a flood done here: one section on each side,
 * both structs aligned inside private pages, the receiver's next entry free. Everything it does then is
 * what dmaTransfer does for that case, in the same order; when any of those conditions fails it leaves
 * the block before a single write or kill, and dmaTransfer does the send from the start. It exists
 * because V8 inlines within a bytecode budget: the general path (two decoded lists, the scan, the walk)
 * spends it several times over, and the calls cost more than the send's own checks (bench/README.md
 * "Sixth pass"). dmaTransfer is called from here, not from sendDma, so that sendDma's compiled code never
 * takes it in (this function is too big to be inlined into sendDma), and sendDma stays small enough to
 * be inlined into the hypercall path after bulk sends. src/host/dma-fast-path.test.ts runs this against
 * dmaTransfer alone on random structs and compares memory, events and kills.
 */
export function transferTo(host: Host, src: Lguest, udma: number, dst: Lguest, slot: number, key: number): TransferOutcome {
  one: {
    const { size, len, addr, usedLen } = host.dma;
    const sm = src.mem;
    // Step 1 (readOk without its kill), and the struct's words: aligned, in one private page.
    // (The field offsets are word multiples on both ABIs, so one test of the OR covers the three fields.)
    const offs = len | addr | usedLen;
    // address_ok puts it below pfn_limit, so inside the guest's memory: what is left is one page, and a private one.
    if (!LITTLE_ENDIAN || !src.addressOk(udma, size) || ((udma | offs) & 3) !== 0 || (udma & PAGE_MASK) + size > PAGE_SIZE || !sm.privatePage(udma)) break one;
    const sw = sm.words;
    const sLens = sw[(udma + len) >>> 2];
    const sLen = sLens & 0xffff;
    // len[0] set and len[1] zero: one section.
    if (sLen === 0 || sLens >>> 16 !== 0) break one;
    const sAddr = sw[(udma + addr) >>> 2];
    if (!sectionOk(src, sAddr, sLen)) break one;
    // Step 2's first look: the entry at next_dma, which must be readable and free (§7.7).
    const b = dst.bindings;
    const base = slot * BINDING_WORDS;
    const num = b[base + BW_NUM_DMAS];
    if (num === 0) break one;
    const next = b[base + BW_NEXT_DMA];
    const entry = b[base + BW_DMAS] + (next % num) * size;
    const dm = dst.mem;
    if (!dst.addressOk(entry, size) || ((entry | offs) & 3) !== 0 || (entry & PAGE_MASK) + size > PAGE_SIZE || !dm.privatePage(entry)) break one;
    const dw = dm.words;
    if (dw[(entry + usedLen) >>> 2] !== 0) break one;
    const dLens = dw[(entry + len) >>> 2];
    const dLen = dLens & 0xffff;
    if (dLen === 0 || dLens >>> 16 !== 0) break one;
    const dAddr = dw[(entry + addr) >>> 2];
    // Step 3a: check_dma_list of both (either failing kills: dmaTransfer's to do).
    if (!sectionOk(dst, dAddr, dLen)) break one;
    // Step 3c: copy_data of one piece each side, the shorter length (never 0 here, so no 3e abort).
    const count = sLen < dLen ? sLen : dLen;
    dm.copyCheckedPiece(dAddr, sm, sAddr, count);
    host.bytesCopied += count;
    // Step 3d: the sender's used_len (inside the struct that passed address_ok: lgwrite cannot fail), 3f: the receiver's.
    sm.setPrivateU32(udma + usedLen, count);
    dm.setPrivateU32(entry + usedLen, count);
    b[base + BW_NEXT_DMA] = (next + 1) & 0xffff;
    const events = host.events;
    const now = host.clock.now;
    events.push(EventKind.DMA, src.index, now, dst.index, key >>> 0, udma >>> 0, entry, count);
    // Step 4: raiseIrq, written out (one call less for V8's inlining budget; the same bit and record).
    const irq = b[base + BW_INTERRUPT];
    dst.pendingIrqs = (dst.pendingIrqs | (1 << irq)) >>> 0;
    events.push(EventKind.IRQ_RAISE, dst.index, now, irq, IrqSource.DMA, 0, 0, 0);
    return TransferOutcome.oneSection;
  }
  return dmaTransfer(host, src, udma, dst, slot, key) ? TransferOutcome.full : TransferOutcome.sent;
}

const srcScratch = newSections();
const dstScratch = newSections();
/** Bounce buffer for a struct that touches a shared page (largest lguest_dma: 168 bytes on x86_64). */
const bounce = new Uint8Array(256);
const bounceView = new DataView(bounce.buffer);

/** Guest memory is little-endian (x86): its words read as lguest_dma's fields only on a little-endian host. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Read one struct lguest_dma (the range was checked by the caller) the way
 * io.c does, as one lgread of the whole struct: one range check, then the
 * fields decoded only up to the first zero len (nothing after it is ever
 * used: check_dma_list and copy_data stop there), then the list's summary.
 */
function readSections(host: Host, g: Lguest, at: number, out: DmaSections): DmaSections {
  const L = host.dma;
  // The usual struct (aligned, inside one private page): word loads of the guest's own words. Kept this
  // small so that V8 inlines it, and the event pushes after it, within one function's budget (bench/README.md).
  if (LITTLE_ENDIAN && (((at + L.len) | (at + L.addr)) & 3) === 0 && g.mem.privatePiece(at, L.size)) return decodeWords(g, g.mem.words, at, L, out);
  return readSectionsView(g, at, L, out);
}

/** readSections for any other struct: decoded through a DataView, then checked and compared. */
function readSectionsView(g: Lguest, at: number, L: DmaLayout, out: DmaSections): DmaSections {
  decodeView(g, at, L, g.mem.directView(at, L.size), out);
  return summarize(g, out);
}

/**
 * The sections of an aligned struct in one guest's private block, from its words (little-endian host),
 * each checked and summed as it is decoded (summarize's pass, fused: one loop over the words).
 */
function decodeWords(g: Lguest, w: Uint32Array, at: number, L: DmaLayout, out: DmaSections): DmaSections {
  const lens = (at + L.len) >>> 2;
  const addrs = (at + L.addr) >>> 2;
  const step = L.addrSize >>> 2;
  let n = 0;
  let bad = -1;
  // Where the next section must start for the list to stay flat: the first one starts there.
  let end = w[addrs];
  let flat = true;
  while (n < LGUEST_MAX_DMA_SECTIONS) {
    // len[n] is the low half of its word for an even n, the high half for an odd one.
    const len = (w[lens + (n >>> 1)] >>> ((n & 1) << 4)) & 0xffff;
    if (len === 0) break;
    // unsigned long: the low 32 bits (the first word) are the address on both ABIs (guest memory is < 4 GiB).
    const addr = w[addrs + step * n];
    out.len[n] = len;
    out.addr[n] = addr;
    if (bad < 0 && !sectionOk(g, addr, len)) bad = n;
    if (addr !== end) flat = false;
    end = addr + len;
    n++;
  }
  out.count = n;
  out.bad = bad;
  out.flat = flat;
  return out;
}

/** The sections through a DataView: the private block's, or the bounce copy of a struct touching a shared page. */
function decodeView(g: Lguest, at: number, L: DmaLayout, direct: DataView | null, out: DmaSections): void {
  let v = direct;
  let base = at;
  if (v === null) {
    g.mem.readInto(at, bounce, 0, L.size);
    v = bounceView;
    base = 0;
  }
  let n = 0;
  while (n < LGUEST_MAX_DMA_SECTIONS) {
    const len = v.getUint16(base + L.len + L.lenSize * n, true);
    if (len === 0) break;
    out.len[n] = len;
    out.addr[n] = v.getUint32(base + L.addr + L.addrSize * n, true);
    n++;
  }
  out.count = n;
}

/**
 * One pass over the decoded sections: check_dma_list's test of each (`bad`, acted on later by
 * checkDmaList), their total and whether each starts where the one before ended (`flat`: copy_data's
 * pieces then continue each other, copy-data.ts copyFlat).
 */
function summarize(g: Lguest, out: DmaSections): DmaSections {
  const n = out.count;
  let bad = -1;
  let end = out.addr[0];
  let flat = true;
  for (let i = 0; i < n; i++) {
    const addr = out.addr[i];
    const len = out.len[i];
    if (bad < 0 && !sectionOk(g, addr, len)) bad = i;
    if (addr !== end) flat = false;
    end = addr + len;
  }
  out.bad = bad;
  out.flat = flat;
  return out;
}

/** check_dma_list's test of one section (spec §2.4 step 3a, §7.15): address-ok, at most a page, not crossing a page boundary. */
function sectionOk(g: Lguest, addr: number, len: number): boolean {
  // addr is a u32: its low bits are addr % PAGE_SIZE. Not crossing a page (offset + len <= PAGE_SIZE, the
  // offset >= 0) already says len <= PAGE_SIZE: io.c's two tests, one compare.
  return g.addressOk(addr, len) && (addr & (PAGE_SIZE - 1)) + len <= PAGE_SIZE;
}

/**
 * check_dma_list (spec §2.4 step 3a, §7.15): each section up to the first zero
 * len must pass sectionOk; the first that does not kills the guest. The test
 * ran as readSections decoded the list (`bad`); here is where io.c acts on it.
 */
function checkDmaList(host: Host, g: Lguest, s: DmaSections): boolean {
  const i = s.bad;
  return i < 0 || badDmaEntry(host, g, s.len[i], s.addr[i]);
}

/** check_dma_list's failure, out of line so the check itself stays small enough for V8 to inline at both calls. */
function badDmaEntry(host: Host, g: Lguest, len: number, addr: number): false {
  host.kill(g, `bad DMA entry: ${u32(len)}@${hexAlt(addr)}`);
  return false;
}

/**
 * dma_transfer (spec §2.4): copy the sender's struct at `udma` into the first
 * free entry of the receiver's binding. Returns true iff the receiver had no
 * free entry ("full").
 */
export function dmaTransfer(host: Host, src: Lguest, udma: number, dst: Lguest, slot: number, key: number): boolean {
  const L = host.dma;
  const b = dst.bindings;
  const base = slot * BINDING_WORDS;
  // Step 1: read the sender's struct; a bad address kills the sender and reads zeros.
  const srcDma = srcScratch;
  if (host.readOk(src, udma, L.size)) readSections(host, src, udma, srcDma);
  else {
    srcDma.count = 0;
    srcDma.bad = -1;
    srcDma.flat = true;
  }

  // Step 2: scan from next_dma, wrapping once, for used_len == 0 (§7.7).
  const num = b[base + BW.numDmas];
  const next = b[base + BW.nextDma];
  const dmas = b[base + BW.dmas];
  let i = 0;
  let entry = 0;
  for (; i < num; i++) {
    entry = dmas + ((next + i) % num) * L.size;
    if (!dst.addressOk(entry, L.size)) {
      // §7.16: an unreadable registered array kills the receiver, not the sender; no interrupt.
      host.kill(dst, 'bad address in registered DMA struct');
      return false;
    }
    if (dst.mem.u32(entry + L.usedLen) === 0) break;
  }
  const irq = b[base + BW.interrupt];
  if (i !== num) {
    if (!copyIntoEntry(host, src, udma, srcDma, dst, entry, base, key)) return false;
  } else {
    host.emit(EventKind.DMA_FULL, src.index, dst.index, key >>> 0, udma >>> 0);
  }
  // Step 4: the receiver's irq is raised even when it was full (§7.13).
  raiseIrq(host, dst, irq, IrqSource.DMA);
  return i === num;
}

/**
 * dma_transfer's step 3, once a free entry was found: read it, do_dma, then
 * the used_len writes, next_dma and the DMA event. False when step 3e aborts
 * the transfer (no irq). Its own function so that V8, which inlines within a
 * bytecode budget per optimized function, can inline the entry's struct read
 * here and the sender's in dmaTransfer (bench/README.md "Profile").
 */
function copyIntoEntry(host: Host, src: Lguest, udma: number, srcDma: DmaSections, dst: Lguest, entry: number, base: number, key: number): boolean {
  const L = host.dma;
  const dstDma = readSections(host, dst, entry, dstScratch);
  const count = doDma(host, src, srcDma, dst, dstDma);
  host.bytesCopied += count;
  // Step 3d: the sender learns the count first (§7.11).
  host.writeU32(src, udma + L.usedLen, count);
  // Step 3e: nothing copied from a non-empty source: abort without irq.
  if (count === 0 && srcDma.count !== 0) return false;
  // Step 3f: data before length — the receiver's used_len is written last (§7.12: 0 for an empty "ping").
  dst.mem.setU32(entry + L.usedLen, count);
  const b = dst.bindings;
  b[base + BW.nextDma] = (b[base + BW.nextDma] + 1) & 0xffff; // §7.8: by one, whichever entry was used.
  host.events.push(EventKind.DMA, src.index, host.clock.now, dst.index, key >>> 0, udma >>> 0, entry, count);
  return true;
}

/**
 * do_dma() (io.c v2.6.23): step 3a's checks, then step 3c's copy; returns the
 * bytes copied. Its own function as in io.c, which also gives V8 a separate
 * inlining budget for the checks and the copy (dmaTransfer's is spent on the
 * struct reads, the scan and the events).
 */
function doDma(host: Host, src: Lguest, srcDma: DmaSections, dst: Lguest, dstDma: DmaSections): number {
  // Step 3a: receiver checked first, then sender (§7.15). A failed check is
  // not an early return for dma_transfer: do_dma() returns 0 and it carries on
  // with that count, so the sender's used_len becomes 0 and an empty source
  // still takes the entry and raises the irq.
  if (!checkDmaList(host, dst, dstDma) || !checkDmaList(host, src, srcDma)) return 0;
  // Step 3c: walk both lists in parallel (§7.9, §7.10).
  return copySections(src.mem, srcDma, dst.mem, dstDma);
}

/** set_bit(irq, irqs_pending) + wake_up_process (spec §6). */
export function raiseIrq(host: Host, g: Lguest, irq: number, source: number): void {
  g.pendingIrqs = (g.pendingIrqs | (1 << irq)) >>> 0;
  host.events.push(EventKind.IRQ_RAISE, g.index, host.clock.now, irq, source, 0, 0, 0);
}
