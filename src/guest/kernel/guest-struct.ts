/**
 * Named-field access to structs in guest memory. Offsets come from the
 * declarative ABI table (src/abi); the bytes go through GuestMemory, so a
 * field in a shared page (the --sharenet MAC table, spec §4.4) lands in the
 * shared object like any other store.
 */
import { loadElem, storeElem } from '../../abi/access.ts';
import { field, type FieldLayout, type StructLayout } from '../../abi/layout.ts';
import type { GuestMemory } from '../../hw/memory.ts';

/** The named field, with `index` checked against its count (a kernel bug, not guest input). */
function checked(l: StructLayout, name: string, index: number): FieldLayout {
  const fl = field(l, name);
  if (!Number.isInteger(index) || index < 0 || index >= fl.count) throw new RangeError(`${l.name}.${name}[${index}] is out of bounds (count ${fl.count})`);
  return fl;
}

/** Read `l.name[index]` of the struct at `base`. */
export function getField(mem: GuestMemory, base: number, l: StructLayout, name: string, index = 0): number {
  return loadElem(mem, base, checked(l, name, index), index);
}

/** Write `l.name[index]` of the struct at `base`. */
export function setField(mem: GuestMemory, base: number, l: StructLayout, name: string, value: number, index = 0): void {
  storeElem(mem, base, checked(l, name, index), value, index);
}

/** Zero a whole struct. */
export function zeroStruct(mem: GuestMemory, base: number, l: StructLayout): void {
  mem.write(base, new Uint8Array(l.size));
}
