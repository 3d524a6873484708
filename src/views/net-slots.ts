/** The MAC slots (struct lguest_net) of a shared network page (spec §4.4). */
import { PAGE_SIZE } from '../abi/constants.ts';
import { readElem } from '../abi/access.ts';
import { field, layoutOf } from '../abi/layout.ts';
import { LGUEST_NET } from '../abi/structs.ts';

const NET = layoutOf(LGUEST_NET, 'i386');
const MAC = field(NET, 'mac');

export interface NetSlot {
  readonly slot: number;
  readonly mac: readonly number[];
  /** Low bit of byte 0: promiscuous (spec §5.4). */
  readonly promisc: boolean;
  readonly empty: boolean;
}

/** The first `count` slots of the network page in `view` (at most a page's worth). */
export function decodeNetSlotsAt(view: DataView, count: number): NetSlot[] {
  const out: NetSlot[] = [];
  for (let s = 0; s < Math.min(count, Math.floor(PAGE_SIZE / NET.size)); s++) {
    const m: number[] = [];
    for (let k = 0; k < MAC.count; k++) m.push(readElem(view, s * NET.size, MAC, k));
    out.push({ slot: s, mac: m, promisc: (m[0] & 1) !== 0, empty: m.every((b) => b === 0) });
  }
  return out;
}
