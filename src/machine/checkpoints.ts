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
 *
 * Checkpoints are thinned with age (issue #15): the last `dense` events keep
 * one every `interval`; older ones keep one per `sparse` events, so a long
 * session holds a bounded number per stretch of history and a seek anywhere
 * re-runs at most about `sparse` events. `regenerate` uses the same re-run to
 * make events the bounded event log let go readable again.
 */
import { SECTOR_SIZE } from '../abi/constants.ts';
import { RegionHistory } from './region-history.ts';
import { EVENT_CHUNK, StopAtEvent } from '../hw/events.ts';
import type { Machine, MachineState } from './machine.ts';

interface Checkpoint {
  readonly id: number;
  readonly state: MachineState;
}

/** How checkpoints thin with age: the last `dense` events keep every one; older history keeps one per `sparse` events. */
export interface Thinning {
  readonly dense: number;
  readonly sparse: number;
}

/**
 * The page's thinning: every checkpoint of the last 2^20 events (a seek there
 * re-runs at most `interval` events: issue #15's "last 1 M events p95 <= 100
 * ms") and one per 2^16 events further back (a seek anywhere re-runs at most
 * ~74 k events, under 0.5 s at the ~150 k events/s a net flood re-runs at
 * here: "anywhere in a 100 M-event run p95 <= 1 s"). About 1,500
 * checkpoints for 100 M events.
 */
export const DEFAULT_THINNING: Thinning = { dense: 1 << 20, sparse: 1 << 16 };

export class Checkpoints {
  private readonly cps: Checkpoint[] = [];
  private readonly regions: RegionHistory[];
  /** Each disk's sectors (block devices, guest by guest). */
  private readonly disks: RegionHistory[];
  /** The position (in `cps`) of the checkpoint the machine's memory currently derives from. */
  private base = 0;
  private nextId = 0;
  /** Positions below this are already thinned. */
  private thinnedTo = 1;

  constructor(
    readonly machine: Machine,
    /** Events between checkpoints. */
    readonly interval = 16384,
    /** null: keep every checkpoint. */
    readonly thinning: Thinning | null = DEFAULT_THINNING,
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
    const id = this.nextId++;
    for (const r of this.regions) r.capture(id);
    for (const r of this.disks) r.capture(id);
    this.cps.push({ id, state: this.machine.captureState() });
    this.base = this.cps.length - 1;
    this.thin();
  }

  /**
   * Thin checkpoints older than `dense` events: keep the first of each
   * `sparse`-event stretch (and checkpoint 0, the start). Only at the newest
   * checkpoint (take), so `base` stays the newest.
   */
  private thin(): void {
    const t = this.thinning;
    if (!t) return;
    const now = this.cps[this.cps.length - 1].state.count;
    let pos = this.thinnedTo;
    while (pos < this.cps.length - 1 && this.cps[pos].state.count < now - t.dense) {
      const prev = this.cps[pos - 1].state.count;
      const here = this.cps[pos].state.count;
      if (Math.floor(here / t.sparse) !== Math.floor(prev / t.sparse) || pos === 0) {
        pos++;
        continue;
      }
      const { id } = this.cps[pos];
      const next = this.cps[pos + 1].id;
      for (const r of this.regions) r.remove(id, next);
      for (const r of this.disks) r.remove(id, next);
      this.cps.splice(pos, 1);
    }
    this.thinnedTo = pos;
    this.base = this.cps.length - 1;
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
    const id = this.cps[this.base].id;
    for (const r of this.regions) r.dropAfter(id);
    for (const r of this.disks) r.dropAfter(id);
    this.cps.length = this.base + 1;
    this.thinnedTo = Math.min(this.thinnedTo, Math.max(1, this.cps.length - 1));
    this.machine.events.forget();
  }

  private restoreTo(pos: number): void {
    const lo = Math.min(this.base, pos);
    const hi = Math.max(this.base, pos);
    const between: number[] = [];
    for (let k = lo + 1; k <= hi; k++) between.push(this.cps[k].id);
    const to = this.cps[pos].id;
    for (const r of this.regions) r.restore(between, to);
    for (const r of this.disks) r.restore(between, to);
    this.machine.restoreState(this.cps[pos].state);
    this.base = pos;
  }

  /** The last checkpoint at or before event count `n` (its position). */
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

  /** Event count of the checkpoint a re-run to event count `n` starts from. */
  startOfRerun(n: number): number {
    return this.cps[this.checkpointFor(n)].state.count;
  }

  /**
   * Show the state right after event `index` was recorded. The machine is
   * left suspended mid-quantum (unless the event ended a quantum exactly).
   * The re-run starts at or before `from` (default: the last checkpoint
   * before `index`), so the events [from, index] are kept afterwards: the
   * log shows what led up to a far seek. Returns false if the timeline does
   * not reach that event.
   */
  seek(index: number, from = index): boolean {
    this.restoreTo(this.checkpointFor(Math.min(index, from)));
    return this.runTo(index);
  }

  /**
   * Make the recorded events [from, to) readable again (the bounded event log
   * let them go) by re-running from the last checkpoint at or before `from`;
   * what that re-run passes before `from` goes to scratch storage, so only
   * the stretch asked for takes slots. Leaves the machine suspended right
   * after event to-1; the caller puts it back where it was.
   */
  regenerate(from: number, to: number): void {
    const ev = this.machine.events;
    this.restoreTo(this.checkpointFor(from));
    ev.scratchBelow = Math.floor(from / EVENT_CHUNK) * EVENT_CHUNK;
    try {
      this.runTo(to - 1);
    } finally {
      ev.scratchBelow = -1;
    }
  }

  /** Run on from the restored checkpoint, stopping right after event `index`. */
  private runTo(index: number): boolean {
    const m = this.machine;
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
