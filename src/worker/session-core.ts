/** The session's state and its time travel: the machine, its checkpoints, the shown event (`view`), and moving it (showCount, showExact). */
import { Machine } from '../machine/machine.ts';
import { Checkpoints } from '../machine/checkpoints.ts';
import type { SimEvent } from '../hw/events.ts';
import { type Scenario } from '../scenario/scenario.ts';
import { defaultAllocator, type Allocator } from '../hw/memory.ts';
import { type Recording } from '../trace/recording.ts';
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

export interface SessionFault {
  readonly message: string;
  /** Events recorded before the fault: the "last good state" a restart replays to. */
  readonly lastGood: number;
}

/** Thrown by the fault-injection hook (tests of the page's crash handling). */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
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

  protected abstract publish(forceHash: boolean): void;
  protected abstract guard(fn: () => void): void;

  constructor(
    protected readonly host: SessionHost,
    protected readonly alloc: Allocator = defaultAllocator,
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
      cps.seek(count - 1);
      this.view = m.events.count;
      return;
    }
    // The start is checkpoint 0 as constructed (a quantum may have run there without an event).
    if (count <= start) cps.seek(start - 1);
    else if (!(m.suspended && m.events.count === count)) cps.seek(count - 1);
    this.view = m.events.count;
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
