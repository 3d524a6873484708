/**
 * Little-endian readers and writers over a DataView, derived from a layout.
 * Nothing else in lguest-lab adds offsets by hand: callers name a field and
 * (for arrays) an index; the layout says where it is.
 */
import type { FieldLayout, StructLayout } from './layout.ts';
import { field } from './layout.ts';

export type ScalarValue = number;

/** Read one element of a field at `base` (the struct's byte offset within the view). */
export function readElem(view: DataView, base: number, fl: FieldLayout, index = 0): number {
  const at = base + fl.offset + index * fl.elemSize;
  switch (fl.elemSize) {
    case 1:
      return view.getUint8(at);
    case 2:
      return view.getUint16(at, true);
    case 4:
      return fl.signed ? view.getInt32(at, true) : view.getUint32(at, true);
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
  switch (fl.elemSize) {
    case 1:
      view.setUint8(at, value);
      return;
    case 2:
      view.setUint16(at, value, true);
      return;
    case 4:
      if (fl.signed) view.setInt32(at, value, true);
      else view.setUint32(at, value >>> 0, true);
      return;
    default:
      view.setUint32(at, value >>> 0, true);
      view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000) >>> 0, true);
  }
}

/** Decoded struct: scalars as numbers, arrays as number[]. */
export type Decoded = Record<string, number | number[]>;

/** Decode a whole struct into a plain object (the UI's and the CLI's decoder). */
export function decodeStruct(view: DataView, base: number, l: StructLayout): Decoded {
  const out: Decoded = {};
  for (const fl of l.order) {
    if (fl.isArray) {
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
    if (Array.isArray(v)) v.forEach((x, i) => writeElem(view, base, fl, x, i));
    else writeElem(view, base, fl, v);
  }
}
