/**
 * The incremental state hash equals the definition (hashBytes over every
 * region) after any sequence of writes, zero runs included, and through
 * checkpoint restores (issue #15).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../abi/constants.ts';
import { Checkpoints } from '../machine/checkpoints.ts';
import { Machine } from '../machine/machine.ts';
import { fullHash, MemoryHash, zeroWords1, zeroWords2 } from './memory-hash.ts';
import { GuestMemory } from './memory.ts';
import { SharedObject } from './shared-object.ts';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/scenario.ts';

const alloc = (n: number): ArrayBuffer => new ArrayBuffer(n);

function naive(x: number, n: number): [number, number] {
  let a = x | 0;
  let b = x | 0;
  for (let i = 0; i < n; i++) {
    a = Math.imul(a, 0x01000193);
    b = Math.imul(b, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a, b];
}

describe('zero runs', () => {
  it('jump exactly as many steps as the word loop takes, below and above the cycle-detection threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 130_000, max: 400_000 })), (x, n) => {
        const [a, b] = naive(x, n);
        expect(zeroWords1(x, n) | 0).toBe(a);
        expect(zeroWords2(x, n) | 0).toBe(b);
      }),
      { numRuns: 25 },
    );
  });
});

/** Two guests' memories (one of 200 pages: a zero run past the threshold) sharing a 2-page object. */
function regions(): { mems: GuestMemory[]; obj: SharedObject } {
  const a = new GuestMemory(200 * PAGE_SIZE, 200 * PAGE_SIZE, alloc);
  const b = new GuestMemory(8 * PAGE_SIZE, 8 * PAGE_SIZE, alloc);
  const obj = new SharedObject(0, 's', 2, alloc);
  a.mapShared(150, obj, 1);
  b.mapShared(3, obj, 0);
  return { mems: [a, b], obj };
}

const write = fc.record({
  guest: fc.integer({ min: 0, max: 1 }),
  page: fc.integer({ min: 0, max: 199 }),
  off: fc.integer({ min: 0, max: PAGE_SIZE - 4 }),
  /** 0 writes zero back (a page that becomes all zero again). */
  value: fc.oneof(fc.constant(0), fc.nat()),
  hashAfter: fc.boolean(),
});

describe('MemoryHash', () => {
  it('equals hashBytes over every region after any writes, hashed at any points', () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), (writes) => {
        const { mems, obj } = regions();
        const all = [...mems, obj];
        const h = new MemoryHash(all);
        expect(h.hex()).toBe(fullHash(all));
        for (const w of writes) {
          const m = mems[w.guest];
          const gpa = (w.page % m.pfnLimit) * PAGE_SIZE + w.off;
          m.setU32(gpa, w.value);
          if (w.hashAfter) expect(h.hex()).toBe(fullHash(all));
        }
        expect(h.hex()).toBe(fullHash(all));
      }),
      { numRuns: 60 },
    );
  });

  it('a written page that is zero again joins the zero run; an unwritten hash is the cached one', () => {
    const { mems, obj } = regions();
    const all = [...mems, obj];
    const h = new MemoryHash(all);
    const empty = h.hex();
    mems[0].setU32(100 * PAGE_SIZE, 7);
    const seven = h.hex();
    expect(seven).not.toBe(empty);
    expect(h.hex()).toBe(seven);
    mems[0].setU32(100 * PAGE_SIZE, 0);
    expect(h.hex()).toBe(empty);
    expect(empty).toBe(fullHash(all));
  });

  it("is the Machine's hash through a ping flood, checkpoints and seeks back and forth", () => {
    const r = validateScenario(PRESETS.net);
    if (!r.ok) throw new Error(r.error.message);
    const m = new Machine(r.value, { alloc });
    // A page only checkpoint 0 has (see the end).
    const mem = m.launchers[0].memory;
    mem.setU32(100 * PAGE_SIZE, 0xdecade);
    const cps = new Checkpoints(m, 512);
    const run = (quanta: number): void => {
      for (let q = 0; q < quanta; q++) {
        cps.beforeStep();
        if (!m.step()) break;
      }
    };
    run(100_000);
    m.typeInput(0, 'ping 1 200\r');
    run(3_000);
    expect(m.hash()).toBe(fullHash(m.hashRegions()));
    run(1_000_000);
    const end = m.events.count;
    expect(m.hash()).toBe(fullHash(m.hashRegions()));
    for (const at of [Math.floor(end / 3), 10, end - 2, Math.floor(end / 2)]) {
      expect(cps.seek(at)).toBe(true);
      expect(m.hash()).toBe(fullHash(m.hashRegions()));
    }
    // A page that is zero when hashed and that only the restore brings back (no run writes it).
    mem.setU32(100 * PAGE_SIZE, 0);
    const cleared = m.hash();
    expect(cleared).toBe(fullHash(m.hashRegions()));
    expect(cps.seek(10)).toBe(true);
    expect(mem.u32(100 * PAGE_SIZE)).toBe(0xdecade);
    expect(m.hash()).not.toBe(cleared);
    expect(m.hash()).toBe(fullHash(m.hashRegions()));
  });
});
