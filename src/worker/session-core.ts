/** The session's state and its time travel: the machine, its checkpoints, the shown event (`view`), and moving it (showCount, showExact). */
import { Machine } from '../machine/machine.ts';
import { Checkpoints, type Thinning } from '../machine/checkpoints.ts';
import { EVENT_CHUNK, type SimEvent } from '../hw/events.ts';
import { TimelineBins } from '../trace/timeline-bins.ts';
import { EventFacts } from './event-facts.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { defaultAllocator, type Allocator } from '../hw/shared-object.ts';
import type { Recording } from '../trace/recording.ts';
import { findEvent } from './event-filter.ts';
import { LIVE_BYTES } from './live-block.ts';
import { SlicedReplay } from './sliced-replay.ts';

/** Wall-clock and scheduling services the session needs (injected: the core itself never reads a clock). */
export interface SessionHost {
  now(): number;
  /** Run `fn` soon, yielding to incoming messages first. */
  defer(fn: () => void): void;
  /** Run `fn` after `ms` milliseconds. */
  later(fn: () => void, ms: number): void;
}

/** Work per slice before yielding to messages (ms). */
export const SLICE_MS = 12;
/** A replay that has not settled stops this many events past the recording's shown event. */
export const REPLAY_AHEAD = 250_000;
/** Re-hash memory at most this often while running (ms). */
export const HASH_EVERY_MS = 400;
/**
 * At or below this speed (events per second) slow motion applies one event
 * per timer tick, evenly spaced, each shown as the state after it; above it
 * the run loop runs quanta against an events-per-second budget.
 */
export const TIMER_MAX_SPEED = 100;
/** At or below this speed every event shown in slow motion is hashed (each tick ≥ 100 ms apart). */
export const HASH_EVERY_EVENT_SPEED = 10;
/** Checkpoint spacing while extending the timeline one event at a time (Checkpoints.beforeStep). */
export const FINE_INTERVAL = 64;
/** goToMatch('next') runs at most this many new events looking for a match. */
export const FIND_AHEAD = 1_000_000;
/** Quanta without an event run past the last event to see whether the run settles there. */
export const SETTLE_QUANTA = 10_000;
/** stepScript looks at most this many events for the script's next step. */
export const SCRIPT_STEP_LIMIT = 10_000;
/**
 * Event slots the page's session keeps (issue #15): 8 chunks of 65,536
 * events (16 MB), the recent window plus what a seek or the log asked for;
 * older events are regenerated from checkpoints when needed.
 */
export const PAGE_EVENT_SLOTS = 8;
/**
 * Events between the page's checkpoints near the end of the timeline: a seek
 * there re-runs at most this many (issue #15: p95 <= 100 ms in the last 1 M
 * events at the ~150-250 k events/s a net flood re-runs at here).
 */
export const PAGE_CHECKPOINT_INTERVAL = 8192;
/** Events before the shown one that a far seek also makes readable (the event log's rows above it). */
export const LOG_CONTEXT = 2048;
/** Most events regenerated in one re-run (two chunks: well within PAGE_EVENT_SLOTS with the window kept). */
export const REGENERATE_SPAN = 2 * EVENT_CHUNK;

export interface SessionFault {
  readonly message: string;
  /** Events recorded before the fault: the "last good state" a restart replays to. */
  readonly lastGood: number;
}

/** Thrown by the fault-injection hook (tests of the page's crash handling). */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** How much a session keeps: event slots (default PAGE_EVENT_SLOTS), timeline bins (default DEFAULT_BINS), checkpoint thinning. */
export interface SessionKeep {
  readonly eventSlots?: number;
  readonly timelineBins?: number;
  readonly thinning?: Thinning | null;
}

export abstract class SessionCore {
  protected machine: Machine | null = null;
  protected checkpoints: Checkpoints | null = null;
  protected source: { preset?: string; scenario?: Scenario } = {};
  protected scenario: Scenario | null = null;
  /** What was opened, inputs included: reset() starts it again (a link or file keeps its inputs). */
  protected opened: { scenario: Scenario; name?: string } | null = null;
  /** The machine went idle at the recorded end with nothing pending (a recording then needs no view). */
  protected idleAtEnd = false;
  /** Slow motion / budget pacing: wall time and event count when the pace was set. */
  protected pace = { t0: 0, e0: 0, ticks: 0 };
  /** runUntil: pause right after the first event matching this. */
  protected stopFilter: ((ev: SimEvent) => boolean) | null = null;
  protected live: Uint32Array;
  protected liveBuffer: ArrayBufferLike;
  protected view = 0;
  protected running = false;
  protected speed = 0;
  protected scheduled = false;
  protected lastHashAt = -Infinity;
  protected rateWindow: { t: number; events: number } = { t: 0, events: 0 };
  protected ui: Recording['ui'] = undefined;
  /** An exception escaped the simulation: what it said, and the last event count known good. */
  protected faultInfo: SessionFault | null = null;
  /** Test hook: throw inside the simulation once this many events exist (-1: off). */
  protected faultAt = -1;
  /** The page's replay of a link, in slices (sliced-replay.ts); null when none is under way. */
  protected replay: SlicedReplay | null = null;
  /** The timeline's fixed-size overview and the panels' facts, built as events are recorded (issue #15). */
  protected bins: TimelineBins | null = null;
  protected factLog: EventFacts | null = null;

  protected abstract publish(forceHash: boolean): void;
  protected abstract guard(fn: () => void): void;

  constructor(
    protected readonly host: SessionHost,
    protected readonly alloc: Allocator = defaultAllocator,
    /** Sizes of what the session keeps (tests make them small to exercise eviction and coarsening). */
    protected readonly keep: SessionKeep = {},
  ) {
    this.liveBuffer = alloc(LIVE_BYTES);
    this.live = new Uint32Array(this.liveBuffer);
  }

  get shared(): boolean {
    return typeof SharedArrayBuffer === 'function' && this.liveBuffer instanceof SharedArrayBuffer;
  }

  protected need(): Machine {
    if (!this.machine) throw new Error('no scenario loaded');
    return this.machine;
  }

  /**
   * One quantum (checkpointing first, every `interval` events past the recorded
   * end); false when nothing ran. Keeps `idleAtEnd` true exactly while the
   * recorded end is a settled idle point.
   */
  protected stepMachine(interval?: number): boolean {
    const m = this.machine!;
    this.checkpoints!.beforeStep(interval);
    if (!m.step()) {
      if (m.events.count >= m.events.recorded) this.idleAtEnd = m.inputsPending === 0;
      return false;
    }
    if (m.events.count >= m.events.recorded) this.idleAtEnd = false;
    return true;
  }

  /** Bring a suspended machine back to a quantum boundary at or after the shown event. */
  protected resumeIfSuspended(): void {
    const m = this.machine;
    if (m && m.suspended) {
      this.checkpoints!.resumeAt(this.view);
      this.view = m.events.count;
    }
  }

  /**
   * Show the state right after `count` events: clamped to [start, what the
   * machine can run to], running on past the recorded end if need be.
   */
  protected showCount(count: number): void {
    const m = this.machine;
    if (!m) return;
    const cps = this.checkpoints!;
    let target = Math.max(cps.startCount, count);
    if (target > m.events.recorded) {
      // Extend the timeline: run on from its furthest quantum boundary until `target` events exist.
      if (m.suspended || m.events.count < m.events.recorded) cps.resumeAt(m.events.recorded);
      while (m.events.count < target) {
        if (!this.stepMachine(FINE_INTERVAL)) break;
      }
      target = Math.min(target, m.events.count);
    }
    this.showExact(target);
  }

  /**
   * Show the one state right after event #count-1 (count recorded): the
   * machine stopped by a seek the moment that event was recorded, the
   * constructed machine for the start, or the settled idle machine for the
   * last event of a run that went idle there. Already there: nothing to do.
   */
  protected showExact(count: number): void {
    const m = this.machine!;
    const cps = this.checkpoints!;
    const start = cps.startCount;
    if (count > start && count >= m.events.recorded) {
      // The last recorded event. If the run settles there (only quanta that record nothing
      // follow, e.g. a script noting its last result, then idleness), its one state is the
      // settled one, reached the same way from anywhere: the boundary after the last event,
      // then those quanta. If more events follow, it is the stop right after the event.
      const end = m.events.recorded;
      if (m.suspended || m.events.count !== end) cps.resumeAt(end);
      for (let q = 0; q < SETTLE_QUANTA && m.events.count === end; q++) if (!this.stepMachine()) break;
      if (m.events.count === end && m.isIdle() && m.inputsPending === 0) {
        this.idleAtEnd = true;
        this.view = end;
        return;
      }
      this.seekShown(count - 1);
      this.view = m.events.count;
      return;
    }
    // The start is checkpoint 0 as constructed (a quantum may have run there without an event).
    if (count <= start) cps.seek(start - 1);
    else if (!(m.suspended && m.events.count === count)) this.seekShown(count - 1);
    this.view = m.events.count;
  }

  /** Seek to event `index`; if the events before it were let go, re-run from far enough back that the log's rows above it are readable. */
  private seekShown(index: number): void {
    const ev = this.machine!.events;
    const back = Math.max(this.checkpoints!.startCount, index - LOG_CONTEXT);
    this.checkpoints!.seek(index, ev.has(back) ? index : back);
  }

  /**
   * Do `fn`, which may re-run the machine anywhere (regenerating events),
   * then put the machine back exactly where it was: the same event count,
   * quantum and suspension (the machine is deterministic, so this is the
   * same state). Only events near the shown one are kept on the way back.
   */
  protected keepingPlace<T>(fn: () => T): T {
    const m = this.machine!;
    const cps = this.checkpoints!;
    const { count } = m.events;
    const { quanta, suspended } = m;
    try {
      return fn();
    } finally {
      if (m.events.count !== count || m.quanta !== quanta || m.suspended !== suspended) {
        m.events.scratchBelow = Math.max(0, Math.floor((count - LOG_CONTEXT) / EVENT_CHUNK) * EVENT_CHUNK);
        try {
          if (suspended) cps.seek(count - 1);
          else {
            cps.resumeAt(count);
            while (m.quanta < quanta) {
              cps.beforeStep();
              if (!m.step()) break;
            }
          }
        } finally {
          m.events.scratchBelow = -1;
        }
      }
    }
  }

  /** Make the recorded events [from, to) readable (regenerating what the bounded log let go), the machine left where it was. */
  protected ensureEvents(from: number, to: number): void {
    const m = this.machine!;
    const ev = m.events;
    const a = Math.max(0, from);
    const b = Math.min(to, ev.recorded);
    if (a >= b || ev.hasRange(a, b)) return;
    this.keepingPlace(() => {
      for (let lo = a; lo < b; lo += REGENERATE_SPAN) {
        const hi = Math.min(b, lo + REGENERATE_SPAN);
        if (!ev.hasRange(lo, hi)) this.checkpoints!.regenerate(lo, hi);
      }
    });
  }

  /**
   * findEvent over the recorded timeline, regenerating stretches the bounded
   * log let go (at most `limit` events from `from`); the machine is left
   * where it was. Forward: [from, to); backward: from from-1 down to `to`.
   * `categories`: the category bits a match must have (timeline-lanes.ts);
   * timeline bins with none of them in any lane are skipped unread.
   */
  protected findRecorded(match: (ev: SimEvent) => boolean, from: number, to: number, direction: 1 | -1, limit = FIND_AHEAD, categories: number | null = null): number {
    const m = this.machine!;
    const ev = m.events;
    const bins = this.bins;
    if (bins && categories !== null) bins.catchUp(ev);
    /** The bin holding event i cannot hold a match: where to look next, else -1. */
    const skipFrom = (i: number): number => {
      if (!bins || categories === null || i >= bins.done) return -1;
      const shift = bins.shift;
      const b = i >>> shift;
      for (let l = 0; l < bins.lanes; l++) if (bins.masks[b * bins.lanes + l] & categories) return -1;
      return direction === 1 ? (b + 1) << shift : (b << shift) - 1;
    };
    const lookAt = (i: number): boolean => {
      if (!ev.has(i)) {
        const lo = direction === 1 ? i : Math.max(to, i + 1 - REGENERATE_SPAN);
        const hi = direction === 1 ? Math.min(to, ev.recorded, i + REGENERATE_SPAN) : i + 1;
        this.checkpoints!.regenerate(lo, hi);
      }
      return match(ev.get(i));
    };
    const search = (): number => {
      if (direction === 1) {
        const end = Math.min(to, ev.recorded, from + limit);
        for (let i = Math.max(0, from); i < end; ) {
          const next = skipFrom(i);
          if (next >= 0) i = next;
          else if (lookAt(i)) return i;
          else i++;
        }
      } else {
        const end = Math.max(0, to, from - limit);
        for (let i = Math.min(from, ev.recorded) - 1; i >= end; ) {
          const next = skipFrom(i);
          if (next >= 0) i = next;
          else if (lookAt(i)) return i;
          else i--;
        }
      }
      return -1;
    };
    // Only a search that had to regenerate moved the machine (keepingPlace then puts it back).
    return this.keepingPlace(search);
  }

  /** Pause, do `move`, publish; returns the shown view. */
  protected navigate(move: () => void): number {
    this.guard(() => {
      if (!this.machine) return;
      this.running = false;
      this.stopFilter = null;
      move();
      this.publish(true);
    });
    return this.view;
  }

  /**
   * Extend the timeline from its recorded end until an event matching `match`
   * is recorded or `maxCount` events exist; its index, or -1.
   */
  protected runOnFor(match: (ev: SimEvent) => boolean, maxCount: number): number {
    const m = this.machine!;
    const cps = this.checkpoints!;
    if (m.suspended || m.events.count < m.events.recorded) cps.resumeAt(m.events.recorded);
    while (m.events.count < maxCount) {
      const before = m.events.count;
      if (!this.stepMachine(FINE_INTERVAL)) break;
      const hit = findEvent(m.events, match, before, m.events.count, 1);
      if (hit >= 0) return hit;
    }
    return -1;
  }

  /** The UI state a recording carries (selection); set by the page before `recording()`. */
  setUiState(ui: Recording['ui']): void {
    this.ui = ui;
  }

  get uiState(): Recording['ui'] {
    return this.ui;
  }
}
