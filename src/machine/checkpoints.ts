/**
 * Checkpoints and time travel (issue #5).
 *
 * A checkpoint is the Machine's non-memory state (Machine.captureState) plus,
 * for memory, only the pages written since the previous checkpoint: every
 * memory writer marks pages dirty (src/hw/memory.ts), so a checkpoint
 * costs what changed. Each page keeps its versions in checkpoint order, so
 * the page as it was at checkpoint k is the last version at or before k.
 *
 * Seeking to event N restores the last checkpoint at or before N and re-runs
 * the (deterministic) machine, stopping right after event N is recorded
 * (EventLog.stopAfter). That leaves the machine mid-quantum, `suspended`: it
 * shows the state at N; to run on, `resume` restores and re-runs to a quantum
 * boundary.
 */
import { PAGE_SIZE, SECTOR_SIZE } from '../abi/constants.ts';
import { StopAtEvent } from '../hw/events.ts';
import type { Machine, MachineState } from './machine.ts';

interface PageVersion {
  readonly cp: number;
  /** null: the page was all zero. */
  readonly data: Uint8Array | null;
}

/**
 * Versions of the units of one region: the pages of a guest's private block
 * or a shared object, or the sectors of a disk (so a checkpoint holds only
 * the sectors written since the last one, issue #15).
 */
class RegionHistory {
  private readonly versions: (PageVersion[] | undefined)[];
  /** Units captured by each checkpoint. */
  private readonly deltas: number[][] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly dirty: Uint8Array,
    /** The state hash's marks (src/hw/memory-hash.ts): a restored page is written too. Disks: null. */
    private readonly stale: Uint8Array | null,
    /** Bytes per unit: a page, or a disk sector. */
    private readonly unit = PAGE_SIZE,
  ) {
    this.versions = new Array(dirty.length);
  }

  capture(cp: number): void {
    const pages: number[] = [];
    const d = this.dirty;
    for (let p = 0; p < d.length; p++) {
      if (d[p] === 0) continue;
      d[p] = 0;
      pages.push(p);
      const src = this.bytes.subarray(p * this.unit, (p + 1) * this.unit);
      const data = isZero(src) ? null : src.slice();
      (this.versions[p] ??= []).push({ cp, data });
    }
    this.deltas[cp] = pages;
  }

  /** Bring memory from (checkpoint `from` + dirty pages) to checkpoint `to`. */
  restore(from: number, to: number): void {
    const touched = new Set<number>();
    const d = this.dirty;
    for (let p = 0; p < d.length; p++) if (d[p] !== 0) touched.add(p);
    for (let k = Math.min(from, to) + 1; k <= Math.max(from, to); k++) for (const p of this.deltas[k] ?? []) touched.add(p);
    for (const p of touched) {
      const v = this.versionAt(p, to);
      const dst = this.bytes.subarray(p * this.unit, (p + 1) * this.unit);
      if (v && v.data) dst.set(v.data);
      else dst.fill(0);
      d[p] = 0;
      if (this.stale) this.stale[p] = 1;
    }
  }

  private versionAt(p: number, cp: number): PageVersion | undefined {
    const list = this.versions[p];
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let best: PageVersion | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].cp <= cp) {
        best = list[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  clearDirty(): void {
    this.dirty.fill(0);
  }

  /** Forget checkpoints after `cp` (the timeline forked). */
  dropAfter(cp: number): void {
    for (let k = cp + 1; k < this.deltas.length; k++) {
      for (const p of this.deltas[k] ?? []) {
        const list = this.versions[p];
        if (list) while (list.length > 0 && list[list.length - 1].cp > cp) list.pop();
      }
    }
    this.deltas.length = cp + 1;
  }

  get pagesStored(): number {
    let n = 0;
    for (const l of this.versions) if (l) n += l.length;
    return n;
  }

  /** Bytes of unit contents held (all-zero units hold none). */
  get bytesStored(): number {
    let n = 0;
    for (const l of this.versions) if (l) for (const v of l) n += v.data?.length ?? 0;
    return n;
  }
}

function isZero(b: Uint8Array): boolean {
  const w = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}

interface Checkpoint {
  readonly state: MachineState;
}

export class Checkpoints {
  private readonly cps: Checkpoint[] = [];
  private readonly regions: RegionHistory[];
  /** Each disk's sectors (block devices, guest by guest). */
  private readonly disks: RegionHistory[];
  /** The checkpoint the machine's memory currently derives from. */
  private base = 0;

  constructor(
    readonly machine: Machine,
    /** Events between checkpoints. */
    readonly interval = 16384,
  ) {
    this.regions = [
      ...machine.launchers.map((L) => new RegionHistory(L.memory.bytes, L.memory.dirty, L.memory.stale)),
      ...machine.sharedObjects.map((o) => new RegionHistory(o.bytes, o.dirty, o.stale)),
    ];
    this.disks = machine.blockDevices().map((d) => new RegionHistory(d.disk, d.written, null, SECTOR_SIZE));
    this.take();
  }

  get count(): number {
    return this.cps.length;
  }

  /** Events that exist before anything runs (checkpoint 0): the earliest state a seek can show. */
  get startCount(): number {
    return this.cps[0].state.count;
  }

  /** Event count of each checkpoint. */
  counts(): number[] {
    return this.cps.map((c) => c.state.count);
  }

  /** Take a checkpoint now (the machine must be at a quantum boundary). */
  private take(): void {
    const cp = this.cps.length;
    for (const r of this.regions) r.capture(cp);
    for (const r of this.disks) r.capture(cp);
    this.cps.push({ state: this.machine.captureState() });
    this.base = cp;
  }

  /**
   * Call before each Machine.step(): takes a checkpoint every `interval`
   * events. On a re-run of an already recorded stretch, the stored checkpoint
   * is adopted instead (same state: the machine is deterministic).
   * `interval` is smaller while a person steps or watches slow motion at the
   * end of the timeline: each next event is then a seek that re-runs only a
   * few events from the checkpoint before it (issue #10).
   */
  beforeStep(interval = this.interval): void {
    const m = this.machine;
    const next = this.base + 1;
    if (next < this.cps.length) {
      if (m.events.count >= this.cps[next].state.count) {
        if (m.events.count !== this.cps[next].state.count) {
          this.restoreTo(next);
          return;
        }
        // Re-running recorded history: the pages written since `base` are exactly checkpoint
        // next's, with the same contents (deterministic), so memory now *is* checkpoint next.
        for (const r of this.regions) r.clearDirty();
        for (const r of this.disks) r.clearDirty();
        this.base = next;
      }
      return;
    }
    if (m.events.count - this.cps[this.base].state.count >= interval) this.take();
  }

  /** The timeline forks at the current point: checkpoints after `base` are no longer this timeline's. */
  fork(): void {
    for (const r of this.regions) r.dropAfter(this.base);
    for (const r of this.disks) r.dropAfter(this.base);
    this.cps.length = this.base + 1;
    this.machine.events.forget();
  }

  private restoreTo(cp: number): void {
    for (const r of this.regions) r.restore(this.base, cp);
    for (const r of this.disks) r.restore(this.base, cp);
    this.machine.restoreState(this.cps[cp].state);
    this.base = cp;
  }

  /** The last checkpoint at or before event count `n`. */
  private checkpointFor(n: number): number {
    let lo = 0;
    let hi = this.cps.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.cps[mid].state.count <= n) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /**
   * Show the state right after event `index` was recorded. The machine is
   * left suspended mid-quantum (unless the event ended a quantum exactly).
   * Returns false if the timeline does not reach that event.
   */
  seek(index: number): boolean {
    const m = this.machine;
    this.restoreTo(this.checkpointFor(index));
    if (m.events.count > index) return true; // index falls before the checkpoint's count only when index < 0
    m.events.stopAfter = index + 1;
    try {
      for (;;) {
        this.beforeStep();
        if (!m.step()) break;
      }
    } catch (e) {
      if (!(e instanceof StopAtEvent)) throw e;
      m.suspended = true;
      return true;
    } finally {
      m.events.stopAfter = -1;
    }
    return m.events.count > index;
  }

  /**
   * Make the machine runnable again at the first quantum boundary at or after
   * event count `count` (after a seek left it suspended).
   */
  resumeAt(count: number): void {
    const m = this.machine;
    this.restoreTo(this.checkpointFor(count));
    while (m.events.count < count) {
      this.beforeStep();
      if (!m.step()) break;
    }
  }

  /** Pages held by all checkpoints (for the benchmark's memory figure). */
  get pagesStored(): number {
    return this.regions.reduce((n, r) => n + r.pagesStored, 0);
  }

  /** Bytes of disk sectors held by all checkpoints (the first holds each disk's non-zero sectors). */
  get diskBytesStored(): number {
    return this.disks.reduce((n, r) => n + r.bytesStored, 0);
  }
}
