/**
 * Checkpoints and time travel (issue #5).
 *
 * A checkpoint is the Machine's non-memory state (Machine.captureState) plus,
 * for memory, only the pages written since the previous checkpoint: every
 * memory writer marks pages dirty (src/core/memory.ts), so a checkpoint
 * costs what changed. Each page keeps its versions in checkpoint order, so
 * the page as it was at checkpoint k is the last version at or before k.
 *
 * Seeking to event N restores the last checkpoint at or before N and re-runs
 * the (deterministic) machine, stopping right after event N is recorded
 * (EventLog.stopAfter). That leaves the machine mid-quantum, `suspended`: it
 * shows the state at N; to run on, `resume` restores and re-runs to a quantum
 * boundary.
 */
import { PAGE_SIZE } from '../abi/constants.ts';
import { StopAtEvent } from './events.ts';
import type { Machine, MachineState } from './machine.ts';

interface PageVersion {
  readonly cp: number;
  /** null: the page was all zero. */
  readonly data: Uint8Array | null;
}

/** Versions of the pages of one memory region (a guest's private block or a shared object). */
class RegionHistory {
  private readonly versions: (PageVersion[] | undefined)[];
  /** Pages captured by each checkpoint. */
  private readonly deltas: number[][] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly dirty: Uint8Array,
    /** The state hash's marks (src/core/memory-hash.ts): a restored page is written too. */
    private readonly stale: Uint8Array,
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
      const src = this.bytes.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
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
      const dst = this.bytes.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      if (v && v.data) dst.set(v.data);
      else dst.fill(0);
      d[p] = 0;
      this.stale[p] = 1;
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
}

function isZero(b: Uint8Array): boolean {
  const w = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}

interface Checkpoint {
  readonly state: MachineState;
  readonly disks: { stamp: number; data: Uint8Array }[];
}

export class Checkpoints {
  private readonly cps: Checkpoint[] = [];
  private readonly regions: RegionHistory[];
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
    this.take();
  }

  get count(): number {
    return this.cps.length;
  }

  /** Event count of each checkpoint. */
  counts(): number[] {
    return this.cps.map((c) => c.state.count);
  }

  private disks(): { stamp: number; data: Uint8Array }[] {
    const out: { stamp: number; data: Uint8Array }[] = [];
    const prev = this.cps[this.cps.length - 1]?.disks;
    for (const d of this.machine.blockDevices()) {
      const p = prev?.[out.length];
      out.push(p && p.stamp === d.stamp ? p : { stamp: d.stamp, data: d.disk.slice() });
    }
    return out;
  }

  /** Take a checkpoint now (the machine must be at a quantum boundary). */
  private take(): void {
    const cp = this.cps.length;
    for (const r of this.regions) r.capture(cp);
    this.cps.push({ state: this.machine.captureState(), disks: this.disks() });
    this.base = cp;
  }

  /**
   * Call before each Machine.step(): takes a checkpoint every `interval`
   * events. On a re-run of an already recorded stretch, the stored checkpoint
   * is adopted instead (same state: the machine is deterministic).
   */
  beforeStep(): void {
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
        this.base = next;
      }
      return;
    }
    if (m.events.count - this.cps[this.base].state.count >= this.interval) this.take();
  }

  /** The timeline forks at the current point: checkpoints after `base` are no longer this timeline's. */
  fork(): void {
    for (const r of this.regions) r.dropAfter(this.base);
    this.cps.length = this.base + 1;
    this.machine.events.forget();
  }

  private restoreTo(cp: number): void {
    for (const r of this.regions) r.restore(this.base, cp);
    const c = this.cps[cp];
    this.machine.restoreState(c.state);
    this.machine.blockDevices().forEach((d, i) => {
      const s = c.disks[i];
      if (d.stamp !== s.stamp) {
        d.disk.set(s.data);
        d.stamp = s.stamp;
      }
    });
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
}
