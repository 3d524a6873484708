/**
 * The page's end of the simulation: the module Web Worker (src/worker/sim-worker.ts)
 * behind comlink, and the requestAnimationFrame loop that reads its shared
 * memory.
 *
 * Each frame the loop reads the live block's `seq`; only when it changed (or
 * an answer the loop asked for arrived) does it, right after the frame,
 *  1. take the event directory (`event_dir`) into the event window and fetch
 *     the slots it lacks (SharedArrayBuffers: once each; copies: those whose
 *     entry changed), see event-window.ts and history-feed.ts,
 *  2. poll `api.console(guest, seen)` for a guest whose `stdout_chunks` changed,
 *  3. ask for the worker's facts (kills, warnings, block requests) when
 *     `facts_seq` or the shown count changed, and (copies only) the timeline
 *     bins when `bins_seq` did, one call of each in flight,
 *  4. advance the digest's flashes to the shown count,
 *  5. bump `version` and notify subscribers (use-shared-view.ts), which decode
 *     what they show straight from the buffers.
 * Nothing is mirrored into React state per event. When the page is not
 * cross-origin isolated, `api.frame()` supplies one copy of the buffers per frame.
 * A dead worker is replaced by a fresh one (`replaceWorker`, driven by
 * worker-supervisor.ts); `api` always names the current one.
 */
import * as Comlink from 'comlink';
import type { LoadResult, LoadSource, ScriptView, SessionInfo, SimApi } from '../../worker/api.ts';
import { EventDigest } from './event-digest.ts';
import type { EventWindow } from './event-window.ts';
import { HistoryFeed } from './history-feed.ts';
import { splitInput } from '../../scenario/limits.ts';
import { type FrameViews, liveAt, makeViews } from './frame-views.ts';
import { ConsoleFeed, type ConsoleSink } from './console-feed.ts';


/**
 * While the worker runs flat out, the live block changes every frame; panels
 * then redraw at most this often (ms), which halves the page's render work
 * and leaves the frame budget to scrolling and animation. A change after a
 * quiet spell (a step, a keystroke's echo) still shows on the next frame.
 */
export const LIVE_REDRAW_MS = 33;

/** Why the worker is gone: its `error` / `messageerror` event (worker-supervisor.ts also watches for silence). */
export type WorkerFailure = { readonly kind: 'error' | 'messageerror'; readonly message: string };

export class SimClient {
  private worker: Worker;
  private remote: Comlink.Remote<SimApi>;
  info: SessionInfo | null = null;
  views: FrameViews | null = null;
  /** Changes whenever anything the panels read may have changed. */
  version = 0;
  readonly digest = new EventDigest();
  /** The events in memory, the timeline bins and the digest's facts, fetched from the worker (history-feed.ts). */
  private readonly history = new HistoryFeed(this.digest);
  strings: string[] = [];
  scripts: (ScriptView | null)[] = [];
  private readonly listeners = new Set<() => void>();
  /** Bumped by every load: answers for an older session are dropped. */
  private generation = 0;
  private lastSeq = -1;
  private lastRecorded = 0;
  private dirty = false;
  private raf = 0;
  private updateRaf = 0;
  private stopped = false;
  private frameInFlight = false;
  private stringsInFlight = false;
  private scriptsInFlight = false;
  private scriptsSeq = -1;
  private readonly consoles = new ConsoleFeed();
  private lastNotify = 0;
  private updateQueued = false;
  /** Worker failures (issue #7): see worker-supervisor.ts. */
  private readonly failureListeners = new Set<(f: WorkerFailure) => void>();
  private readonly inputListeners = new Set<(guest: number, text: string) => void>();
  /** load / reset / recover calls in flight: they may run the machine for seconds (a replay). */
  private longCalls = 0;
  /** While the simulation is stopped by a fault, typed input is refused (counted here), not sent into the void. */
  inputBlocked = false;
  inputRefusedBytes = 0;

  constructor() {
    [this.worker, this.remote] = this.spawn();
  }

  /** The current worker's API (a new one after `replaceWorker`). */
  get api(): Comlink.Remote<SimApi> {
    return this.remote;
  }

  /** Bumped by every load and every new worker. */
  get sessionGeneration(): number {
    return this.generation;
  }

  /** A load, reset or recovery is running in the worker (it may not answer other calls for a while). */
  get busy(): boolean {
    return this.longCalls > 0;
  }

  private spawn(): [Worker, Comlink.Remote<SimApi>] {
    const w = new Worker(new URL('../../worker/sim-worker.ts', import.meta.url), { type: 'module', name: 'lguest-lab sim' });
    const fail = (f: WorkerFailure): void => {
      if (w !== this.worker) return;
      for (const fn of this.failureListeners) fn(f);
    };
    w.addEventListener('error', (e) => {
      e.preventDefault();
      fail({ kind: 'error', message: e.message || 'the worker script failed' });
    });
    w.addEventListener('messageerror', () => fail({ kind: 'messageerror', message: 'a message from the worker could not be read' }));
    return [w, Comlink.wrap<SimApi>(w)];
  }

  onWorkerFailure(fn: (f: WorkerFailure) => void): () => void {
    this.failureListeners.add(fn);
    return () => this.failureListeners.delete(fn);
  }

  /** Called after each input is sent (the supervisor then refreshes its copy of the recording). */
  onInput(fn: (guest: number, text: string) => void): () => void {
    this.inputListeners.add(fn);
    return () => this.inputListeners.delete(fn);
  }

  /**
   * A dead or hung worker: terminate it and start a fresh one with nothing
   * loaded. The panels keep the last state they read (the old shared buffers
   * outlive the worker) until the next load adopts a new session.
   */
  replaceWorker(): void {
    this.worker.terminate();
    this.generation++;
    this.longCalls = 0;
    [this.worker, this.remote] = this.spawn();
  }

  /** Test hook: the worker dies without a word (the watchdog must notice). */
  terminateWorker(): void {
    this.worker.terminate();
  }

  /** Test hook: the worker dies with an error event, as an uncaught exception in it would. */
  crashWorker(message: string): void {
    this.worker.terminate();
    this.worker.dispatchEvent(new ErrorEvent('error', { message, cancelable: true }));
  }

  private async long<T>(call: () => Promise<T>): Promise<T> {
    this.longCalls++;
    const gen = this.generation;
    try {
      return await call();
    } finally {
      // A call to a replaced worker never settles; one that does belongs to the current count.
      if (gen === this.generation) this.longCalls = Math.max(0, this.longCalls - 1);
    }
  }

  /** The events the page may read (the worker keeps a window of them: issue #15). */
  get events(): EventWindow {
    return this.history.events;
  }

  /** The timeline bins (src/trace/timeline-bins.ts layout): the worker's buffer when shared, else the last copy. */
  get timeline(): ArrayBufferLike | null {
    return this.history.timeline;
  }

  get shared(): boolean {
    return this.info?.shared ?? false;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Load a preset, scenario or recording; on failure the current session stays. */
  async load(src: LoadSource): Promise<LoadResult> {
    const r = await this.long<LoadResult>(() => this.api.load(src));
    if (r.ok) this.adopt(r.info);
    return r;
  }

  async reset(): Promise<LoadResult> {
    const r = await this.long<LoadResult>(() => this.api.reset());
    if (r.ok) this.adopt(r.info);
    return r;
  }

  /** After a simulation exception: replay the recording to the last good event (api.recover). */
  async recover(): Promise<LoadResult> {
    const r = await this.long<LoadResult>(() => this.api.recover());
    if (r.ok) this.adopt(r.info);
    return r;
  }

  private adopt(info: SessionInfo): void {
    this.generation++;
    this.info = info;
    this.views = makeViews(info);
    this.history.reset(info);
    this.strings = [];
    this.scripts = info.guests.map(() => null);
    this.digest.reset();
    this.lastSeq = -1;
    this.lastRecorded = 0;
    this.scriptsSeq = -1;
    this.frameInFlight = this.stringsInFlight = this.scriptsInFlight = false;
    this.consoles.reset(info.guests.length);
    this.dirty = true;
    this.notify();
  }

  /** Attach a guest's terminal: it gets the whole output so far, then what follows. */
  attachConsole(guest: number, sink: ConsoleSink): () => void {
    this.dirty = true;
    return this.consoles.attach(guest, sink);
  }

  typeInput(guest: number, text: string): void {
    if (this.inputBlocked) {
      this.inputRefusedBytes += new TextEncoder().encode(text).length;
      this.dirty = true;
      return;
    }
    // A paste longer than a recording holds in one input goes as several (file-limits.ts).
    for (const part of splitInput(text)) void this.api.typeInput(guest, part);
    for (const fn of this.inputListeners) fn(guest, text);
  }

  /**
   * The frame loop. Each animation frame checks the live block (a few word
   * reads). When it changed, a task posted from that callback asks for one
   * more animation frame, and the update (decode, React's render, the DOM
   * changes) runs in it. So the DOM changes inside a frame's own rAF phase and
   * that frame's style/layout/paint draws them; changed *between* frames
   * instead, Chromium brings style and layout up to date before the next
   * frame's callbacks (for hit testing), ~2.5 ms that made every other frame
   * start late (bench/ui/README.md). The update's callback is registered from
   * the task, after the frame, so it runs after the callbacks other code
   * registered during the frame: last in the phase, delaying none of them.
   */
  start(): void {
    const post = new MessageChannel();
    const runUpdate = (): void => {
      this.updateRaf = 0;
      this.updateQueued = false;
      this.update();
    };
    post.port1.onmessage = () => {
      if (this.stopped) return;
      this.updateRaf = requestAnimationFrame(runUpdate);
    };
    const tick = (): void => {
      this.raf = requestAnimationFrame(tick);
      if (!this.updateQueued && this.wantsUpdate()) {
        this.updateQueued = true;
        post.port2.postMessage(0);
      }
    };
    this.raf = requestAnimationFrame(tick);
  }

  stop(): void {
    this.stopped = true;
    cancelAnimationFrame(this.raf);
    cancelAnimationFrame(this.updateRaf);
    this.worker.terminate();
  }

  private notify(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** Did anything change since the last update (cheap: the live `seq`, and answers that arrived)? */
  private wantsUpdate(): boolean {
    const v = this.views;
    if (!v || !this.info) return false;
    if (!this.info.shared) return true;
    if (liveAt(v, 'seq') === this.lastSeq && !this.dirty) return false;
    return performance.now() - this.lastNotify >= LIVE_REDRAW_MS || liveAt(v, 'running') === 0;
  }

  private update(): void {
    const v = this.views;
    const info = this.info;
    if (!v || !info) return;
    const gen = this.generation;
    if (!info.shared && !this.frameInFlight) {
      // Not cross-origin isolated: one copy of the buffers per frame.
      this.frameInFlight = true;
      void this.api.frame().then((copy) => {
        if (gen !== this.generation) return;
        this.frameInFlight = false;
        this.views = makeViews(info, copy);
        this.dirty = true;
      });
    }
    const seq = liveAt(v, 'seq');
    if (seq === this.lastSeq && !this.dirty) return;
    const now = performance.now();
    this.lastNotify = now;
    this.lastSeq = seq;
    this.dirty = false;
    const view = liveAt(v, 'view');
    const recorded = liveAt(v, 'recorded');
    if (recorded < this.lastRecorded) {
      // The timeline forked: output and events past the fork were rewritten.
      this.digest.forgetFrom(recorded);
      this.history.events.forgetFrom(recorded);
      this.consoles.refetchAll();
    }
    this.lastRecorded = recorded;
    this.history.poll(this.api, v, () => gen === this.generation, () => (this.dirty = true));
    this.consoles.poll(
      (g, from) => this.api.console(g, from),
      v,
      () => gen === this.generation,
      () => (this.dirty = true),
    );
    this.pollScripts(gen, seq);
    this.digest.scan(this.history.events, view, now);
    if (this.digest.stringsNeeded > this.strings.length) this.fetchStrings(gen);
    this.notify();
  }

  private fetchStrings(gen: number): void {
    if (this.stringsInFlight) return;
    this.stringsInFlight = true;
    void this.api.strings(this.strings.length).then((s) => {
      if (gen !== this.generation) return;
      this.stringsInFlight = false;
      this.strings = [...this.strings, ...s];
      this.dirty = true;
    });
  }

  /** Scripted guests' steps and results (the workbench), once per live change. */
  private pollScripts(gen: number, seq: number): void {
    const info = this.info;
    if (!info || this.scriptsInFlight || seq === this.scriptsSeq) return;
    const guests = info.guests.filter((g) => g.kernel === 'script').map((g) => g.index);
    if (guests.length === 0) return;
    this.scriptsInFlight = true;
    this.scriptsSeq = seq;
    void Promise.all(guests.map((g) => this.api.script(g))).then((views) => {
      if (gen !== this.generation) return;
      this.scriptsInFlight = false;
      const next = this.scripts.slice();
      guests.forEach((g, k) => (next[g] = views[k]));
      this.scripts = next;
      this.dirty = true;
    });
  }
}

