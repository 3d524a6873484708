/**
 * What a struct lguest_dma holds for a list of sections (spec §1.3, §2.4): the
 * sections in order, then zero len (the terminator, §7.10) and zero addr in
 * the unused entries. The one rule behind every writer of the struct: the
 * built-in kernel (guest memory), the scripted-guest builders (script steps)
 * and the test rigs.
 */
import { LGUEST_MAX_DMA_SECTIONS } from './constants.ts';

export interface Section {
  readonly addr: number;
  readonly len: number;
}

/** The len[] and addr[] arrays, LGUEST_MAX_DMA_SECTIONS long each. */
export function dmaSectionFields(sections: readonly Section[]): { len: number[]; addr: number[] } {
  if (sections.length > LGUEST_MAX_DMA_SECTIONS) throw new RangeError(`${sections.length} sections; an lguest_dma holds ${LGUEST_MAX_DMA_SECTIONS}`);
  const len: number[] = [];
  const addr: number[] = [];
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
    len.push(sections[i]?.len ?? 0);
    addr.push(sections[i]?.addr ?? 0);
  }
  return { len, addr };
}
