/** struct lguest_block_page (spec §4.3) decoded from any DataView. */
import { decodeStruct } from '../abi/access.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_BLOCK_PAGE } from '../abi/structs.ts';

export const BLOCK_PAGE = layoutOf(LGUEST_BLOCK_PAGE, 'i386');

export interface BlockPageFields {
  /** 0 read, else write. */
  readonly type: number;
  readonly sector: number;
  readonly bytes: number;
  /** 0 pending, 1 done, 2 done with error (spec §7.35). */
  readonly result: number;
  readonly numSectors: number;
}

export function decodeBlockPageAt(view: DataView, at: number): BlockPageFields {
  const d = decodeStruct(view, at, BLOCK_PAGE) as Record<string, number>;
  return { type: d.type, sector: d.sector, bytes: d.bytes, result: d.result, numSectors: d.num_sectors };
}
