/**
 * Building and reading struct lguest_dma in guest memory (spec §1.3, §2.4).
 *
 * The Host only accepts guest-to-guest sections of at most 4096 bytes that do
 * not cross a page (spec §2.4 step 3a, checklist §7.15), and a list ends at
 * the first zero len or after the 16th section (§7.10). `pageSections` cuts a
 * buffer that way; `writeDma` writes the list, terminates it, and stores
 * used_len last.
 */
import { LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } from '../../abi/constants.ts';
import { dmaSectionFields, type Section } from '../../abi/dma.ts';
import type { StructLayout } from '../../abi/layout.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import { getField, setField } from './guest-struct.ts';

export type { Section };

/** Cut [addr, addr+len) at every 4096-byte boundary: each piece is ≤ 4096 and stays in one page. */
export function pageSections(addr: number, len: number): Section[] {
  const out: Section[] = [];
  let a = addr;
  let left = len;
  while (left > 0) {
    const n = Math.min(left, PAGE_SIZE - (a % PAGE_SIZE));
    out.push({ addr: a, len: n });
    a += n;
    left -= n;
  }
  return out;
}

/**
 * Write a section list into the lguest_dma at `gpa`: unused entries get len 0
 * (the terminator) and addr 0; used_len = 0 goes last, because spec §5.4
 * writes it "after the rest" — a bound entry becomes free only when complete.
 */
export function writeDma(mem: GuestMemory, dma: StructLayout, gpa: number, sections: readonly Section[]): void {
  const f = dmaSectionFields(sections);
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
    setField(mem, gpa, dma, 'len', f.len[i], i);
    setField(mem, gpa, dma, 'addr', f.addr[i], i);
  }
  setField(mem, gpa, dma, 'used_len', 0);
}

/** The section list of the lguest_dma at `gpa`, as the Host walks it (spec §7.10). */
export function readDma(mem: GuestMemory, dma: StructLayout, gpa: number): Section[] {
  const out: Section[] = [];
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
    const len = getField(mem, gpa, dma, 'len', i);
    if (len === 0) break;
    out.push({ addr: getField(mem, gpa, dma, 'addr', i), len });
  }
  return out;
}

/** The first `count` bytes described by the lguest_dma at `gpa` (what the Host copied in). */
export function gatherDma(mem: GuestMemory, dma: StructLayout, gpa: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let done = 0;
  for (const s of readDma(mem, dma, gpa)) {
    if (done >= count) break;
    const n = Math.min(s.len, count - done);
    mem.readInto(s.addr, out, done, n);
    done += n;
  }
  return done === count ? out : out.subarray(0, done);
}

export function usedLen(mem: GuestMemory, dma: StructLayout, gpa: number): number {
  return getField(mem, gpa, dma, 'used_len');
}

export function setUsedLen(mem: GuestMemory, dma: StructLayout, gpa: number, v: number): void {
  setField(mem, gpa, dma, 'used_len', v);
}
