/** The `abi --json` document: computed layouts of the header's structs plus constants. */
import type { Arch } from './ctypes.ts';
import { HEADER_CONSTANTS, HYPERCALL_CONSTANTS } from './constants.ts';
import { layoutOf } from './layout.ts';
import { HEADER_STRUCTS, type StructDecl } from './structs.ts';

export interface AbiDump {
  arch: Arch;
  structs: Record<string, { size: number; align: number; fields: Record<string, { offset: number; size: number; type: string; count?: number }> }>;
  constants: Record<string, number>;
}

export function abiDump(arch: Arch, structs: readonly StructDecl[] = HEADER_STRUCTS): AbiDump {
  const out: AbiDump = { arch, structs: {}, constants: { ...HEADER_CONSTANTS, ...HYPERCALL_CONSTANTS } };
  for (const decl of structs) {
    const l = layoutOf(decl, arch);
    const fields: AbiDump['structs'][string]['fields'] = {};
    for (const fl of l.order) fields[fl.name] = fl.isArray ? { offset: fl.offset, size: fl.size, type: fl.type, count: fl.count } : { offset: fl.offset, size: fl.size, type: fl.type };
    out.structs[decl.name] = { size: l.size, align: l.align, fields };
  }
  return out;
}
