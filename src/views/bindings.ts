/**
 * The Host's DMA binding table (SIM_BINDING rows, the Host's lguest_dma_info;
 * spec §2.3) decoded from any DataView: behind the CLI summary's `keys` and
 * the page's DMA keys panel.
 */
import { LGUEST_MAX_DMA } from '../abi/constants.ts';
import { decodeStruct, readElem } from '../abi/access.ts';
import { field, layoutOf } from '../abi/layout.ts';
import { SIM_BINDING } from '../abi/structs.ts';

export const BINDING = layoutOf(SIM_BINDING, 'i386');
const INTERRUPT = field(BINDING, 'interrupt');

export interface BindingFields {
  readonly slot: number;
  readonly key: number;
  readonly dmas: number;
  readonly num: number;
  readonly next: number;
  readonly irq: number;
  /** 0: private key; else 1 + the shared object's id. */
  readonly shared: number;
  /** In-object offset (shared) or gpa (private): the futex-key identity. */
  readonly ident: number;
  /** Bind order (the most recent binding of a shared key receives first). */
  readonly seq: number;
}

/** Every bound slot (interrupt ≠ 0) of one guest's table, as far as `view` holds whole rows. */
export function decodeBindingTable(view: DataView): BindingFields[] {
  const rows: BindingFields[] = [];
  for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
    const base = slot * BINDING.size;
    if (base + BINDING.size > view.byteLength) break;
    if (readElem(view, base, INTERRUPT) === 0) continue;
    const b = decodeStruct(view, base, BINDING) as Record<string, number>;
    rows.push({ slot, key: b.key, dmas: b.dmas, num: b.num_dmas, next: b.next_dma, irq: b.interrupt, shared: b.shared, ident: b.ident, seq: b.seq });
  }
  return rows;
}
