/**
 * Builders for scripted-guest steps, laid out by the ABI table: tests,
 * examples and lessons write `lguest_dma` structs with these instead of
 * hand-computed offsets.
 */
import type { Arch } from '../abi/ctypes.ts';
import { dmaSectionFields, type Section } from '../abi/dma.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_DMA } from '../abi/structs.ts';
import type { ScriptStep } from './script-step.ts';

export type { Section };

/** Steps writing one struct lguest_dma at `at`: used_len, then len[], then addr[] (unused sections zero). */
export function writeDma(at: number, sections: readonly Section[], usedLen = 0, arch: Arch = 'i386'): ScriptStep[] {
  const L = layoutOf(LGUEST_DMA, arch);
  const f = dmaSectionFields(sections);
  const lens = f.len;
  // unsigned long addr[]: on x86_64 each address is two words, the high one 0 (guest memory is < 4 GiB).
  const addrWords = L.fields.addr.elemSize === 8 ? f.addr.flatMap((a) => [a, 0]) : f.addr;
  return [
    { op: 'write', addr: at + L.fields.used_len.offset, u32: [usedLen] },
    { op: 'write', addr: at + L.fields.len.offset, u16: lens },
    { op: 'write', addr: at + L.fields.addr.offset, u32: addrWords },
  ];
}

export const hcall = (call: string | number, ...args: number[]): ScriptStep => ({ op: 'hcall', call, args });
export const readU32 = (addr: number, n = 1): ScriptStep => ({ op: 'read', addr, u32: n });
export const readText = (addr: number, n: number): ScriptStep => ({ op: 'read', addr, text: n });
export const writeText = (addr: number, text: string): ScriptStep => ({ op: 'write', addr, text });
export const wait: ScriptStep = { op: 'wait' };
export const yieldStep: ScriptStep = { op: 'yield' };
/** BIND_DMA's third argument: (num << 8) | irq. */
export const packBind = (num: number, irq: number): number => ((num << 8) | irq) >>> 0;
