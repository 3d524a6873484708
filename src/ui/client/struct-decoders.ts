/**
 * Decoders the panels run on shared memory each frame. Every offset comes
 * from the ABI table (layoutOf + decodeStruct/readElem): nothing here adds
 * offsets by hand (STYLE: one declarative table).
 */
import {
  DEVICE_FEATURE_BITS,
  DEVICE_STATUS_BITS,
  DEVICE_TYPE_NAMES,
  LGUEST_MAX_DEVICES,
  LGUEST_MAX_DMA,
  PAGE_SIZE,
} from '../../abi/constants.ts';
import { decodeStruct, readElem } from '../../abi/access.ts';
import { bitNames } from '../../abi/bits.ts';
import { field, layoutOf } from '../../abi/layout.ts';
import { LGUEST_BLOCK_PAGE, LGUEST_DEVICE_DESC, LGUEST_NET, SIM_BINDING } from '../../abi/structs.ts';
import { RUN_STATE_NAMES } from '../../worker/live-block.ts';
import { type FrameViews, liveAt, structAt } from './frame-views.ts';

const DESC = layoutOf(LGUEST_DEVICE_DESC, 'i386');
const BINDING = layoutOf(SIM_BINDING, 'i386');
const BLOCK_PAGE = layoutOf(LGUEST_BLOCK_PAGE, 'i386');
const NET = layoutOf(LGUEST_NET, 'i386');

export { bitNames };

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
    const d = decodeStruct(l.view, l.at, DESC) as Record<string, number>;
    rows.push({
      index: i,
      type: d.type,
      typeName: DEVICE_TYPE_NAMES[d.type] ?? `type ${d.type}`,
      features: d.features,
      featureNames: bitNames(d.features, DEVICE_FEATURE_BITS),
      featureRest: DEVICE_FEATURE_BITS.reduce((rest, [bit]) => rest & ~bit, d.features),
      status: d.status,
      numPages: d.num_pages,
      pfn: d.pfn,
      gpa: d.pfn * PAGE_SIZE,
    });
  }
  return rows;
}

export const statusNames = (status: number): string[] => bitNames(status, DEVICE_STATUS_BITS);

// ---- the Host's binding table (SIM_BINDING; spec §2.3) -----------------------

export interface BindingRow {
  readonly guest: number;
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

/** Every bound slot of a guest (interrupt 0 = free slot). */
export function decodeBindings(v: FrameViews, guest: number): BindingRow[] {
  const g = v.guests[guest];
  if (!g) return [];
  const rows: BindingRow[] = [];
  for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
    const base = slot * BINDING.size;
    if (base + BINDING.size > g.bindings.byteLength) break;
    if (readElem(g.bindings, base, field(BINDING, 'interrupt')) === 0) continue;
    const b = decodeStruct(g.bindings, base, BINDING) as Record<string, number>;
    rows.push({ guest, slot, key: b.key, dmas: b.dmas, num: b.num_dmas, next: b.next_dma, irq: b.interrupt, shared: b.shared, ident: b.ident, seq: b.seq });
  }
  return rows;
}

export function decodeAllBindings(v: FrameViews): BindingRow[] {
  return v.guests.flatMap((_, g) => decodeBindings(v, g));
}

// ---- struct lguest_dma (spec §1.3, §2.4) -------------------------------------

export interface DmaSection {
  readonly addr: number;
  readonly len: number;
}

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
  const d = decodeStruct(l.view, l.at, v.dma) as { used_len: number; len: number[]; addr: number[] };
  return { index, gpa, usedLen: d.used_len, sections: d.len.map((len, i) => ({ addr: d.addr[i], len })) };
}

/** The first `max` structs of a bound array. */
export function decodeDmaArray(v: FrameViews, guest: number, dmas: number, num: number, max = 64): DmaRow[] {
  const rows: DmaRow[] = [];
  for (let i = 0; i < Math.min(num, max); i++) rows.push(decodeDma(v, guest, dmas + i * v.dma.size, i));
  return rows;
}

// ---- struct lguest_block_page (spec §4.3) ------------------------------------

export interface BlockPageFields {
  /** 0 read, else write. */
  readonly type: number;
  readonly sector: number;
  readonly bytes: number;
  /** 0 pending, 1 done, 2 done with error (spec §7.35). */
  readonly result: number;
  readonly numSectors: number;
}

export function decodeBlockPage(v: FrameViews, guest: number, gpa: number): BlockPageFields | null {
  const l = structAt(v, guest, gpa, BLOCK_PAGE.size);
  if (!l) return null;
  const d = decodeStruct(l.view, l.at, BLOCK_PAGE) as Record<string, number>;
  return { type: d.type, sector: d.sector, bytes: d.bytes, result: d.result, numSectors: d.num_sectors };
}

// ---- struct lguest_net slots of the shared network page (spec §4.4) ----------

export interface NetSlot {
  readonly slot: number;
  readonly mac: readonly number[];
  /** Low bit of byte 0: promiscuous (spec §5.4). */
  readonly promisc: boolean;
  readonly empty: boolean;
}

/** The first `count` MAC slots of a network page (a shared object). */
export function decodeNetSlots(v: FrameViews, object: number, count: number): NetSlot[] {
  const bytes = v.objects[object];
  if (!bytes) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mac = field(NET, 'mac');
  const out: NetSlot[] = [];
  for (let s = 0; s < Math.min(count, Math.floor(PAGE_SIZE / NET.size)); s++) {
    const m: number[] = [];
    for (let k = 0; k < mac.count; k++) m.push(readElem(view, s * NET.size, mac, k));
    out.push({ slot: s, mac: m, promisc: (m[0] & 1) !== 0, empty: m.every((b) => b === 0) });
  }
  return out;
}

export const macString = (mac: readonly number[]): string => mac.map((b) => b.toString(16).padStart(2, '0')).join(':');

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
    // src/base/hash.ts format: two 32-bit lanes, 8 hex digits each.
    hash: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0'),
    hashAt: liveAt(v, 'hash_seq'),
    runStates,
    idle: !busy,
  };
}
