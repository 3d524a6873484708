/**
 * Spec §7 rule 15 followed to the end of dma_transfer (spec §2.4 step 3a,
 * io.c v2.6.23): when check_dma_list fails, do_dma() returns 0 and
 * dma_transfer() carries on with that count. The sender's used_len is written
 * (0) whatever the guest left there; a non-empty source then aborts (no
 * receiver update, no irq); an empty source still takes the entry, advances
 * next_dma and raises the receiver's irq. Guest 0 receives, guest 1 sends, on
 * one shared page; the test plays both guests (src/core/checklist-rig.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../abi/constants.ts';
import { bench, bindings, DMA, eventsOf, hcallOn, killed, putDma, usedLen } from '../testing/checklist-rig.ts';
import { EventKind, IrqSource } from '../hw/events.ts';
import type { Machine } from '../machine/machine.ts';
import type { Section } from '../guest/script-builders.ts';
import { packBind } from '../guest/script-builders.ts';

const SHARED = 0x30000;
const KEY = SHARED + 0x40;
const RECEIVER = 0;
const SENDER = 1;
const ARR = 0x2000;
const BUF = 0x8000;
const SRC = 0x4000;
const DATA_AT = 0x5000;
const IRQ = 3;
/** What a careless guest left in its own used_len before sending: never zeroed. */
const STALE = 0xdead;
const shared = [{ pages: 1, map: [{ guest: RECEIVER, gpa: SHARED }, { guest: SENDER, gpa: SHARED }] }];
const RULE =
  '§7.15 In guest-to-guest transfers a section longer than 4096 bytes, crossing a 4096-byte boundary, or out of range kills the guest that owns that descriptor with "bad DMA entry: %u@%#lx", destination checked first.';

/** The receiver bound with one free entry of sections `dst`; the sender's struct holds `src` and a stale used_len. */
function sendOnce(dst: readonly Section[], src: readonly Section[]): Machine {
  const m = bench(2, shared);
  putDma(m, RECEIVER, ARR, dst, 0);
  expect(hcallOn(m, RECEIVER, 'BIND_DMA', KEY, ARR, packBind(1, IRQ))).toBe(1);
  putDma(m, SENDER, SRC, src, STALE);
  hcallOn(m, SENDER, 'SEND_DMA', KEY, SRC);
  return m;
}

const BAD_DST: Section = { addr: BUF + 0xf80, len: 0x100 }; // crosses a page boundary
const BAD_SRC: Section = { addr: DATA_AT + 0xf80, len: 0x100 };

describe('spec §7.15 to the end of dma_transfer', () => {
  it(`${RULE} — after a bad receiver section the sender's used_len is 0 (the count), and a non-empty source aborts without an irq`, () => {
    const m = sendOnce([BAD_DST], [{ addr: DATA_AT, len: 4 }]);
    expect(killed(m, RECEIVER)).toBe(`bad DMA entry: 256@${'0x' + (BUF + 0xf80).toString(16)}`);
    expect(killed(m, SENDER)).toBeNull();
    expect(usedLen(m, SENDER, SRC)).toBe(0);
    expect(usedLen(m, RECEIVER, ARR)).toBe(0);
    expect(bindings(m, RECEIVER)[0].next).toBe(0);
    expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(0);
  });

  it(`${RULE} — after a bad sender section the sender's used_len is 0 (the count), and the abort leaves the receiver untouched`, () => {
    const m = sendOnce([{ addr: BUF, len: 0x100 }], [BAD_SRC]);
    expect(killed(m, SENDER)).toBe(`bad DMA entry: 256@${'0x' + (DATA_AT + 0xf80).toString(16)}`);
    expect(killed(m, RECEIVER)).toBeNull();
    expect(usedLen(m, SENDER, SRC)).toBe(0);
    expect(usedLen(m, RECEIVER, ARR)).toBe(0);
    expect(bindings(m, RECEIVER)[0].next).toBe(0);
    expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(0);
  });

  it(`${RULE} — an empty source with a bad receiver section still takes the entry (used_len 0), advances next_dma and raises the irq`, () => {
    const m = sendOnce([BAD_DST], []);
    expect(killed(m, RECEIVER)).toMatch(/^bad DMA entry: 256@/);
    expect(usedLen(m, SENDER, SRC)).toBe(0);
    expect(usedLen(m, RECEIVER, ARR)).toBe(0);
    expect(eventsOf(m, EventKind.DMA).map((e) => [e.guest, e.a, e.d, e.e])).toEqual([[SENDER, RECEIVER, ARR, 0]]);
    expect(bindings(m, RECEIVER)[0].next).toBe(1);
    expect(eventsOf(m, EventKind.IRQ_RAISE).map((e) => [e.guest, e.a, e.b])).toEqual([[RECEIVER, IRQ, IrqSource.DMA]]);
  });

  it(`${RULE} — property: whatever the sections, the sender's used_len ends as the count, and the irq is raised iff something was taken`, () => {
    // A section is good (inside one page of the 0x20000-byte guest) or bad (crossing, too long, or out of range).
    const section = (base: number): fc.Arbitrary<Section> =>
      fc.oneof(
        fc.record({ addr: fc.integer({ min: 0, max: 0xf0 }).map((o) => base + o), len: fc.integer({ min: 1, max: 0x10 }) }),
        fc.constant({ addr: base + PAGE_SIZE - 8, len: 16 }),
        fc.constant({ addr: base, len: PAGE_SIZE + 1 }),
        fc.constant({ addr: 0x7fff0000, len: 4 }),
      );
    fc.assert(
      fc.property(fc.array(section(BUF), { minLength: 1, maxLength: 3 }), fc.array(section(DATA_AT), { maxLength: 3 }), fc.integer({ min: 1, max: 0xffff }), (dst, src, stale) => {
        const m = bench(2, shared);
        putDma(m, RECEIVER, ARR, dst, 0);
        hcallOn(m, RECEIVER, 'BIND_DMA', KEY, ARR, packBind(1, IRQ));
        putDma(m, SENDER, SRC, src, stale);
        hcallOn(m, SENDER, 'SEND_DMA', KEY, SRC);
        const ok = (s: Section): boolean => s.addr + s.len <= 0x20000 && s.len <= PAGE_SIZE && (s.addr % PAGE_SIZE) + s.len <= PAGE_SIZE;
        const checked = dst.every(ok) && src.every(ok);
        const total = (l: readonly Section[]): number => l.reduce((n, s) => n + s.len, 0);
        const count = checked ? Math.min(total(src), total(dst)) : 0;
        expect(usedLen(m, SENDER, SRC)).toBe(count);
        const taken = count !== 0 || src.length === 0;
        expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(taken ? 1 : 0);
        expect(bindings(m, RECEIVER)[0].next).toBe(taken ? 1 : 0);
        expect(usedLen(m, RECEIVER, ARR)).toBe(taken ? count : 0);
      }),
      { numRuns: 150 },
    );
  });
});
