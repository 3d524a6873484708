import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } from '../../abi/index.ts';
import { GuestMemory } from '../../hw/memory.ts';
import { gatherDma, pageSections, readDma, usedLen, writeDma } from './dma.ts';
import { kernelLayouts } from './layout.ts';

const mem = (): GuestMemory => new GuestMemory(0x10000, 0x10000, (n) => new ArrayBuffer(n));

describe('pageSections', () => {
  it('covers the range exactly with sections ≤ 4096 that never cross a page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x100000 }), fc.integer({ min: 0, max: 5 * PAGE_SIZE }), (addr, len) => {
        const ss = pageSections(addr, len);
        let at = addr;
        for (const s of ss) {
          expect(s.addr).toBe(at);
          expect(s.len).toBeGreaterThan(0);
          expect(s.len).toBeLessThanOrEqual(PAGE_SIZE);
          expect(Math.floor(s.addr / PAGE_SIZE)).toBe(Math.floor((s.addr + s.len - 1) / PAGE_SIZE));
          at += s.len;
        }
        expect(at).toBe(addr + len);
      }),
    );
  });

  it('cuts a 1514-byte buffer at 0x7bd4 into two sections', () => {
    expect(pageSections(0x7bd4, 1514)).toEqual([
      { addr: 0x7bd4, len: 0x42c },
      { addr: 0x8000, len: 1514 - 0x42c },
    ]);
  });
});

describe('writeDma / readDma', () => {
  for (const arch of ['i386', 'x86_64'] as const) {
    it(`${arch}: round-trips any list of up to 16 sections and terminates it`, () => {
      const L = kernelLayouts(arch);
      fc.assert(
        fc.property(fc.array(fc.record({ addr: fc.integer({ min: 0, max: 0xffffffff }), len: fc.integer({ min: 1, max: 0xffff }) }), { maxLength: LGUEST_MAX_DMA_SECTIONS }), (ss) => {
          const m = mem();
          m.write(0x100, new Uint8Array(L.dma.size).fill(0xee)); // stale contents must not survive
          writeDma(m, L.dma, 0x100, ss);
          expect(readDma(m, L.dma, 0x100)).toEqual(ss);
          expect(usedLen(m, L.dma, 0x100)).toBe(0);
        }),
      );
    });
  }

  it('refuses more than 16 sections', () => {
    const L = kernelLayouts('i386');
    expect(() => writeDma(mem(), L.dma, 0, pageSections(0, 17 * PAGE_SIZE))).toThrow(RangeError);
  });

  it('gathers the bytes the sections describe, in order', () => {
    const L = kernelLayouts('i386');
    const m = mem();
    m.write(0x3ffe, Uint8Array.from([1, 2, 3, 4]));
    writeDma(m, L.dma, 0x100, pageSections(0x3ffe, 4));
    expect(Array.from(gatherDma(m, L.dma, 0x100, 3))).toEqual([1, 2, 3]);
  });
});
