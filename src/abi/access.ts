/**
 * Readers and writers over a DataView, derived from a layout: x86
 * little-endian, except the table's __be16/__be32 fields (network order).
 * Nothing else in lguest-lab adds offsets by hand: callers name a field and
 * (for arrays) an index; the layout says where it is. A nested struct's
 * fields are read at `elemAt(fl, i)` with the inner layout's fields.
 */
import type { FieldLayout, StructLayout } from './layout.ts';
import { field } from './layout.ts';

export type ScalarValue = number;

/** Byte offset, within its struct, of element `index` of a field (for a nested struct: where that struct starts). */
export const elemAt = (fl: FieldLayout, index = 0): number => fl.offset + index * fl.elemSize;

/** Read one element of a field at `base` (the struct's byte offset within the view). */
export function readElem(view: DataView, base: number, fl: FieldLayout, index = 0): number {
  const at = base + fl.offset + index * fl.elemSize;
  if (fl.struct) throw new Error(`${fl.name} is a struct ${fl.struct.name}; read its fields at elemAt()`);
  const le = !fl.bigEndian;
  switch (fl.elemSize) {
    case 1:
      return view.getUint8(at);
    case 2:
      return view.getUint16(at, le);
    case 4:
      return fl.signed ? view.getInt32(at, le) : view.getUint32(at, le);
    default: {
      // 8-byte unsigned long (x86_64): lguest addresses are 32-bit, but keep the value exact up to 2^53.
      const lo = view.getUint32(at, true);
      const hi = view.getUint32(at + 4, true);
      return hi * 0x1_0000_0000 + lo;
    }
  }
}

export function writeElem(view: DataView, base: number, fl: FieldLayout, value: number, index = 0): void {
  const at = base + fl.offset + index * fl.elemSize;
  if (fl.struct) throw new Error(`${fl.name} is a struct ${fl.struct.name}; write its fields at elemAt()`);
  const le = !fl.bigEndian;
  switch (fl.elemSize) {
    case 1:
      view.setUint8(at, value);
      return;
    case 2:
      view.setUint16(at, value, le);
      return;
    case 4:
      if (fl.signed) view.setInt32(at, value, le);
      else view.setUint32(at, value >>> 0, le);
      return;
    default:
      view.setUint32(at, value >>> 0, true);
      view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000) >>> 0, true);
  }
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
