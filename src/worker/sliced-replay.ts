/**
 * The page's replay of a link or recording file (issue #11): never one
 * blocking call. The machine runs in slices of a few milliseconds, yielding
 * to the worker's messages between them, so the page shows progress and can
 * cancel; and a replay never runs past the page's event budget, nor may a
 * link ask for more (`replayBudgetProblem`). The CLI replays without a page
 * budget (`replay --max-events`).
 */
import type { Recording } from '../trace/recording.ts';
import type { SessionHost } from './session.ts';

/** The most events the page replays (32 bytes each in the event log: 160 MB at the budget). */
export const PAGE_REPLAY_BUDGET = 5_000_000;
/** Work per slice before yielding to messages (ms). */
const REPLAY_SLICE_MS = 12;

export type ReplayState = 'running' | 'done' | 'cancelled' | 'budget' | 'failed';

export interface ReplayProgress {
  readonly state: ReplayState;
  /** Events replayed so far. */
  readonly done: number;
  /** The events the recording asks for (its shown event or last stamped input); 0 when unknown. */
  readonly target: number;
  /** failed: what the simulation threw; budget: the stop, in words. */
  readonly message?: string;
}

/** The events a recording asks the replay to reach: its shown event, else its last stamped input (0: unknown). */
export function replayTarget(rec: Recording): number {
  let at = 0;
  for (const [stamp] of rec.inputs) if (stamp !== null && stamp > at) at = stamp;
  return rec.view ?? at;
}

/** Why the page refuses to replay a recording, or null: it asks for more events than the page's budget. */
export function replayBudgetProblem(rec: Recording, budget = PAGE_REPLAY_BUDGET): string | null {
  const want = replayTarget(rec);
  if (want <= budget) return null;
  return `this recording needs ${want} events replayed; the page replays at most ${budget} (replay it with the CLI: npm run cli -- replay --file FILE --max-events N)`;
}

/** What the replay drives: one quantum at a time (false: settled), and the event count. */
export interface ReplayTarget {
  step(): boolean;
  readonly count: number;
}

export class SlicedReplay {
  private state: ReplayState = 'running';
  private message: string | undefined;

  constructor(
    private readonly host: SessionHost,
    private readonly m: ReplayTarget,
    /** Stop here even if the machine has not settled (the shown event plus a margin, within the budget). */
    private readonly stopAt: number,
    private readonly target: number,
    private readonly budget: number,
    /** After every slice, and once at the end (state ≠ running). */
    private readonly onSlice: (p: ReplayProgress) => void,
  ) {
    host.defer(() => this.slice());
  }

  get progress(): ReplayProgress {
    return { state: this.state, done: this.m.count, target: this.target, ...(this.message !== undefined ? { message: this.message } : {}) };
  }

  cancel(): void {
    if (this.state !== 'running') return;
    this.state = 'cancelled';
    this.onSlice(this.progress);
  }

  private slice(): void {
    if (this.state !== 'running') return;
    const start = this.host.now();
    let quanta = 0;
    try {
      for (;;) {
        if (this.m.count >= this.stopAt) {
          if (this.m.count >= this.budget) {
            this.state = 'budget';
            this.message = `the replay stopped at the page's budget of ${this.budget} events before the session settled`;
          } else this.state = 'done';
          break;
        }
        if (!this.m.step()) {
          this.state = 'done';
          break;
        }
        // Check the clock every 64 quanta: performance.now() is not free.
        if ((++quanta & 63) === 0 && this.host.now() - start >= REPLAY_SLICE_MS) break;
      }
    } catch (e) {
      this.state = 'failed';
      this.message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    this.onSlice(this.progress);
    if (this.state === 'running') this.host.defer(() => this.slice());
  }
}
