/**
 * Named-field access to structs in guest memory. Offsets come from the
 * declarative ABI table (src/abi); the bytes go through GuestMemory, so a
 * field in a shared page (the --sharenet MAC table, spec §4.4) lands in the
 * shared object like any other store.
 */
import { field, type StructLayout } from '../../abi/layout.ts';
import type { GuestMemory } from '../../hw/memory.ts';

function at(l: StructLayout, base: number, name: string, index: number): { gpa: number; size: number; signed: boolean } {
  const fl = field(l, name);
  if (!Number.isInteger(index) || index < 0 || index >= fl.count) throw new RangeError(`${l.name}.${name}[${index}] is out of bounds (count ${fl.count})`);
  return { gpa: base + fl.offset + index * fl.elemSize, size: fl.elemSize, signed: fl.signed };
}

/** Read `l.name[index]` of the struct at `base`. */
export function getField(mem: GuestMemory, base: number, l: StructLayout, name: string, index = 0): number {
  const f = at(l, base, name, index);
  switch (f.size) {
    case 1:
      return mem.u8(f.gpa);
    case 2:
      return mem.u16(f.gpa);
    case 4: {
      const v = mem.u32(f.gpa);
      return f.signed ? v | 0 : v;
    }
    default:
      // 8-byte unsigned long (x86_64): lguest addresses are 32-bit.
      return mem.u32(f.gpa) + mem.u32(f.gpa + 4) * 0x1_0000_0000;
  }
}

/** Write `l.name[index]` of the struct at `base`. */
export function setField(mem: GuestMemory, base: number, l: StructLayout, name: string, value: number, index = 0): void {
  const f = at(l, base, name, index);
  switch (f.size) {
    case 1:
      mem.setU8(f.gpa, value & 0xff);
      return;
    case 2:
      mem.setU16(f.gpa, value & 0xffff);
      return;
    case 4:
      mem.setU32(f.gpa, value >>> 0);
      return;
    default:
      mem.setU32(f.gpa, value >>> 0);
      mem.setU32(f.gpa + 4, Math.floor(value / 0x1_0000_0000) >>> 0);
  }
}

/** Zero a whole struct. */
export function zeroStruct(mem: GuestMemory, base: number, l: StructLayout): void {
  mem.write(base, new Uint8Array(l.size));
}
