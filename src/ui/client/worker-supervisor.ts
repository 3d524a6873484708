/**
 * The worker supervisor (issue #7: "worker crash or an exception in the
 * simulation: the page shows what happened, keeps the recording so far, and
 * offers restart from last good state; nothing is lost silently").
 *
 * It watches for three failures:
 *  1. an exception out of the simulation: the worker lives, its Session stops
 *     the run and sets the live block's `fault` word (src/worker/session.ts);
 *     `api.fault()` says what and the last good event, `api.recover()` replays
 *     to it;
 *  2. a worker that dies loudly: its `error` / `messageerror` event (sim-client.ts);
 *  3. a worker that dies silently or hangs: the watchdog pings it (`api.fault()`,
 *     which doubles as the authoritative fault check) every second, and a ping
 *     left unanswered for WATCHDOG_TIMEOUT_MS means it is gone.
 * For 2 and 3 the worker's own recording is lost with it, so the page keeps a
 * copy of `api.recording()` (scenario + stamped inputs; small): fetched right
 * after each input and every few seconds while anything changes. A restart
 * then terminates the old worker, starts a fresh one and replays that copy.
 * Inputs sent after the last copy are counted and shown, never dropped silently;
 * while the simulation is stopped, typing is refused and counted (sim-client.ts).
 *
 * Test hooks for the browser tests (e2e/faults.spec.ts) live on
 * `window.__lguestLab`: they can only break this page's own worker.
 */
import type { LoadResult } from '../../worker/api.ts';
import type { Recording } from '../../trace/recording.ts';
import { liveAt } from './frame-views.ts';
import type { SimClient } from './sim-client.ts';
import { useUi } from '../store/store.ts';

/** How often the watchdog pings the worker (ms). */
export const WATCHDOG_PING_MS = 1000;
/** A ping unanswered this long means the worker is dead or hung (ms). A slice is 12 ms. */
export const WATCHDOG_TIMEOUT_MS = 5000;
/** While a load or replay runs, the worker answers nothing else: allow this long (ms). */
export const WATCHDOG_BUSY_TIMEOUT_MS = 60_000;
/** Refresh the kept recording at most this often while the session changes (ms)... */
export const KEEP_EVERY_MS = 3000;
/** ...and this soon after an input (ms; coalesces the keystrokes of a burst). */
export const KEEP_AFTER_INPUT_MS = 100;

export interface KeptRecording {
  readonly recording: Recording;
  /** Events the session had when the copy was taken (about: read from the live block). */
  readonly events: number;
  /** Inputs sent before the copy was asked for (all of them are in it). */
  readonly inputs: number;
}

export interface LguestLabTestHooks {
  /** Make the simulation throw once `count` events exist (api.injectFault). */
  injectFault(count: number): Promise<void>;
  /** Terminate the worker without a word: the watchdog must notice. */
  killWorker(): void;
  /** Terminate the worker and fire its `error` event, as an uncaught exception would. */
  crashWorker(message?: string): void;
  /** Events in the page's copy of the recording's session, and its input count (null: none yet). */
  kept(): { events: number; inputs: number } | null;
}

declare global {
  interface Window {
    __lguestLab?: LguestLabTestHooks;
  }
}

export class WorkerSupervisor {
  private kept: KeptRecording | null = null;
  /** Inputs sent through the client since the page started. */
  private inputsSent = 0;
  /** Bumped when the worker is replaced: answers from an older worker are dropped. */
  private epoch = 0;
  private pingSentAt = -1;
  private lastTickAt = -1;
  /** The worker fault on show came from the watchdog (no answer), not from an error event: a late answer clears it. */
  private silent = false;
  private keepInFlight = false;
  private keepAgain = false;
  private keepTimer: ReturnType<typeof setTimeout> | null = null;
  private lastKeepAt = -Infinity;
  private keepEveryMs = KEEP_EVERY_MS;
  private keptSeq = -1;
  private seenGeneration = -1;
  private lastFaultWord = 0;
  /** The live block's `running` word when the fault was seen (the Session leaves it as it was). */
  private runningAtFault = false;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly client: SimClient) {}

  /** The page's copy of the recording (what a worker restart replays). */
  get keptRecording(): KeptRecording | null {
    return this.kept;
  }

  start(): () => void {
    const c = this.client;
    this.disposers.push(
      c.onWorkerFailure((f) => this.workerDied(`the simulation worker crashed (${f.kind}): ${f.message}`)),
      c.onInput(() => {
        this.inputsSent++;
        this.keepSoon(KEEP_AFTER_INPUT_MS);
      }),
      c.subscribe(() => this.onFrame()),
    );
    const timer = setInterval(() => this.tick(), WATCHDOG_PING_MS);
    this.disposers.push(() => clearInterval(timer));
    window.__lguestLab = {
      injectFault: (count) => c.api.injectFault(count),
      killWorker: () => c.terminateWorker(),
      crashWorker: (message = 'crash requested by a test') => c.crashWorker(message),
      kept: () => (this.kept ? { events: this.kept.events, inputs: this.kept.inputs } : null),
    };
    return () => {
      for (const d of this.disposers.splice(0)) d();
      if (this.keepTimer !== null) clearTimeout(this.keepTimer);
      delete window.__lguestLab;
    };
  }

  /** After each client update: a new session (keep its recording), a fault word that just rose. */
  private onFrame(): void {
    const c = this.client;
    const v = c.views;
    if (!v) return;
    if (c.sessionGeneration !== this.seenGeneration && !c.busy) {
      this.seenGeneration = c.sessionGeneration;
      this.keepSoon(0);
    }
    const word = liveAt(v, 'fault');
    if (word !== 0 && this.lastFaultWord === 0) this.ping();
    this.lastFaultWord = word;
  }

  /** Once a second: the watchdog, and the periodic copy of the recording. */
  private tick(): void {
    const c = this.client;
    const ui = useUi.getState();
    if (ui.fault?.kind === 'worker') return;
    const now = performance.now();
    // This page itself stalled (a long task, a throttled background tab): the answer may be waiting in the queue; wait again.
    const stalled = this.lastTickAt >= 0 && now - this.lastTickAt > 2 * WATCHDOG_PING_MS;
    this.lastTickAt = now;
    if (this.pingSentAt >= 0) {
      if (stalled) this.pingSentAt = now;
      const limit = c.busy ? WATCHDOG_BUSY_TIMEOUT_MS : WATCHDOG_TIMEOUT_MS;
      if (now - this.pingSentAt > limit) {
        this.workerDied(`the simulation worker stopped answering (no reply in ${Math.round(limit / 1000)} s); if it is only busy, this notice goes away when it answers`);
        this.silent = true;
      }
      return;
    }
    this.ping();
    const v = c.views;
    if (v && !ui.fault && now - this.lastKeepAt >= this.keepEveryMs && liveAt(v, 'seq') !== this.keptSeq) this.keepSoon(0);
  }

  /** Ask the worker whether the simulation faulted; the answer also proves it is alive. */
  private ping(): void {
    if (this.pingSentAt >= 0) return;
    const epoch = this.epoch;
    this.pingSentAt = performance.now();
    void this.client.api.fault().then(
      (f) => {
        if (epoch !== this.epoch) return;
        this.pingSentAt = -1;
        const ui = useUi.getState();
        if (this.silent && ui.fault?.kind === 'worker' && !ui.restarting) {
          // It was only busy (a long export, a huge replay): it answered after all.
          this.silent = false;
          this.client.inputBlocked = false;
          ui.setFault(null);
        }
        this.onFaultAnswer(f);
      },
      (e: unknown) => {
        if (epoch !== this.epoch) return;
        this.pingSentAt = -1;
        this.workerDied(`the simulation worker failed a call: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  private onFaultAnswer(f: { message: string; lastGood: number } | null): void {
    const ui = useUi.getState();
    const c = this.client;
    if (f) {
      const cur = ui.fault;
      if (cur && cur.kind === 'exception' && cur.message === f.message && cur.lastGood === f.lastGood) return;
      if (cur?.kind === 'worker') return;
      this.runningAtFault = c.views ? liveAt(c.views, 'running') !== 0 : true;
      c.inputBlocked = true;
      ui.setFault({ kind: 'exception', message: f.message, lastGood: f.lastGood, inputsNotKept: 0 });
    } else if (ui.fault?.kind === 'exception' && !ui.restarting) {
      // The session has no fault any more (a preset or file was loaded over it).
      c.inputBlocked = false;
      c.inputRefusedBytes = 0;
      ui.setFault(null);
      ui.setRestartError(null);
    }
  }

  private workerDied(message: string): void {
    const ui = useUi.getState();
    if (ui.fault?.kind === 'worker' || ui.restarting) return;
    const c = this.client;
    this.silent = false;
    // The old shared live block still holds the last state the worker published.
    this.runningAtFault = c.views ? liveAt(c.views, 'running') !== 0 : true;
    c.inputBlocked = true;
    ui.setFault({ kind: 'worker', message, lastGood: this.kept?.events ?? 0, inputsNotKept: this.inputsSent - (this.kept?.inputs ?? 0) });
  }

  private keepSoon(ms: number): void {
    if (this.keepTimer !== null) {
      if (ms > 0) return;
      clearTimeout(this.keepTimer);
    }
    this.keepTimer = setTimeout(() => {
      this.keepTimer = null;
      this.keep();
    }, ms);
  }

  /** Fetch a fresh copy of the recording (one call in flight at a time). */
  private keep(): void {
    const c = this.client;
    if (useUi.getState().fault || c.busy) return;
    if (this.keepInFlight) {
      this.keepAgain = true;
      return;
    }
    const epoch = this.epoch;
    const inputs = this.inputsSent;
    const startedAt = performance.now();
    this.keepInFlight = true;
    void c.api.recording().then(
      (recording) => this.onKept(epoch, inputs, startedAt, recording),
      () => {
        // Nothing loaded yet, or the worker is gone: the watchdog and the next load take it from here.
        if (epoch === this.epoch) this.keepInFlight = false;
      },
    );
  }

  /** A copy arrived: keep it (unless it is from a worker since replaced). */
  private onKept(epoch: number, inputs: number, startedAt: number, recording: Recording): void {
    if (epoch !== this.epoch) return;
    this.keepInFlight = false;
    const v = this.client.views;
    const now = performance.now();
    this.kept = { recording, events: v ? liveAt(v, 'view') : 0, inputs };
    this.keptSeq = v ? liveAt(v, 'seq') : -1;
    this.lastKeepAt = now;
    // A big scenario (a disk image inside) makes each copy costly: copy less often.
    this.keepEveryMs = Math.max(KEEP_EVERY_MS, 50 * (now - startedAt));
    if (this.keepAgain) {
      this.keepAgain = false;
      this.keep();
    }
  }

  /**
   * "Restart from last good state". An exception: the worker replays its own
   * recording to the last good event. A dead worker: a fresh worker replays
   * the page's copy. The session runs again if it was running.
   */
  async restart(): Promise<boolean> {
    const ui = useUi.getState();
    const f = ui.fault;
    if (!f || ui.restarting) return false;
    const c = this.client;
    ui.setRestarting(true);
    ui.setRestartError(null);
    this.silent = false;
    try {
      let r: LoadResult;
      // Run again if it ran when it stopped; pausing during an exception fault (the live block still answers) restarts paused.
      let resume = this.runningAtFault;
      if (f.kind === 'exception') {
        resume = c.views ? liveAt(c.views, 'running') !== 0 : resume;
        r = await c.recover();
      } else {
        c.replaceWorker();
        this.epoch++;
        this.pingSentAt = -1;
        this.keepInFlight = false;
        if (this.kept) r = await c.load({ kind: 'recording', recording: this.kept.recording });
        else {
          // Died before the first copy: start the preset afresh, and say so.
          const name = ui.sourceName && !ui.sourceName.startsWith('file:') ? ui.sourceName : 'console';
          r = await c.load({ kind: 'preset', name });
          if (r.ok) ui.setLoadError(`the worker died before the page kept a copy of the session; started "${name}" afresh`);
        }
      }
      if (!r.ok) throw new Error(r.error);
      await c.api.setSpeed(ui.speed);
      if (resume) await c.api.run();
      c.inputBlocked = false;
      c.inputRefusedBytes = 0;
      this.lastFaultWord = 0;
      ui.setFault(null);
      this.keepSoon(0);
      return true;
    } catch (e) {
      useUi.getState().setRestartError(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      useUi.getState().setRestarting(false);
    }
  }
}
