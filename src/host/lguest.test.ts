/**
 * Lguest.save()/restore(): a checkpoint's share of a guest is exactly what
 * restore puts back, and the saved bindings are a copy (a later bind must
 * not change a checkpoint taken before it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LGUEST_MAX_DMA } from '../abi/constants.ts';
import { GuestMemory } from '../hw/memory.ts';
import { defaultAllocator } from '../hw/shared-object.ts';
import { asGpa } from '../base/units.ts';
import { BINDING_WORDS, Lguest, type LguestState } from './lguest.ts';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const stateArb: fc.Arbitrary<LguestState> = fc.record({
  lguestData: u32,
  initialized: fc.boolean(),
  dead: fc.option(fc.string(), { nil: null }),
  halted: fc.boolean(),
  pendingIrqs: u32,
  idtPresent: u32,
  idtTrapGate: u32,
  pendingDma: fc.option(fc.record({ dma: u32.map(asGpa), key: u32.map(asGpa) }), { nil: null }),
  pendingHcall: fc.option(fc.record({ call: u32, edx: u32, ebx: u32, ecx: u32 }), { nil: null }),
  breakOut: fc.boolean(),
  nextHcall: fc.integer({ min: 0, max: 63 }),
  noirqStart: u32,
  noirqEnd: u32,
  eax: u32,
  bindings: fc.array(u32, { minLength: LGUEST_MAX_DMA * BINDING_WORDS, maxLength: LGUEST_MAX_DMA * BINDING_WORDS }).map((a) => Uint32Array.from(a)),
});

const fresh = (): Lguest => new Lguest(0, new GuestMemory(0x10000, 0x11000, defaultAllocator), defaultAllocator);

describe('Lguest save/restore', () => {
  it('restore(st) then save() gives st back', () => {
    fc.assert(
      fc.property(stateArb, (st) => {
        const g = fresh();
        g.restore(st);
        expect(g.save()).toEqual(st);
      }),
      { numRuns: 50 },
    );
  });

  it('a saved state does not follow later changes', () => {
    const g = fresh();
    const st = g.save();
    g.bindings[0] = 7;
    g.pendingIrqs = 5;
    expect(st.bindings[0]).toBe(0);
    expect(st.pendingIrqs).toBe(0);
    g.restore(st);
    expect(g.bindings[0]).toBe(0);
  });
});
