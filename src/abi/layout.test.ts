/**
 * Tests of the C layout rules (layout.ts) and the DataView accessors
 * (access.ts), without a compiler: gcc-crosscheck.test.ts proves the real
 * structs against gcc, this file proves the rules hold for *any* struct the
 * table could declare, and that readers and writers are exact inverses.
 *
 * Layout rules checked (the System V i386 / x86_64 rules for plain structs,
 * spec §1.3): each field at the next multiple of its alignment with no extra
 * padding, fields in declaration order and disjoint, struct alignment = the
 * largest member's, size rounded up to it. Values are little-endian (x86).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStruct, type Decoded, elemAt, encodeStruct, readElem, writeElem } from './access.ts';
import { type Arch, ARCHES, type CType, scalarInfo } from './ctypes.ts';
import { computeLayout, field, type FieldLayout, layoutOf, type StructLayout } from './layout.ts';
import { ALL_STRUCTS, type FieldDecl, HCALL_RING, LAB_PACKET_HEADER, LGUEST_DATA, LGUEST_DEVICE_DESC, LGUEST_DMA, type StructDecl } from './structs.ts';

// Every CType, kept exhaustive by the compiler: adding a CType without listing it here fails the type check.
const CTYPE_SET = { __u8: true, __u16: true, __be16: true, __u32: true, __be32: true, int: true, 'unsigned char': true, 'unsigned int': true, 'unsigned long': true } satisfies Record<CType, true>;
const CTYPES = Object.keys(CTYPE_SET) as CType[];
/** The scalar type of a field of a random declaration (declArb makes only scalars). */
const scalar = (t: CType | StructDecl): CType => {
  if (typeof t !== 'string') throw new Error(`struct ${t.name} where a scalar was expected`);
  return t;
};

// ---------------------------------------------------------------------------
// Arbitraries

const archArb: fc.Arbitrary<Arch> = fc.constantFrom(...ARCHES);

const fieldArb = (i: number): fc.Arbitrary<FieldDecl> =>
  fc.record({ ctype: fc.constantFrom(...CTYPES), count: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }) }).map(({ ctype, count }) => (count === undefined ? { name: `f${i}`, ctype } : { name: `f${i}`, ctype, count }));

/** Random struct declarations; field names are unique by construction (f0, f1, ...) as C requires. */
const declArb: fc.Arbitrary<StructDecl> = fc
  .array(fc.constantFrom(...CTYPES), { minLength: 1, maxLength: 12 })
  .chain((types) => fc.tuple(...types.map((_, i) => fieldArb(i))))
  .map((fields) => ({ name: 'random_struct', header: 'lguest-lab', fields }));

/** A value in range for one element of a field (what C could store there). */
function elemValueArb(fl: FieldLayout): fc.Arbitrary<number> {
  switch (fl.elemSize) {
    case 1:
      return fc.integer({ min: 0, max: 0xff });
    case 2:
      return fc.integer({ min: 0, max: 0xffff });
    case 4:
      return fl.signed ? fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }) : fc.integer({ min: 0, max: 0xffff_ffff });
    default:
      // 8-byte unsigned long: access.ts promises exactness up to 2^53 (doubles).
      return fc.maxSafeNat();
  }
}

/** A whole-struct value: every field, arrays as number[] of their full length. */
function structValueArb(l: StructLayout): fc.Arbitrary<Decoded> {
  const entries = l.order.map((fl): fc.Arbitrary<readonly [string, Decoded[string]]> => {
    const inner = fl.struct;
    const one: fc.Arbitrary<number | Decoded> = inner ? structValueArb(inner) : elemValueArb(fl);
    return fl.isArray ? fc.array(one, { minLength: fl.count, maxLength: fl.count }).map((v) => [fl.name, v as number[] | Decoded[]] as const) : one.map((v) => [fl.name, v] as const);
  });
  return fc.tuple(...entries).map((kv) => Object.fromEntries(kv));
}

/** A random layout plus a struct base inside a buffer with slack on both sides (so stray writes are visible). */
const placedArb = fc.record({ decl: declArb, arch: archArb, base: fc.integer({ min: 0, max: 64 }), slack: fc.integer({ min: 0, max: 16 }), fill: fc.integer({ min: 0, max: 0xff }) });

const bytes = (view: DataView): number[] => [...new Uint8Array(view.buffer, view.byteOffset, view.byteLength)];

// ---------------------------------------------------------------------------
// layout.ts

describe('computeLayout: C rules hold for random declarations', () => {
  it('every field is aligned to its type and sized elemSize × count', () => {
    fc.assert(
      fc.property(declArb, archArb, (decl, arch) => {
        const l = computeLayout(decl, arch);
        for (const [i, fl] of l.order.entries()) {
          const s = scalarInfo(scalar(decl.fields[i].ctype), arch);
          expect(fl.offset % s.align).toBe(0);
          expect(fl.elemSize).toBe(s.size);
          expect(fl.signed).toBe(s.signed);
          expect(fl.count).toBe(decl.fields[i].count ?? 1);
          expect(fl.isArray).toBe(decl.fields[i].count !== undefined);
          expect(fl.size).toBe(fl.elemSize * fl.count);
        }
      }),
    );
  });

  it('fields keep declaration order, do not overlap, and get only the padding alignment needs', () => {
    fc.assert(
      fc.property(declArb, archArb, (decl, arch) => {
        const l = computeLayout(decl, arch);
        expect(l.order.map((fl) => fl.name)).toEqual(decl.fields.map((fd) => fd.name));
        let end = 0;
        for (const fl of l.order) {
          expect(fl.offset).toBeGreaterThanOrEqual(end);
          // Padding before a field is the least that aligns it: less than its alignment.
          expect(fl.offset - end).toBeLessThan(scalarInfo(scalar(fl.ctype), arch).align);
          end = fl.offset + fl.size;
        }
        expect(l.size).toBeGreaterThanOrEqual(end);
        // Tail padding too is the least that rounds the size up to the alignment (arrays of the struct stay aligned).
        expect(l.size - end).toBeLessThan(l.align);
      }),
    );
  });

  it('alignment is the largest member alignment, a power of two, and divides the size', () => {
    fc.assert(
      fc.property(declArb, archArb, (decl, arch) => {
        const l = computeLayout(decl, arch);
        expect(l.align).toBe(Math.max(...decl.fields.map((fd) => scalarInfo(scalar(fd.ctype), arch).align)));
        expect(Number.isInteger(Math.log2(l.align))).toBe(true);
        expect(l.size % l.align).toBe(0);
      }),
    );
  });

  it('the fields record and the order list hold the same field layouts', () => {
    fc.assert(
      fc.property(declArb, archArb, (decl, arch) => {
        const l = computeLayout(decl, arch);
        expect(Object.keys(l.fields)).toEqual(l.order.map((fl) => fl.name));
        for (const fl of l.order) expect(field(l, fl.name)).toBe(fl);
      }),
    );
  });

  it('without unsigned long, i386 and x86_64 agree (spec §1.3: "identical on both")', () => {
    const noLongArb = declArb.filter((d) => d.fields.every((fd) => fd.ctype !== 'unsigned long'));
    fc.assert(
      fc.property(noLongArb, (decl) => {
        const { arch: _a, ...i386 } = computeLayout(decl, 'i386');
        const { arch: _b, ...x86_64 } = computeLayout(decl, 'x86_64');
        expect(x86_64).toEqual(i386);
      }),
    );
  });
});

describe('layout of the real structs (spec §1.3)', () => {
  it('lguest_device_desc: 12 bytes, pfn at 8, on both ABIs', () => {
    for (const arch of ARCHES) {
      const l = layoutOf(LGUEST_DEVICE_DESC, arch);
      expect({ size: l.size, align: l.align, pfn: field(l, 'pfn').offset, num_pages: field(l, 'num_pages').offset }).toEqual({ size: 12, align: 4, pfn: 8, num_pages: 6 });
    }
  });

  it('lguest_dma in seed order: x86_64 pads 4 bytes before addr[] (spec §1.3)', () => {
    const i386 = layoutOf(LGUEST_DMA, 'i386');
    const x64 = layoutOf(LGUEST_DMA, 'x86_64');
    expect([i386.size, field(i386, 'len').offset, field(i386, 'addr').offset, field(i386, 'addr').size]).toEqual([100, 4, 36, 64]);
    expect([x64.size, field(x64, 'len').offset, field(x64, 'addr').offset, field(x64, 'addr').size]).toEqual([168, 4, 40, 128]);
  });

  it('lguest_data.blocked_interrupts is a one-long bitmap array (DECLARE_BITMAP of 32 bits)', () => {
    const fl = field(layoutOf(LGUEST_DATA, 'i386'), 'blocked_interrupts');
    expect([fl.isArray, fl.count, fl.size]).toEqual([true, 1, 4]);
  });

  it('layoutOf memoizes per ABI and equals computeLayout', () => {
    for (const decl of ALL_STRUCTS) {
      for (const arch of ARCHES) {
        expect(layoutOf(decl, arch)).toBe(layoutOf(decl, arch));
        expect(layoutOf(decl, arch)).toEqual(computeLayout(decl, arch));
      }
    }
    expect(layoutOf(LGUEST_DMA, 'i386')).not.toBe(layoutOf(LGUEST_DMA, 'x86_64'));
  });

  it('struct names in ALL_STRUCTS are unique (layoutOf memoizes by name)', () => {
    const names = ALL_STRUCTS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lguest_data.hcalls is struct hcall_ring[LHCALL_RING_SIZE], as lguest.h declares it', () => {
    for (const arch of ARCHES) {
      const fl = field(layoutOf(LGUEST_DATA, arch), 'hcalls');
      expect(fl.struct).toBe(layoutOf(HCALL_RING, arch));
      expect([fl.type, fl.count, fl.elemSize, fl.size]).toEqual(['struct hcall_ring', 64, 16, 1024]);
      expect(elemAt(fl, 3) + field(fl.struct!, 'ecx').offset).toBe(fl.offset + 3 * 16 + 12);
    }
  });

  it('a nested struct is placed like a scalar of its size and alignment', () => {
    fc.assert(
      fc.property(declArb, declArb, archArb, fc.integer({ min: 1, max: 4 }), (innerDecl, before, arch, count) => {
        const inner = { ...innerDecl, name: 'random_inner' };
        const outer: StructDecl = { name: 'random_outer', header: 'lguest-lab', fields: [...before.fields, { name: 'nested', ctype: inner, count }] };
        const li = computeLayout(inner, arch);
        const lo = computeLayout(outer, arch);
        const fl = field(lo, 'nested');
        expect([fl.elemSize, fl.elemAlign, fl.size, fl.offset % li.align]).toEqual([li.size, li.align, li.size * count, 0]);
        expect(lo.align).toBe(Math.max(li.align, computeLayout(before, arch).align));
      }),
    );
  });

  it('field() names the struct and the missing field', () => {
    expect(() => field(layoutOf(LGUEST_DMA, 'i386'), 'nope')).toThrow('struct lguest_dma has no field nope');
  });
});

// ---------------------------------------------------------------------------
// access.ts

describe('readElem / writeElem', () => {
  it('round-trip any in-range value and touch only that element’s bytes', () => {
    const caseArb = placedArb.chain(({ decl, arch, base, slack, fill }) => {
      const l = computeLayout(decl, arch);
      return fc.integer({ min: 0, max: l.order.length - 1 }).chain((fi) => {
        const fl = l.order[fi];
        return fc.record({ index: fc.integer({ min: 0, max: fl.count - 1 }), value: elemValueArb(fl) }).map(({ index, value }) => ({ l, fl, base, slack, fill, index, value }));
      });
    });
    fc.assert(
      fc.property(caseArb, ({ l, fl, base, slack, fill, index, value }) => {
        const view = new DataView(new ArrayBuffer(base + l.size + slack));
        new Uint8Array(view.buffer).fill(fill);
        const before = bytes(view);
        writeElem(view, base, fl, value, index);
        expect(readElem(view, base, fl, index)).toBe(value);
        const at = base + fl.offset + index * fl.elemSize;
        const after = bytes(view);
        for (let i = 0; i < after.length; i++) if (i < at || i >= at + fl.elemSize) expect(after[i]).toBe(before[i]);
      }),
    );
  });

  it('stores little-endian (x86): used_len 0x11223344 is 44 33 22 11 at the struct base', () => {
    const l = layoutOf(LGUEST_DMA, 'i386');
    const view = new DataView(new ArrayBuffer(l.size + 8));
    writeElem(view, 8, field(l, 'used_len'), 0x11223344);
    expect(bytes(view).slice(8, 12)).toEqual([0x44, 0x33, 0x22, 0x11]);
  });

  it('__be16 stores network order: the packet ethertype 0x88B5 is 88 B5, and reads back', () => {
    const l = layoutOf(LAB_PACKET_HEADER, 'i386');
    const view = new DataView(new ArrayBuffer(l.size));
    writeElem(view, 0, field(l, 'ethertype'), 0x88b5);
    expect(bytes(view).slice(12, 14)).toEqual([0x88, 0xb5]);
    expect(readElem(view, 0, field(l, 'ethertype'))).toBe(0x88b5);
    const be32 = computeLayout({ name: 'be', header: 'lguest-lab', fields: [{ name: 'x', ctype: '__be32' }] }, 'i386');
    writeElem(view, 0, field(be32, 'x'), 0x11223344);
    expect(bytes(view).slice(0, 4)).toEqual([0x11, 0x22, 0x33, 0x44]);
  });

  it('readElem of a nested struct field says to read its fields', () => {
    const l = layoutOf(LGUEST_DATA, 'i386');
    expect(() => readElem(new DataView(new ArrayBuffer(l.size)), 0, field(l, 'hcalls'))).toThrow('hcalls is a struct hcall_ring');
  });

  it('int is signed, __u32 is not: the same four 0xFF bytes read as -1 and 4294967295', () => {
    const l = computeLayout({ name: 'signs', header: 'lguest-lab', fields: [{ name: 'i', ctype: 'int' }, { name: 'u', ctype: '__u32' }] }, 'i386');
    const view = new DataView(new ArrayBuffer(l.size));
    writeElem(view, 0, field(l, 'i'), -1);
    writeElem(view, 0, field(l, 'u'), 0xffff_ffff);
    expect(bytes(view)).toEqual(Array(8).fill(0xff));
    expect([readElem(view, 0, field(l, 'i')), readElem(view, 0, field(l, 'u'))]).toEqual([-1, 0xffff_ffff]);
  });

  it('x86_64 unsigned long keeps the high word: addr[15] = 2^53 - 1 reads back exactly', () => {
    const l = layoutOf(LGUEST_DMA, 'x86_64');
    const addr = field(l, 'addr');
    const view = new DataView(new ArrayBuffer(l.size));
    writeElem(view, 0, addr, Number.MAX_SAFE_INTEGER, 15);
    expect(readElem(view, 0, addr, 15)).toBe(Number.MAX_SAFE_INTEGER);
    // Last element ends exactly at sizeof: 40 + 15 * 8 + 8 = 168 (spec §1.3).
    expect(addr.offset + 15 * addr.elemSize + addr.elemSize).toBe(l.size);
    expect(view.getUint32(addr.offset + 15 * 8 + 4, true)).toBe(0x1f_ffff);
  });
});

describe('encodeStruct / decodeStruct', () => {
  it('decodeStruct(encodeStruct(x)) == x for random structs and values, at any base', () => {
    const caseArb = placedArb.chain(({ decl, arch, base, slack, fill }) => {
      const l = computeLayout(decl, arch);
      return structValueArb(l).map((value) => ({ l, base, slack, fill, value }));
    });
    fc.assert(
      fc.property(caseArb, ({ l, base, slack, fill, value }) => {
        const view = new DataView(new ArrayBuffer(base + l.size + slack));
        new Uint8Array(view.buffer).fill(fill);
        encodeStruct(view, base, l, value);
        expect(decodeStruct(view, base, l)).toEqual(value);
        // Nothing outside [base, base + sizeof) was written.
        const b = bytes(view);
        expect(b.slice(0, base).every((x) => x === fill) && b.slice(base + l.size).every((x) => x === fill)).toBe(true);
      }),
    );
  });

  it('the same holds for every real struct of the table on both ABIs', () => {
    for (const decl of ALL_STRUCTS) {
      for (const arch of ARCHES) {
        const l = layoutOf(decl, arch);
        fc.assert(
          fc.property(structValueArb(l), (value) => {
            const view = new DataView(new ArrayBuffer(l.size));
            encodeStruct(view, 0, l, value);
            expect(decodeStruct(view, 0, l)).toEqual(value);
          }),
          { numRuns: 20 },
        );
      }
    }
  });

  it('a partial encode writes only the named fields (spec §2.4: the Host stores used_len alone)', () => {
    fc.assert(
      fc.property(archArb, fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 1, max: 0xff }), (arch, usedLen, fill) => {
        const l = layoutOf(LGUEST_DMA, arch);
        const view = new DataView(new ArrayBuffer(l.size));
        new Uint8Array(view.buffer).fill(fill);
        const before = decodeStruct(view, 0, l);
        encodeStruct(view, 0, l, { used_len: usedLen });
        expect(decodeStruct(view, 0, l)).toEqual({ ...before, used_len: usedLen });
      }),
    );
  });

  it('decodes arrays as number[] of their declared length, scalars as numbers', () => {
    const l = layoutOf(LGUEST_DMA, 'i386');
    const d = decodeStruct(new DataView(new ArrayBuffer(l.size)), 0, l);
    expect(d).toEqual({ used_len: 0, len: Array(16).fill(0), addr: Array(16).fill(0) });
  });
});
