/**
 * The machine a lesson plays on, moved by events rather than quanta: the
 * state "after event #i" is the state when i+1 events exist, whichever way it
 * was reached (DESIGN.md rules of the road). Forward and backward moves that
 * must stop inside a quantum go through checkpoints.ts, which re-runs the
 * deterministic machine from a checkpoint and stops right after the event.
 */
import { Checkpoints } from '../machine/checkpoints.ts';
import { Machine } from '../machine/machine.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { eventJson, matches, type Match } from './match.ts';

/** A lesson machine that does not settle within this many quanta is reported, not waited on. */
export const MAX_QUANTA = 2_000_000;

/** A move that could not be made: its reason becomes a FAIL line. */
export class MoveError extends Error {}

export class LessonMachine {
  readonly m: Machine;
  private readonly cps: Checkpoints;
  /** Events recorded while the machine was built (each Launcher's LHREQ_INITIALIZE): no state exists before them. */
  readonly first: number;

  constructor(scenario: Scenario) {
    this.m = new Machine(scenario);
    this.cps = new Checkpoints(this.m);
    this.first = this.m.events.count;
  }

  /** Events that exist now: the machine shows the state after event #(count-1). */
  get count(): number {
    return this.m.events.count;
  }

  /** Back at a quantum boundary (a seek may have stopped inside one). */
  private runnable(): void {
    if (this.m.suspended) this.cps.resumeAt(this.m.events.count);
  }

  private stepOnce(): boolean {
    this.cps.beforeStep();
    return this.m.step();
  }

  /** Run until every guest is idle (and every typed input has landed). */
  runIdle(): void {
    this.runnable();
    for (let q = 0; this.stepOnce(); q++) if (q >= MAX_QUANTA) throw new MoveError(`the machine was still busy after ${MAX_QUANTA} quanta`);
  }

  /** Run on and stop right after the first event from now on that matches. */
  runUntil(match: Match): number {
    const from = this.count;
    this.runnable();
    let scanned = from;
    const scan = (): number => {
      for (; scanned < this.count; scanned++) if (matches(match, eventJson(this.m.events, scanned))) return scanned;
      return -1;
    };
    let hit = scan();
    for (let q = 0; hit < 0; q++) {
      if (!this.stepOnce()) throw new MoveError(`no matching event from #${from} on; every guest went idle at ${this.count} events`);
      if (q >= MAX_QUANTA) throw new MoveError(`no matching event within ${MAX_QUANTA} quanta`);
      hit = scan();
    }
    this.seekAfter(hit);
    return hit;
  }

  /** Move to the state when `count` events exist (forward runs on; back replays from a checkpoint). */
  goToCount(count: number): void {
    if (count === this.count && !this.m.suspended) return;
    if (!this.seekAfter(count - 1)) throw new MoveError(`only ${this.count} events happen before every guest is idle; cannot reach ${count}`);
  }

  /** The state after event #index (index -1: before any event). */
  private seekAfter(index: number): boolean {
    return this.cps.seek(index);
  }

  step(n: number): void {
    this.goToCount(this.count + n);
  }

  back(n: number): void {
    if (this.count - n < this.first) throw new MoveError(`only ${this.count - this.first} events can be undone (the first ${this.first} happen as the machine is built)`);
    this.goToCount(this.count - n);
  }

  /** Every guest idle at a quantum boundary, no typed input waiting: the end of the timeline as the session records it. */
  get settled(): boolean {
    return !this.m.suspended && this.m.isIdle() && this.m.inputsPending === 0;
  }

  /**
   * A step ends in a canonical state: settled, or exactly the state after
   * event #(count-1) as a seek gives it (the page's session and a recording's
   * `view` show that state), even when a quantum boundary happened to be here.
   */
  canonical(): void {
    if (!this.settled && !this.m.suspended && this.count > this.first) this.seekAfter(this.count - 1);
  }

  /** Console input typed once every guest is idle, as `run --type` does; it lands when the machine next runs. */
  type(guest: number, text: string): void {
    this.runIdle();
    this.m.typeInput(guest, text);
  }
}
