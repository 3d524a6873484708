/**
 * The script printer: JSON steps back to the line syntax of script-syntax.ts,
 * so any scripted guest (a JSON example, a quiz's scenario) opens in the
 * editor, and compileScript(printScript(steps)) gives the same steps back
 * (the round-trip property in script-print.test.ts).
 *
 * Three writes that are exactly what a `dma` line compiles to for the arch
 * (used_len, len[16], addr[16] at the ABI table's offsets) print as that one
 * `dma` line; anything else prints step by step.
 */
import { LGUEST_MAX_DMA_SECTIONS } from '../abi/constants.ts';
import type { Arch } from '../abi/ctypes.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_DMA } from '../abi/structs.ts';
import { writeDma, type Section } from '../guest/script-builders.ts';
import type { ScriptStep } from '../guest/script-step.ts';

const hex = (n: number): string => `0x${n.toString(16)}`;
/** Hypercall arguments: small ones in decimal, addresses and packed words in hex. */
const arg = (n: number): string => (n < 10 ? String(n) : hex(n));

/** Key-order-free equality of two steps (plain JSON values). */
function sameStep(a: ScriptStep, b: ScriptStep): boolean {
  const canon = (s: ScriptStep): string => JSON.stringify(Object.fromEntries(Object.entries(s).sort(([x], [y]) => (x < y ? -1 : 1))));
  return canon(a) === canon(b);
}

/** The `dma` line for steps[k..k+2], or null when they are not one struct write. */
function dmaAt(steps: readonly ScriptStep[], k: number, arch: Arch): string | null {
  const [s0, s1, s2] = [steps[k], steps[k + 1], steps[k + 2]];
  if (s0?.op !== 'write' || s1?.op !== 'write' || s2?.op !== 'write' || s0.u32?.length !== 1 || !s1.u16 || !s2.u32) return null;
  const D = layoutOf(LGUEST_DMA, arch);
  const L = D.fields;
  const at = s0.addr - L.used_len.offset;
  if (at < 0 || at + D.size > 0x1_0000_0000 || s1.addr !== at + L.len.offset || s2.addr !== at + L.addr.offset || s1.u16.length !== LGUEST_MAX_DMA_SECTIONS) return null;
  const words = L.addr.elemSize / 4;
  const sections: Section[] = [];
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) sections.push({ addr: s2.u32[i * words] ?? 0, len: s1.u16[i] });
  while (sections.length && sections.at(-1)!.addr === 0 && sections.at(-1)!.len === 0) sections.pop();
  const again = writeDma(at, sections, s0.u32[0], arch);
  if (!again.every((s, i) => sameStep(s, steps[k + i]))) return null;
  return `dma ${hex(at)} used=${s0.u32[0]}${sections.map((s) => ` ${hex(s.addr)}:${s.len}`).join('')}`;
}

function stepLine(s: ScriptStep): string {
  switch (s.op) {
    case 'write':
      if (s.text !== undefined) return `write ${hex(s.addr)} text ${JSON.stringify(s.text)}`;
      if (s.u32) return `write ${hex(s.addr)} u32${s.u32.map((v) => ` ${v}`).join('')}`;
      if (s.u16) return `write ${hex(s.addr)} u16${s.u16.map((v) => ` ${v}`).join('')}`;
      return `write ${hex(s.addr)} u8${(s.u8 ?? []).map((v) => ` ${v}`).join('')}`;
    case 'read': {
      const [ty, n] = s.u32 !== undefined ? ['u32', s.u32] : s.u16 !== undefined ? ['u16', s.u16] : s.u8 !== undefined ? ['u8', s.u8] : ['text', s.text ?? 0];
      return `read ${hex(s.addr)} ${ty} ${n}`;
    }
    case 'hcall':
      return `hcall ${s.call}${(s.args ?? []).map((a) => ` ${arg(a)}`).join('')}`;
    case 'wait':
    case 'yield':
      return s.op;
  }
}

/** One line per step (one per struct lguest_dma), newline-terminated. */
export function printScript(steps: readonly ScriptStep[], arch: Arch = 'i386'): string {
  let out = '';
  for (let k = 0; k < steps.length; k++) {
    const dma = dmaAt(steps, k, arch);
    if (dma !== null) {
      out += dma + '\n';
      k += 2;
    } else out += stepLine(steps[k]) + '\n';
  }
  return out;
}
