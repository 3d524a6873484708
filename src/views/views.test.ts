/**
 * The shared-memory decoders read back what the ABI table's encoder wrote,
 * field for field, at any offset: the CLI summary and the page both rely on
 * them (src/machine/summary.ts, src/ui/client/struct-decoders.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeStruct } from '../abi/access.ts';
import { DEVICE_STATUS_BITS, LGUEST_MAX_DMA, PAGE_SIZE } from '../abi/constants.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_DMA } from '../abi/structs.ts';
import { BINDING, decodeBindingTable } from './bindings.ts';
import { BLOCK_PAGE, decodeBlockPageAt } from './block-page.ts';
import { DESC, decodeDescriptor } from './device-desc.ts';
import { decodeDmaStruct } from './dma.ts';
import { decodeNetSlotsAt } from './net-slots.ts';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const at = fc.integer({ min: 0, max: 64 });

describe('views decode what the table encodes', () => {
  it('lguest_device_desc: every field, the status names of the set bits, gpa = pfn × PAGE_SIZE', () => {
    fc.assert(
      fc.property(at, u16, u16, u16, u16, fc.integer({ min: 0, max: 0xfffff }), (base, type, features, status, numPages, pfn) => {
        const v = new DataView(new ArrayBuffer(base + DESC.size));
        encodeStruct(v, base, DESC, { type, features, status, num_pages: numPages, pfn });
        const d = decodeDescriptor(v, base);
        expect([d.type, d.features, d.status, d.numPages, d.pfn, d.gpa]).toEqual([type, features, status, numPages, pfn, pfn * PAGE_SIZE]);
        expect(d.statusNames).toEqual(DEVICE_STATUS_BITS.filter(([b]) => (status & b) !== 0).map(([, n]) => n));
      }),
    );
  });

  it('the binding table: bound slots only (interrupt ≠ 0), in slot order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(u32, fc.integer({ min: 0, max: 31 })), { minLength: LGUEST_MAX_DMA, maxLength: LGUEST_MAX_DMA }), (slots) => {
        const v = new DataView(new ArrayBuffer(LGUEST_MAX_DMA * BINDING.size));
        slots.forEach(([key, irq], i) => encodeStruct(v, i * BINDING.size, BINDING, { key, interrupt: irq }));
        const rows = decodeBindingTable(v);
        expect(rows.map((r) => [r.slot, r.key, r.irq])).toEqual(slots.flatMap(([key, irq], i) => (irq === 0 ? [] : [[i, key, irq]])));
      }),
    );
  });

  it('lguest_dma on both ABIs, and the block page', () => {
    for (const arch of ['i386', 'x86_64'] as const) {
      const L = layoutOf(LGUEST_DMA, arch);
      fc.assert(
        fc.property(at, u32, fc.array(u16, { minLength: 16, maxLength: 16 }), fc.array(u32, { minLength: 16, maxLength: 16 }), (base, used, len, addr) => {
          const v = new DataView(new ArrayBuffer(base + L.size));
          encodeStruct(v, base, L, { used_len: used, len, addr });
          expect(decodeDmaStruct(v, base, L)).toEqual({ usedLen: used, sections: len.map((l, i) => ({ addr: addr[i], len: l })) });
        }),
        { numRuns: 30 },
      );
    }
    const v = new DataView(new ArrayBuffer(BLOCK_PAGE.size));
    encodeStruct(v, 0, BLOCK_PAGE, { type: 1, sector: 5, bytes: 512, result: 2, num_sectors: 2048 });
    expect(decodeBlockPageAt(v, 0)).toEqual({ type: 1, sector: 5, bytes: 512, result: 2, numSectors: 2048 });
  });

  it('net slots: MAC bytes, the promiscuous bit, empty slots', () => {
    const bytes = new Uint8Array(PAGE_SIZE);
    bytes.set([0x03, 0, 1, 0, 0, 0], 6);
    const slots = decodeNetSlotsAt(new DataView(bytes.buffer), 3);
    expect(slots.map((s) => [s.empty, s.promisc])).toEqual([
      [true, false],
      [false, true],
      [true, false],
    ]);
    expect(slots[1].mac).toEqual([3, 0, 1, 0, 0, 0]);
  });
});
