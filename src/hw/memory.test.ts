/**
 * GuestMemory's accessors against a byte-at-a-time model: whatever fast path
 * an access takes (one private page, a page-crossing range, a shared page),
 * it reads and writes the same bytes and marks the same pages written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../abi/constants.ts';
import { GuestFault, GuestMemory } from './memory.ts';
import { SharedObject } from './shared-object.ts';

const alloc = (n: number): ArrayBuffer => new ArrayBuffer(n);
const PAGES = 6;
/** Guest page 2 and 4 map pages 1 and 0 of one shared object. */
const SHARED_AT: Readonly<Record<number, number>> = { 2: 1, 4: 0 };

function build(): { mem: GuestMemory; obj: SharedObject } {
  const mem = new GuestMemory(PAGES * PAGE_SIZE, PAGES * PAGE_SIZE, alloc);
  const obj = new SharedObject(0, 'o', 2, alloc);
  for (const [pfn, page] of Object.entries(SHARED_AT)) mem.mapShared(Number(pfn), obj, page);
  return { mem, obj };
}

/** The model: where each guest byte lives, and which page a write marks. */
function cell(mem: GuestMemory, obj: SharedObject, gpa: number): { bytes: Uint8Array; at: number; dirty: Uint8Array; page: number } {
  const pfn = Math.floor(gpa / PAGE_SIZE);
  const sp = SHARED_AT[pfn];
  if (sp === undefined) return { bytes: mem.bytes, at: gpa, dirty: mem.dirty, page: pfn };
  return { bytes: obj.bytes, at: sp * PAGE_SIZE + (gpa % PAGE_SIZE), dirty: obj.dirty, page: sp };
}

const readModel = (mem: GuestMemory, obj: SharedObject, gpa: number, len: number): number[] =>
  Array.from({ length: len }, (_, k) => {
    const c = cell(mem, obj, gpa + k);
    return c.bytes[c.at];
  });

const top = PAGES * PAGE_SIZE;
/** Addresses near page edges and the ends, where the paths differ. */
const gpaArb = fc.oneof(fc.integer({ min: 0, max: top - 1 }), fc.integer({ min: 0, max: PAGES }).chain((p) => fc.integer({ min: p * PAGE_SIZE - 5, max: p * PAGE_SIZE + 5 })));

const op = fc.oneof(
  fc.record({ k: fc.constant('u32' as const), gpa: gpaArb, v: fc.nat() }),
  fc.record({ k: fc.constant('u16' as const), gpa: gpaArb, v: fc.nat() }),
  fc.record({ k: fc.constant('u8' as const), gpa: gpaArb, v: fc.nat() }),
  fc.record({ k: fc.constant('write' as const), gpa: gpaArb, v: fc.nat(), len: fc.integer({ min: 0, max: 300 }) }),
);

describe('GuestMemory accessors', () => {
  it('read and write the bytes the page map says, and mark exactly the written pages (for checkpoints and the hash)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const { mem, obj } = build();
        for (const o of ops) {
          const len = o.k === 'u32' ? 4 : o.k === 'u16' ? 2 : o.k === 'u8' ? 1 : o.len;
          const ok = o.gpa >= 0 && o.gpa + len <= top;
          const bytes = Array.from({ length: len }, (_, k) => (o.v * (k + 1) + (o.v >>> (8 * (k % 4)))) & 0xff);
          for (const a of [mem.dirty, obj.dirty, mem.stale, obj.stale]) a.fill(0);
          const set = (): void => {
            if (o.k === 'u32') mem.setU32(o.gpa, bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24));
            else if (o.k === 'u16') mem.setU16(o.gpa, bytes[0] | (bytes[1] << 8));
            else if (o.k === 'u8') mem.setU8(o.gpa, bytes[0]);
            else mem.write(o.gpa, Uint8Array.from(bytes));
          };
          if (!ok) {
            expect(set).toThrow(GuestFault);
            if (o.k === 'u32') expect(() => mem.u32(o.gpa)).toThrow(GuestFault);
            continue;
          }
          set();
          expect(readModel(mem, obj, o.gpa, len)).toEqual(bytes);
          const want = new Set<string>();
          for (let k = 0; k < len; k++) {
            const c = cell(mem, obj, o.gpa + k);
            want.add(`${c.dirty === mem.dirty ? 'g' : 'o'}${c.page}`);
          }
          const got = new Set<string>();
          mem.dirty.forEach((d, p) => d && got.add(`g${p}`));
          obj.dirty.forEach((d, p) => d && got.add(`o${p}`));
          expect(got).toEqual(want);
          // The state hash's marks follow the checkpoints' (src/hw/memory-hash.ts).
          expect(Array.from(mem.stale)).toEqual(Array.from(mem.dirty));
          expect(Array.from(obj.stale)).toEqual(Array.from(obj.dirty));
          if (len >= 4) {
            const w = readModel(mem, obj, o.gpa, 4);
            expect(mem.u32(o.gpa)).toBe((w[0] | (w[1] << 8) | (w[2] << 16) | (w[3] << 24)) >>> 0);
          }
          const back = new Uint8Array(len);
          mem.readInto(o.gpa, back, 0, len);
          expect(Array.from(back)).toEqual(bytes);
        }
      }),
    );
  });

  it('copyInPage copies between private and shared pages like copyFrom', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: top - 1 }), fc.integer({ min: 0, max: top - 1 }), fc.integer({ min: 0, max: PAGE_SIZE }), (d, s, len) => {
        fc.pre(d + len <= top && s + len <= top);
        const a = build();
        const b = build();
        for (const m of [a, b]) for (let i = 0; i < top; i += 4) if ((i / 4) % 7 !== 3) m.mem.setU32(i, Math.imul(i + 1, 0x9e3779b1));
        a.mem.copyInPage(d, a.mem, s, len);
        b.mem.copyFrom(d, b.mem, s, len);
        expect(Buffer.from(a.mem.bytes).equals(Buffer.from(b.mem.bytes))).toBe(true);
        expect(Buffer.from(a.obj.bytes).equals(Buffer.from(b.obj.bytes))).toBe(true);
        expect(Array.from(a.mem.dirty)).toEqual(Array.from(b.mem.dirty));
        expect(Array.from(a.obj.dirty)).toEqual(Array.from(b.obj.dirty));
      }),
    );
  });

  it('copyInPage between two guests (word moves for small aligned pieces) copies like copyFrom, even inside one shared object', () => {
    // Two guests mapping the same object: a piece from one guest's shared page to the other's can
    // overlap itself in the object's buffer, where only a copy with memmove's semantics is right.
    const pair = (): { a: GuestMemory; b: GuestMemory; obj: SharedObject } => {
      const a = new GuestMemory(PAGES * PAGE_SIZE, PAGES * PAGE_SIZE, alloc);
      const b = new GuestMemory(PAGES * PAGE_SIZE, PAGES * PAGE_SIZE, alloc);
      const obj = new SharedObject(0, 'o', 2, alloc);
      for (const [pfn, page] of Object.entries(SHARED_AT)) {
        a.mapShared(Number(pfn), obj, page);
        b.mapShared(Number(pfn), obj, page);
      }
      for (const m of [a, b]) for (let i = 0; i < top; i += 4) m.setU32(i, Math.imul(i + 1 + (m === a ? 0 : 7), 0x9e3779b1));
      return { a, b, obj };
    };
    const nearAligned = fc.integer({ min: 0, max: top / 4 - 1 }).chain((w) => fc.integer({ min: 0, max: 3 }).map((o) => Math.min(top - 1, 4 * w + (o === 3 ? 1 : 0))));
    // The destination is often a few words from the source, so pieces overlap in the shared object.
    const dest = (s: number): fc.Arbitrary<number> => fc.oneof(nearAligned, fc.integer({ min: -20, max: 20 }).map((w) => s + 4 * w));
    const args = nearAligned.chain((s) => fc.tuple(dest(s), fc.constant(s), fc.integer({ min: 0, max: 40 }).map((w) => 4 * w - (w % 9 === 8 ? 2 : 0))));
    fc.assert(
      fc.property(args, ([d, s, len]) => {
        fc.pre(len >= 0 && d >= 0 && d + len <= top && s + len <= top);
        const x = pair();
        const y = pair();
        x.b.copyInPage(d, x.a, s, len);
        y.b.copyFrom(d, y.a, s, len);
        for (const [got, want] of [
          [x.a, y.a],
          [x.b, y.b],
        ] as const) {
          expect(Buffer.from(got.bytes).equals(Buffer.from(want.bytes))).toBe(true);
          expect(Array.from(got.dirty)).toEqual(Array.from(want.dirty));
          expect(Array.from(got.stale)).toEqual(Array.from(want.stale));
        }
        expect(Buffer.from(x.obj.bytes).equals(Buffer.from(y.obj.bytes))).toBe(true);
        expect(Array.from(x.obj.dirty)).toEqual(Array.from(y.obj.dirty));
      }),
      { numRuns: 500 },
    );
  });
});
