/**
 * Readers and writers over a DataView, derived from a layout: x86
 * little-endian, except the table's __be16/__be32 fields (network order).
 * Nothing else in lguest-lab adds offsets by hand: callers name a field and
 * (for arrays) an index; the layout says where it is. A nested struct's
 * fields are read at `elemAt(fl, i)` with the inner layout's fields.
 */
import type { FieldLayout, StructLayout } from './layout.ts';
import { field } from './layout.ts';

/** Byte offset, within its struct, of element `index` of a field (for a nested struct: where that struct starts). */
export const elemAt = (fl: FieldLayout, index = 0): number => fl.offset + index * fl.elemSize;

/**
 * Little-endian 8/16/32-bit loads and stores at byte addresses: what both a
 * DataView (shared memory in the page) and the simulator's GuestMemory offer,
 * so one reader and one writer serve both.
 */
export interface ScalarStore {
  u8(at: number): number;
  u16(at: number): number;
  u32(at: number): number;
  setU8(at: number, v: number): void;
  setU16(at: number, v: number): void;
  setU32(at: number, v: number): void;
}

/** A DataView as a ScalarStore (x86 little-endian). */
export function viewStore(view: DataView): ScalarStore {
  return {
    u8: (at) => view.getUint8(at),
    u16: (at) => view.getUint16(at, true),
    u32: (at) => view.getUint32(at, true),
    setU8: (at, v) => view.setUint8(at, v),
    setU16: (at, v) => view.setUint16(at, v, true),
    setU32: (at, v) => view.setUint32(at, v, true),
  };
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
const swap32 = (v: number): number => ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff);

/** Read one element of a field of the struct at `base` in `m`. */
export function loadElem(m: ScalarStore, base: number, fl: FieldLayout, index = 0): number {
  const at = base + fl.offset + index * fl.elemSize;
  if (fl.struct) throw new Error(`${fl.name} is a struct ${fl.struct.name}; read its fields at elemAt()`);
  switch (fl.elemSize) {
    case 1:
      return m.u8(at);
    case 2:
      return fl.bigEndian ? swap16(m.u16(at)) : m.u16(at);
    case 4: {
      const v = fl.bigEndian ? swap32(m.u32(at)) >>> 0 : m.u32(at);
      return fl.signed ? v | 0 : v;
    }
    default:
      // 8-byte unsigned long (x86_64): lguest addresses are 32-bit, but keep the value exact up to 2^53.
      return m.u32(at + 4) * 0x1_0000_0000 + m.u32(at);
  }
}

/** Write one element of a field of the struct at `base` in `m` (the value is cut to the field's width). */
export function storeElem(m: ScalarStore, base: number, fl: FieldLayout, value: number, index = 0): void {
  const at = base + fl.offset + index * fl.elemSize;
  if (fl.struct) throw new Error(`${fl.name} is a struct ${fl.struct.name}; write its fields at elemAt()`);
  switch (fl.elemSize) {
    case 1:
      m.setU8(at, value & 0xff);
      return;
    case 2:
      m.setU16(at, fl.bigEndian ? swap16(value) : value & 0xffff);
      return;
    case 4:
      m.setU32(at, fl.bigEndian ? swap32(value) >>> 0 : value >>> 0);
      return;
    default:
      m.setU32(at, value >>> 0);
      m.setU32(at + 4, Math.floor(value / 0x1_0000_0000) >>> 0);
  }
}

/** Read one element of a field at `base` (the struct's byte offset within the view). */
export function readElem(view: DataView, base: number, fl: FieldLayout, index = 0): number {
  return loadElem(viewStore(view), base, fl, index);
}

export function writeElem(view: DataView, base: number, fl: FieldLayout, value: number, index = 0): void {
  storeElem(viewStore(view), base, fl, value, index);
}

/** Decoded struct: scalars as numbers, arrays as number[], nested structs as Decoded (or Decoded[]). */
export type Decoded = { [field: string]: number | number[] | Decoded | Decoded[] };

/** Decode a whole struct into a plain object (the UI's and the CLI's decoder). */
export function decodeStruct(view: DataView, base: number, l: StructLayout): Decoded {
  const out: Decoded = {};
  for (const fl of l.order) {
    const inner = fl.struct;
    if (inner) {
      const items = Array.from({ length: fl.count }, (_, i) => decodeStruct(view, base + elemAt(fl, i), inner));
      out[fl.name] = fl.isArray ? items : items[0];
    } else if (fl.isArray) {
      const arr: number[] = [];
      for (let i = 0; i < fl.count; i++) arr.push(readElem(view, base, fl, i));
      out[fl.name] = arr;
    } else out[fl.name] = readElem(view, base, fl);
  }
  return out;
}

/** Encode (part of) a struct: only the named fields are written. */
export function encodeStruct(view: DataView, base: number, l: StructLayout, values: Readonly<Decoded>): void {
  for (const [name, v] of Object.entries(values)) {
    const fl = field(l, name);
    const inner = fl.struct;
    if (inner) {
      const items = Array.isArray(v) ? v : [v];
      items.forEach((x, i) => {
        if (typeof x === 'number') throw new Error(`${l.name}.${name} is a struct ${inner.name}; give its fields`);
        encodeStruct(view, base + elemAt(fl, i), inner, x);
      });
    } else if (Array.isArray(v)) v.forEach((x, i) => (typeof x === 'number' ? writeElem(view, base, fl, x, i) : fail(l, name)));
    else if (typeof v === 'number') writeElem(view, base, fl, v);
    else fail(l, name);
  }
}

function fail(l: StructLayout, name: string): never {
  throw new Error(`${l.name}.${name} holds numbers, not a struct`);
}
