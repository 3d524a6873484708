/** struct lguest_dma (spec §1.3, §2.4) decoded from any DataView, for the layout of the machine's ABI. */
import { decodeStruct } from '../abi/access.ts';
import type { StructLayout } from '../abi/layout.ts';

export interface DmaSection {
  readonly addr: number;
  readonly len: number;
}

export interface DmaFields {
  readonly usedLen: number;
  /** All LGUEST_MAX_DMA_SECTIONS sections; a zero len ends the list. */
  readonly sections: readonly DmaSection[];
}

export function decodeDmaStruct(view: DataView, at: number, dma: StructLayout): DmaFields {
  const d = decodeStruct(view, at, dma) as { used_len: number; len: number[]; addr: number[] };
  return { usedLen: d.used_len, sections: d.len.map((len, i) => ({ addr: d.addr[i], len })) };
}
