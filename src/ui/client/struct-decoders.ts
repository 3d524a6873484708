/**
 * Decoders the panels run on shared memory each frame. Every offset comes
 * from the ABI table (layoutOf + decodeStruct/readElem): nothing here adds
 * offsets by hand (STYLE: one declarative table).
 */
import { LGUEST_MAX_DEVICES } from '../../abi/constants.ts';
import { bitNames } from '../../abi/bits.ts';
import { DESC, decodeDescriptor, statusNames } from '../../views/device-desc.ts';
import { decodeBindingTable, type BindingFields } from '../../views/bindings.ts';
import { decodeDmaStruct, type DmaSection } from '../../views/dma.ts';
import { BLOCK_PAGE, decodeBlockPageAt, type BlockPageFields } from '../../views/block-page.ts';
import { decodeNetSlotsAt, type NetSlot } from '../../views/net-slots.ts';
import { macString } from '../../base/printf.ts';
import { hashText } from '../../base/hash.ts';
import { RUN_STATE_NAMES } from '../../worker/live-block.ts';
import { type FrameViews, liveAt, structAt } from './frame-views.ts';

export { bitNames, macString, statusNames };
export type { BlockPageFields, DmaSection, NetSlot };

// ---- the device descriptor table (spec §1.3, §5.1) ---------------------------

export interface DescriptorRow {
  readonly index: number;
  readonly type: number;
  readonly typeName: string;
  readonly features: number;
  readonly featureNames: readonly string[];
  /** Feature bits with no name (a net device's slot number lives here, spec §4.4). */
  readonly featureRest: number;
  readonly status: number;
  readonly numPages: number;
  readonly pfn: number;
  readonly gpa: number;
}

/** All LGUEST_MAX_DEVICES descriptors of a guest, empty slots included (type 0). */
export function decodeDescriptors(v: FrameViews, guest: number): DescriptorRow[] {
  const g = v.guests[guest];
  if (!g) return [];
  const rows: DescriptorRow[] = [];
  for (let i = 0; i < LGUEST_MAX_DEVICES; i++) {
    const l = structAt(v, guest, g.info.descPage + i * DESC.size, DESC.size);
    if (!l) break;
    const d = decodeDescriptor(l.view, l.at);
    rows.push({ index: i, type: d.type, typeName: d.typeName, features: d.features, featureNames: d.featureNames, featureRest: d.featureRest, status: d.status, numPages: d.numPages, pfn: d.pfn, gpa: d.gpa });
  }
  return rows;
}

// ---- the Host's binding table (SIM_BINDING; spec §2.3) -----------------------

export interface BindingRow extends BindingFields {
  readonly guest: number;
}

/** Every bound slot of a guest (interrupt 0 = free slot). */
export function decodeBindings(v: FrameViews, guest: number): BindingRow[] {
  const g = v.guests[guest];
  if (!g) return [];
  return decodeBindingTable(g.bindings).map((b) => ({ guest, ...b }));
}

export function decodeAllBindings(v: FrameViews): BindingRow[] {
  return v.guests.flatMap((_, g) => decodeBindings(v, g));
}

// ---- struct lguest_dma (spec §1.3, §2.4) -------------------------------------

export interface DmaRow {
  readonly index: number;
  readonly gpa: number;
  /** null: the struct is outside the guest's memory (a bad registration). */
  readonly usedLen: number | null;
  readonly sections: readonly DmaSection[];
}

/** One struct lguest_dma at `gpa`. */
export function decodeDma(v: FrameViews, guest: number, gpa: number, index = 0): DmaRow {
  const l = structAt(v, guest, gpa, v.dma.size);
  if (!l) return { index, gpa, usedLen: null, sections: [] };
  return { index, gpa, ...decodeDmaStruct(l.view, l.at, v.dma) };
}

/** The first `max` structs of a bound array. */
export function decodeDmaArray(v: FrameViews, guest: number, dmas: number, num: number, max = 64): DmaRow[] {
  const rows: DmaRow[] = [];
  for (let i = 0; i < Math.min(num, max); i++) rows.push(decodeDma(v, guest, dmas + i * v.dma.size, i));
  return rows;
}

// ---- struct lguest_block_page (spec §4.3) ------------------------------------

export function decodeBlockPage(v: FrameViews, guest: number, gpa: number): BlockPageFields | null {
  const l = structAt(v, guest, gpa, BLOCK_PAGE.size);
  return l ? decodeBlockPageAt(l.view, l.at) : null;
}

// ---- struct lguest_net slots of the shared network page (spec §4.4) ----------

/** The first `count` MAC slots of a network page (a shared object). */
export function decodeNetSlots(v: FrameViews, object: number, count: number): NetSlot[] {
  const bytes = v.objects[object];
  if (!bytes) return [];
  return decodeNetSlotsAt(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), count);
}

// ---- the live block (SIM_LIVE) -----------------------------------------------

export type RunStateName = (typeof RUN_STATE_NAMES)[number];

export interface LiveStatus {
  readonly seq: number;
  readonly events: number;
  readonly recorded: number;
  readonly view: number;
  readonly time: number;
  readonly running: boolean;
  readonly eventsPerSec: number;
  readonly inputsPending: number;
  readonly hash: string;
  /** Event count the hash was taken at. */
  readonly hashAt: number;
  readonly runStates: readonly RunStateName[];
  /** Nothing left to run: every guest halted, done or dead and no input waiting. */
  readonly idle: boolean;
}

export function decodeLive(v: FrameViews): LiveStatus {
  const n = v.info.guests.length;
  const runStates: RunStateName[] = [];
  let busy = liveAt(v, 'inputs_pending') !== 0;
  for (let i = 0; i < n; i++) {
    const s = RUN_STATE_NAMES[liveAt(v, 'run_state', i)] ?? 'running';
    runStates.push(s);
    if (s === 'running' || s === 'launcher' || liveAt(v, 'tty_pending', i) !== 0) busy = true;
  }
  const hi = liveAt(v, 'hash_hi');
  const lo = liveAt(v, 'hash_lo');
  return {
    seq: liveAt(v, 'seq'),
    events: liveAt(v, 'events'),
    recorded: liveAt(v, 'recorded'),
    view: liveAt(v, 'view'),
    time: liveAt(v, 'time'),
    running: liveAt(v, 'running') !== 0,
    eventsPerSec: liveAt(v, 'events_per_sec'),
    inputsPending: liveAt(v, 'inputs_pending'),
    hash: hashText(hi, lo),
    hashAt: liveAt(v, 'hash_seq'),
    runStates,
    idle: !busy,
  };
}
