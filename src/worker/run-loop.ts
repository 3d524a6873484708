/** The run loop: slices of quanta on the worker's queue, speeds and slow motion, runUntil, faults caught and recovered, the page's sliced replay. */
import { Machine } from '../machine/machine.ts';
import { Checkpoints } from '../machine/checkpoints.ts';
import { compileFilter, findEvent, type EventFilter } from './event-filter.ts';
import { PAGE_REPLAY_BUDGET, SlicedReplay, type ReplayProgress } from './sliced-replay.ts';
import { SLICE_MS, TIMER_MAX_SPEED, HASH_EVERY_EVENT_SPEED, type SessionFault, InjectedFault } from './session-core.ts';
import { LivePublisher } from './live-publisher.ts';

export abstract class RunLoop extends LivePublisher {
  run(): void {
    if (!this.machine || this.replay?.progress.state === 'running') return;
    this.guard(() => {
      // Slow motion goes on from the shown state; the run loop needs a quantum boundary.
      if (!this.slowMotion) this.resumeIfSuspended();
      this.running = true;
      this.resetPace();
      this.schedule();
    });
  }

  pause(): void {
    // Also after a fault (the live block still answers: a restart then stays paused).
    this.running = false;
    this.stopFilter = null;
    this.guard(() => this.settle());
    this.publish(true);
  }

  setSpeed(eventsPerSecond: number): void {
    this.speed = Math.max(0, Math.floor(eventsPerSecond));
    this.resetPace();
  }

  /** Run (at the set speed) until an event matching `filter` happens; pause right after it. */
  runUntil(filter: EventFilter): void {
    const m = this.machine;
    if (!m) return;
    this.run();
    this.stopFilter = compileFilter(filter, m.events.strings);
  }

  protected get slowMotion(): boolean {
    return this.speed > 0 && this.speed <= TIMER_MAX_SPEED;
  }

  protected resetPace(): void {
    this.pace = { t0: this.host.now(), e0: this.machine?.events.count ?? 0, ticks: 0 };
  }

  /** A run stopped between quanta: show its view as the one state after event #view-1. */
  protected settle(): void {
    const m = this.machine;
    if (m && !m.suspended) this.showExact(this.view);
  }

  protected schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.host.defer(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  /** One slice of work: run quanta for up to SLICE_MS (or the speed budget), publish, yield. */
  protected slice(): void {
    this.guard(() => this.sliceUnguarded());
  }

  /**
   * Run `fn`; an exception out of the simulation stops the session, keeps its
   * recording and reports a fault instead of killing the worker (issue #7).
   */
  protected guard(fn: () => void): void {
    if (this.faultInfo) return;
    try {
      fn();
    } catch (e) {
      const m = this.machine;
      this.running = false;
      const lastGood = m ? Math.max(0, Math.min(m.events.count, m.events.recorded) - 1) : 0;
      this.faultInfo = { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), lastGood };
      if (m) m.events.stopAfter = -1;
      this.publishFault();
    }
  }

  fault(): SessionFault | null {
    return this.faultInfo;
  }

  /** Test hook: make the simulation throw once `count` events exist. */
  injectFault(count: number): void {
    this.faultAt = count;
  }

  protected sliceUnguarded(): void {
    const m = this.machine;
    if (!m || !this.running) return;
    if (this.slowMotion) return this.tick();
    this.resumeIfSuspended();
    const start = this.host.now();
    // The budget keeps the average rate at `speed`: the events due since the pace was set.
    const due = this.speed > 0 ? this.pace.e0 + Math.floor((this.speed * (start - this.pace.t0)) / 1000) : Number.POSITIVE_INFINITY;
    const stop = this.stopFilter;
    let idle = false;
    let hit = -1;
    while (m.events.count < due) {
      const before = m.events.count;
      if (!this.stepMachine()) {
        idle = true;
        break;
      }
      if (this.faultAt >= 0 && m.events.count >= this.faultAt) throw new InjectedFault(`injected fault after event #${m.events.count - 1}`);
      if (stop && (hit = findEvent(m.events, stop, before, m.events.count, 1)) >= 0) break;
      if ((m.quanta & 63) === 0 && this.host.now() - start > SLICE_MS) break;
    }
    this.view = m.events.count;
    if (hit >= 0) return this.stopAt(hit);
    if (idle) this.settle();
    this.publish(idle);
    // Idle: nothing to do until input arrives (typeInput schedules a slice).
    if (!idle) {
      if (this.speed > 0) this.host.later(() => this.schedule(), SLICE_MS);
      else this.schedule();
    }
  }

  /** runUntil found its event: pause right after it. */
  protected stopAt(index: number): void {
    this.running = false;
    this.stopFilter = null;
    this.showExact(index + 1);
    this.publish(true);
  }

  /**
   * Slow motion: one event per tick, ticks evenly spaced at 1/speed seconds
   * from when the pace was set (a late tick does not make the next one early
   * twice: no bursts), each event shown as the state after it.
   */
  protected tick(): void {
    const m = this.machine!;
    const before = this.view;
    this.showCount(before + 1);
    const moved = this.view > before;
    if (moved && this.stopFilter && this.stopFilter(m.events.get(before))) return this.stopAt(before);
    if (!moved && this.view >= m.events.recorded) {
      // Idle at the end: wait for input (typeInput schedules a slice).
      this.publish(true);
      return;
    }
    this.publish(this.speed <= HASH_EVERY_EVENT_SPEED);
    const period = 1000 / this.speed;
    const now = this.host.now();
    const next = Math.max(this.pace.ticks + 1, Math.floor((now - this.pace.t0) / period) + 1);
    this.pace.ticks = next;
    this.host.later(() => this.schedule(), Math.max(0, this.pace.t0 + next * period - now));
  }

  /** The page's replay: slices on the worker's queue, so progress() and cancelReplay() get through between them. */
  protected startReplay(m: Machine, cp: Checkpoints, stopAt: number, target: number, view: number | undefined): void {
    const r: SlicedReplay = new SlicedReplay(
      this.host,
      {
        step: () => {
          cp.beforeStep();
          const ran = m.step();
          if (this.machine === m && m.events.count >= m.events.recorded) this.idleAtEnd = !ran && m.inputsPending === 0;
          return ran;
        },
        get count() {
          return m.events.count;
        },
      },
      stopAt,
      target,
      PAGE_REPLAY_BUDGET,
      (p) => {
        if (this.replay !== r) return; // a newer load took over
        this.view = m.events.count;
        // Stopped (done, cancelled, at the budget): show the one state after event #view-1.
        if (p.state !== 'running') this.showExact(view !== undefined && p.state === 'done' ? Math.min(view, m.events.count) : m.events.count);
        this.publish(p.state !== 'running');
      },
    );
    this.replay = r;
  }

  /** How the page's replay of a link is getting on (null: none since the last load). */
  replayProgress(): ReplayProgress | null {
    return this.replay?.progress ?? null;
  }

  /** Stop the page's replay where it is: the session stays there, paused. */
  cancelReplay(): void {
    this.replay?.cancel();
  }

  /** Run until idle with every pending input applied (replays, tests), or until `maxEvents` events exist. */
  runToEnd(maxQuanta = 50_000_000, maxEvents = Infinity): void {
    const m = this.need();
    this.resumeIfSuspended();
    let q = 0;
    while (q++ < maxQuanta && m.events.count < maxEvents) {
      if (!this.stepMachine()) break;
    }
    // Ended between quanta: show the one state after the last event (see the top of this file).
    this.showExact(m.events.count);
    this.publish(true);
  }
}
