/**
 * Spec §7 rules 19-21 (BIND_DMA: spec §2.3). Scripted guests show the return
 * values a guest sees in %eax; the bench checks the binding table and what a
 * later SEND_DMA finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LGUEST_IRQS, LGUEST_MAX_DMA } from '../abi/constants.ts';
import { bench, bindings, DMA, eventsOf, hcallOn, killed, putDma, retOf, run, usedLen } from '../testing/checklist-rig.ts';
import { EventKind } from '../hw/events.ts';
import type { Machine } from '../machine/machine.ts';
import type { ScriptStep } from '../guest/script-step.ts';
import { hcall, packBind, writeDma } from '../guest/script-builders.ts';

const MEM = 0x20000;
const SHARED = 0x30000;
const KEY = SHARED + 0x20;
const shared = [{ pages: 1, map: [{ guest: 0, gpa: SHARED }, { guest: 1, gpa: SHARED }] }];

/** Guest 1 sends 4 bytes to KEY; returns the receiver entry gpa the DMA landed in, or null. */
function probe(m: Machine): number | null {
  putDma(m, 1, 0x4000, [{ addr: 0x5000, len: 4 }]);
  const before = eventsOf(m, EventKind.DMA).length;
  hcallOn(m, 1, 'SEND_DMA', KEY, 0x4000);
  const after = eventsOf(m, EventKind.DMA);
  return after.length > before ? after[after.length - 1].d : null;
}

describe('spec §7 binding', () => {
  it('§7.19 BIND_DMA returns 1 on success and 0 (without killing) when irq ≥ LGUEST_IRQS or all 32 binding slots are in use.', () => {
    // Scripted: 32 binds succeed, the 33rd returns 0; irq 32 and 255 return 0; the guest lives on.
    const script: ScriptStep[] = [];
    for (let i = 0; i < LGUEST_MAX_DMA + 1; i++) script.push(hcall('BIND_DMA', 0x6000 + 4 * i, 0x2000, packBind(1, 1 + (i % 31))));
    script.push(hcall('BIND_DMA', 0x7000, 0x2000, packBind(1, LGUEST_IRQS)), hcall('BIND_DMA', 0x7000, 0x2000, packBind(1, 255)));
    const m = run({ guests: [{ kernel: 'script', memory: MEM, script }] });
    for (let i = 0; i < LGUEST_MAX_DMA; i++) expect(retOf(m, 0, i)).toBe(1);
    expect(retOf(m, 0, LGUEST_MAX_DMA)).toBe(0);
    expect(retOf(m, 0, LGUEST_MAX_DMA + 1)).toBe(0);
    expect(retOf(m, 0, LGUEST_MAX_DMA + 2)).toBe(0);
    expect(killed(m, 0)).toBeNull();
    expect(bindings(m, 0)).toHaveLength(LGUEST_MAX_DMA);

    // irq ≥ LGUEST_IRQS is refused before the key is looked at: even a bad key does not kill.
    const b = bench(1);
    expect(hcallOn(b, 0, 'BIND_DMA', 0x4002, 0x2000, packBind(1, LGUEST_IRQS))).toBe(0);
    expect(killed(b, 0)).toBeNull();
    expect(hcallOn(b, 0, 'BIND_DMA', 0x4000, 0x2000, packBind(1, LGUEST_IRQS - 1))).toBe(1);
    // Freeing a slot makes room again.
    const f = bench(1);
    for (let i = 0; i < LGUEST_MAX_DMA; i++) expect(hcallOn(f, 0, 'BIND_DMA', 0x6000 + 4 * i, 0x2000, packBind(1, 3))).toBe(1);
    expect(hcallOn(f, 0, 'BIND_DMA', 0x7000, 0x2000, packBind(1, 3))).toBe(0);
    expect(hcallOn(f, 0, 'BIND_DMA', 0x6000 + 4 * 7, 0x2000, 0)).toBe(1);
    expect(hcallOn(f, 0, 'BIND_DMA', 0x7000, 0x2000, packBind(1, 3))).toBe(1);
  });

  it('§7.19 BIND_DMA returns 1 on success and 0 (without killing) when irq ≥ LGUEST_IRQS or all 32 binding slots are in use. — property over irq and the number of slots already used', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: LGUEST_MAX_DMA }), (irq, used) => {
        const m = bench(1);
        for (let i = 0; i < used; i++) hcallOn(m, 0, 'BIND_DMA', 0x6000 + 4 * i, 0x2000, packBind(1, 3));
        const want = irq < LGUEST_IRQS && used < LGUEST_MAX_DMA ? 1 : 0;
        expect(hcallOn(m, 0, 'BIND_DMA', 0x7000, 0x2000, packBind(2, irq))).toBe(want);
        expect(killed(m, 0)).toBeNull();
        expect(bindings(m, 0)).toHaveLength(used + want);
      }),
      { numRuns: 100 },
    );
  });

  it('§7.20 BIND_DMA with irq 0 removes the binding matching both key and array address, returning 1 if one was found and 0 otherwise.', () => {
    const m = bench(2, shared);
    putDma(m, 0, 0x2000, [{ addr: 0x8000, len: 16 }]);
    putDma(m, 0, 0x2000 + DMA.size, [{ addr: 0x8100, len: 16 }]);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, packBind(1, 3))).toBe(1);
    // Wrong array, wrong key: nothing removed.
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000 + DMA.size, 0)).toBe(0);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY + 4, 0x2000, 0)).toBe(0);
    expect(bindings(m, 0)).toHaveLength(1);
    expect(probe(m)).toBe(0x2000);
    // Right key and array (num ignored): removed, and a send finds nobody.
    mem0Free(m);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, packBind(5, 0))).toBe(1);
    expect(bindings(m, 0)).toHaveLength(0);
    expect(probe(m)).toBeNull();
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, 0)).toBe(0);

    // Duplicates are allowed; one unbind removes one of them.
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, packBind(1, 3))).toBe(1);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, packBind(1, 4))).toBe(1);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, 0)).toBe(1);
    expect(bindings(m, 0)).toHaveLength(1);
    expect(probe(m)).toBe(0x2000);
    // Another guest's binding of the same key and address is not this guest's to remove.
    putDma(m, 1, 0x2000, [{ addr: 0x8000, len: 16 }]);
    expect(hcallOn(m, 1, 'BIND_DMA', KEY, 0x2000, packBind(1, 3))).toBe(1);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, 0)).toBe(1);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, 0)).toBe(0);
    expect(bindings(m, 1)).toHaveLength(1);
    expect(killed(m, 0)).toBeNull();
  });

  it('§7.21 The third BIND_DMA argument is (num << 8) | irq, with num truncated to 16 bits, and the array is not validated at bind time.', () => {
    const m = bench(2, shared);
    // num = 0x10002 is stored as 2; irq = 5.
    for (let i = 0; i < 3; i++) putDma(m, 0, 0x2000 + i * DMA.size, [{ addr: 0x8000 + i * 0x100, len: 16 }]);
    expect(hcallOn(m, 0, 'BIND_DMA', KEY, 0x2000, ((0x10002 << 8) | 5) >>> 0)).toBe(1);
    expect(bindings(m, 0).map((b) => [b.num, b.irq])).toEqual([[2, 5]]);
    // So only two entries are used: the third send finds the array full (and the irq is 5).
    expect(probe(m)).toBe(0x2000);
    expect(probe(m)).toBe(0x2000 + DMA.size);
    expect(probe(m)).toBeNull();
    expect(usedLen(m, 0, 0x2000 + 2 * DMA.size)).toBe(0);
    expect(new Set(eventsOf(m, EventKind.IRQ_RAISE, 0).map((e) => e.a))).toEqual(new Set([5]));

    // An array far outside guest memory, or with num 0, is accepted; nothing is read at bind time.
    const b = bench(1);
    expect(hcallOn(b, 0, 'BIND_DMA', 0x6000, 0xfffff000, packBind(16, 3))).toBe(1);
    expect(hcallOn(b, 0, 'BIND_DMA', 0x6004, 0x2000, packBind(0, 3))).toBe(1);
    expect(killed(b, 0)).toBeNull();
    expect(bindings(b, 0).map((x) => [x.dmas, x.num])).toEqual([
      ['0xfffff000', 16],
      ['0x2000', 0],
    ]);
  });

  it('§7.21 The third BIND_DMA argument is (num << 8) | irq, with num truncated to 16 bits, and the array is not validated at bind time. — property over the packed word', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (packed) => {
        const m = bench(1);
        const irq = packed & 0xff;
        const ret = hcallOn(m, 0, 'BIND_DMA', 0x6000, 0x2000, packed);
        if (irq === 0) expect(ret).toBe(0); // an unbind of nothing
        else if (irq >= LGUEST_IRQS) expect(ret).toBe(0);
        else {
          expect(ret).toBe(1);
          expect(bindings(m, 0).map((b) => [b.num, b.irq])).toEqual([[(packed >>> 8) & 0xffff, irq]]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** The receiver consumed what probe() delivered: its entries are free again. */
function mem0Free(m: Machine): void {
  for (let i = 0; i < 4; i++) m.launchers[0].memory.setU32(0x2000 + i * DMA.size, 0);
}
