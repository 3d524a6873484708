/**
 * copy_data's runs (dma-engine.ts copyData, GuestMemory.copyRun): pieces that
 * continue each other on both sides, in private pages, are moved at once. A
 * SEND_DMA must still leave exactly what the piece-by-piece copy of io.c's
 * copy_data() would (spec §2.4 step 3c, §7.9): the destination sections hold
 * the source stream, nothing else of the receiver changed, and the pages
 * marked written are the pages the copied bytes landed in. Section lists are
 * laid end to end (so runs form), with random breaks, some sections in the
 * shared page (never part of a run), and lengths that split pieces unevenly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } from '../abi/constants.ts';
import { bench, hcallOn, mem, putDma, usedLen } from '../testing/checklist-rig.ts';
import type { Section } from '../guest/script-builders.ts';
import { packBind } from '../guest/script-builders.ts';

const SHARED = 0x30000;
const KEY = SHARED + 0x40;
const RECEIVER = 0;
const SENDER = 1;
const shared = [{ pages: 1, map: [{ guest: RECEIVER, gpa: SHARED }, { guest: SENDER, gpa: SHARED }] }];
/** Private sections start at page 2 and stay below page 28 (16 sections of at most a page each, plus breaks). */
const FIRST = 2 * PAGE_SIZE;

interface Spec {
  readonly len: number;
  /** Bytes skipped before this section (0: it continues the previous one). */
  readonly gap: number;
  readonly inShared: boolean;
}

const spec = fc.record({
  len: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: PAGE_SIZE })),
  gap: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }) }),
  inShared: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const specs = fc.array(spec, { minLength: 1, maxLength: LGUEST_MAX_DMA_SECTIONS });

/** Lay sections end to end from `start`, none crossing a page; shared ones go to [sharedLo, sharedLo + 0x700). */
function place(list: readonly Spec[], start: number, sharedLo: number): Section[] {
  let at = start;
  let sharedAt = sharedLo;
  const out: Section[] = [];
  for (const s of list) {
    if (s.inShared) {
      const len = Math.min(s.len, sharedLo + 0x700 - sharedAt);
      if (len > 0) out.push({ addr: SHARED + sharedAt, len });
      sharedAt += len;
      continue;
    }
    at += s.gap;
    const len = Math.min(s.len, PAGE_SIZE - (at % PAGE_SIZE));
    out.push({ addr: at, len });
    at += len;
  }
  return out;
}

describe('copy_data moves runs of contiguous pieces at once', () => {
  // Each lguest_dma sits at 0x1000 plus an offset: aligned structs are decoded from the guest's words,
  // unaligned ones through the DataView (dma-engine.ts readSections); both must read the same lists.
  const structOff = fc.constantFrom(0, 0, 1, 2, 4, 6);
  it('§7.9 a SEND_DMA leaves the same bytes and written-page marks as a piece-by-piece copy — property over end-to-end section lists', () => {
    fc.assert(
      fc.property(specs, specs, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: PAGE_SIZE - 1 }), structOff, structOff, (src, dst, seed, off, rxAt, txAt) => {
        const m = bench(2, shared);
        const ds = place(dst, FIRST + off, 0x800);
        const ss = place(src, FIRST + ((off * 7) % PAGE_SIZE), 0x100);
        putDma(m, RECEIVER, 0x1000 + rxAt, ds);
        hcallOn(m, RECEIVER, 'BIND_DMA', KEY, 0x1000 + rxAt, packBind(1, 3));
        const stream: number[] = [];
        for (const s of ss) {
          const bytes = Uint8Array.from({ length: s.len }, (_, k) => (seed + stream.length + k * 7) & 0xff);
          mem(m, SENDER).write(s.addr, bytes);
          stream.push(...bytes);
        }
        putDma(m, SENDER, 0x1000 + txAt, ss);
        const rx = mem(m, RECEIVER);
        const before = rx.bytes.slice();
        const obj = m.host.guests[RECEIVER]!.mem.sharedAt(SHARED)!.object;
        const objBefore = obj.bytes.slice();
        rx.dirty.fill(0);
        obj.dirty.fill(0);
        hcallOn(m, SENDER, 'SEND_DMA', KEY, 0x1000 + txAt);

        // The model: the stream poured into the destination sections in order.
        const want = before.slice();
        const objWant = objBefore.slice();
        const landed = new Set<number>();
        let k = 0;
        for (const s of ds) {
          for (let i = 0; i < s.len && k < stream.length; i++, k++) {
            const gpa = s.addr + i;
            if (gpa >= SHARED) objWant[gpa - SHARED] = stream[k];
            else {
              want[gpa] = stream[k];
              landed.add(Math.floor(gpa / PAGE_SIZE));
            }
          }
        }
        expect(usedLen(m, RECEIVER, 0x1000 + rxAt)).toBe(k);
        expect(usedLen(m, SENDER, 0x1000 + txAt)).toBe(k);
        // The receiver's entry (page 1) gets its used_len; everything from page 2 on is the copy's alone.
        expect(Buffer.from(rx.bytes.subarray(FIRST)).equals(Buffer.from(want.subarray(FIRST)))).toBe(true);
        expect(Buffer.from(obj.bytes.subarray(0x800)).equals(Buffer.from(objWant.subarray(0x800)))).toBe(true);
        for (let p = 2; p < rx.pfnLimit; p++) if (p !== SHARED / PAGE_SIZE) expect([p, rx.dirty[p]]).toEqual([p, landed.has(p) ? 1 : 0]);
      }),
      { numRuns: 300 },
    );
  });
});
