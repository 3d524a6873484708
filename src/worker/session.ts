/**
 * A Session: one Machine with its checkpoints, driven by the worker API
 * (api.ts). DOM-free: it runs in the Web Worker and in Node tests alike.
 *
 * Time travel: `view` is the number of events shown. The machine is either
 * at a quantum boundary at the end of what has run (live), or suspended
 * mid-quantum by a seek (src/machine/checkpoints.ts); running, stepping past
 * the recorded end or typing first brings it back to a boundary.
 */
import { PRESETS, PRESET_NAMES } from '../scenario/presets.ts';
import { Machine } from '../machine/machine.ts';
import { Checkpoints } from '../machine/checkpoints.ts';
import { parseScenario, validateScenario, type Scenario } from '../scenario/scenario.ts';
import { summarize, type MachineSummary } from '../machine/summary.ts';
import { defaultAllocator, type Allocator, type GuestMemory } from '../hw/memory.ts';
import { ScriptGuest } from '../guest/script-guest.ts';
import { NetDevice } from '../launcher/devices/net.ts';
import { makeRecording, recordingScenario, validateRecording, type Recording } from '../trace/recording.ts';
import { decodeLink, encodeLink } from '../trace/link.ts';
import { chromeTraceParts } from '../trace/chrome-trace.ts';
import { jsonLinesParts } from '../trace/jsonl.ts';
import type { FrameCopy, LoadResult, LoadSource, QuizOptions, QuizPlan, ScriptView, SessionInfo, SimApi } from './api.ts';
import { LIVE_BYTES, liveWord, RUN_STATE_CODES } from './live-block.ts';
import { PAGE_REPLAY_BUDGET, replayBudgetProblem, replayTarget, SlicedReplay, type ReplayProgress } from './sliced-replay.ts';

/** Wall-clock and scheduling services the session needs (injected: the core itself never reads a clock). */
export interface SessionHost {
  now(): number;
  /** Run `fn` soon, yielding to incoming messages first. */
  defer(fn: () => void): void;
  /** Run `fn` after `ms` milliseconds. */
  later(fn: () => void, ms: number): void;
}

/** Work per slice before yielding to messages (ms). */
const SLICE_MS = 12;
/** A replay that has not settled stops this many events past the recording's shown event. */
const REPLAY_AHEAD = 250_000;
/** Re-hash memory at most this often while running (ms). */
const HASH_EVERY_MS = 400;

export interface SessionFault {
  readonly message: string;
  /** Events recorded before the fault: the "last good state" a restart replays to. */
  readonly lastGood: number;
}

/** Thrown by the fault-injection hook (tests of the page's crash handling). */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

export class Session implements SimApi {
  private machine: Machine | null = null;
  private checkpoints: Checkpoints | null = null;
  private source: { preset?: string; scenario?: Scenario } = {};
  private scenario: Scenario | null = null;
  private live: Uint32Array;
  private liveBuffer: ArrayBufferLike;
  private view = 0;
  private running = false;
  private speed = 0;
  private scheduled = false;
  private lastHashAt = -Infinity;
  private rateWindow: { t: number; events: number } = { t: 0, events: 0 };
  private ui: Recording['ui'] = undefined;
  /** An exception escaped the simulation: what it said, and the last event count known good. */
  private faultInfo: SessionFault | null = null;
  /** Test hook: throw inside the simulation once this many events exist (-1: off). */
  private faultAt = -1;
  /** The page's replay of a link, in slices (sliced-replay.ts); null when none is under way. */
  private replay: SlicedReplay | null = null;

  constructor(
    private readonly host: SessionHost,
    private readonly alloc: Allocator = defaultAllocator,
  ) {
    this.liveBuffer = alloc(LIVE_BYTES);
    this.live = new Uint32Array(this.liveBuffer);
  }

  get shared(): boolean {
    return typeof SharedArrayBuffer === 'function' && this.liveBuffer instanceof SharedArrayBuffer;
  }

  presets(): { name: string; description: string }[] {
    return PRESET_NAMES.map((name) => ({ name, description: PRESETS[name].description ?? '' }));
  }

  /** Load a scenario; on any error the current session is left exactly as it was (issue #7). */
  load(src: LoadSource): LoadResult {
    let scenario: Scenario;
    let source: { preset?: string; scenario?: Scenario };
    let view: number | undefined;
    let ui: Recording['ui'];
    let target = 0;
    if (src.kind === 'preset') {
      if (!PRESET_NAMES.includes(src.name)) return { ok: false, error: `unknown preset "${src.name}"; use one of ${PRESET_NAMES.join(', ')}` };
      const r = validateScenario(PRESETS[src.name]);
      if (!r.ok) return { ok: false, error: r.error.message };
      scenario = r.value;
      source = { preset: src.name };
    } else if (src.kind === 'scenario') {
      const r = parseScenario(src.text);
      if (!r.ok) return { ok: false, error: `${src.fileName ?? 'scenario'}: ${r.error.message}` };
      scenario = r.value;
      source = { scenario: { ...r.value, inputs: [] } };
    } else {
      // A link or a recording from the page (a file someone sent): data, validated before use.
      let rec: Recording;
      if (src.kind === 'link') {
        const d = decodeLink(src.fragment);
        if (!d.ok) return { ok: false, error: d.error.message };
        rec = d.value;
      } else {
        const v = validateRecording(src.recording);
        if (!v.ok) return { ok: false, error: `recording: ${v.error.message}` };
        rec = v.value;
      }
      // A link may ask for no more than the page replays (issue #11).
      const tooMuch = replayBudgetProblem(rec);
      if (tooMuch !== null) return { ok: false, error: `${src.kind === 'link' ? 'link' : 'recording'}: ${tooMuch}` };
      target = replayTarget(rec);
      const r = recordingScenario(rec);
      if (!r.ok) return { ok: false, error: `recording: ${r.error.message}` };
      scenario = r.value;
      source = rec.preset !== undefined ? { preset: rec.preset } : { scenario: { ...r.value, inputs: [] } };
      view = rec.view;
      ui = rec.ui;
    }
    let machine: Machine;
    let checkpoints: Checkpoints;
    try {
      machine = new Machine(scenario, { alloc: this.alloc });
      checkpoints = new Checkpoints(machine);
    } catch (e) {
      return { ok: false, error: `could not start the scenario: ${(e as Error).message}` };
    }
    this.running = false;
    this.faultInfo = null;
    this.live[liveWord('fault')] = 0;
    const old = this.replay;
    this.replay = null;
    old?.cancel();
    this.machine = machine;
    this.checkpoints = checkpoints;
    this.source = source;
    this.scenario = scenario;
    this.ui = ui;
    this.view = machine.events.count;
    this.lastHashAt = -Infinity;
    if (src.kind === 'recording' || src.kind === 'link') {
      // Replay: run until every recorded input has landed and the machine settles, then show
      // `view`. A session that never settles (a `ping -f` flood) is recorded with its shown event
      // (recording()), and the replay stops REPLAY_AHEAD events past it: a link never runs without end.
      // Never past the page's budget: a replay that reaches it says so (sliced-replay.ts).
      const stopAt = Math.min(PAGE_REPLAY_BUDGET, view === undefined ? Infinity : view + REPLAY_AHEAD);
      if (src.sliced) this.startReplay(machine, checkpoints, stopAt, target, view);
      else {
        this.runToEnd(Infinity, stopAt);
        if (view !== undefined && view < machine.events.count) this.seek(view);
      }
    }
    this.publish(true);
    return { ok: true, info: this.info() };
  }

  /** Run until idle with every pending input applied (replays, tests), or until `maxEvents` events exist. */
  runToEnd(maxQuanta = 50_000_000, maxEvents = Infinity): void {
    const m = this.need();
    this.resumeIfSuspended();
    let q = 0;
    while (q++ < maxQuanta && m.events.count < maxEvents) {
      this.checkpoints!.beforeStep();
      if (!m.step()) break;
    }
    this.view = m.events.count;
    this.publish(true);
  }

  /** The page's replay: slices on the worker's queue, so progress() and cancelReplay() get through between them. */
  private startReplay(m: Machine, cp: Checkpoints, stopAt: number, target: number, view: number | undefined): void {
    const r: SlicedReplay = new SlicedReplay(
      this.host,
      {
        step: () => (cp.beforeStep(), m.step()),
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
        if (p.state === 'done' && view !== undefined && view < m.events.count) this.seek(view);
        else this.publish(p.state !== 'running');
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

  /** The UI state a recording carries (selection); set by the page before `recording()`. */
  setUiState(ui: Recording['ui']): void {
    this.ui = ui;
  }

  get uiState(): Recording['ui'] {
    return this.ui;
  }

  private need(): Machine {
    if (!this.machine) throw new Error('no scenario loaded');
    return this.machine;
  }

  info(): SessionInfo {
    const m = this.need();
    const netNames = new Map<object, string>();
    for (const [name, n] of m.networks) netNames.set(n, name);
    return {
      name: m.scenario.name ?? 'scenario',
      description: m.scenario.description ?? '',
      arch: m.scenario.arch,
      shared: this.shared,
      live: this.liveBuffer,
      guests: m.launchers.map((L, i) => ({
        index: i,
        kernel: m.programs[i].kernel,
        ramBytes: L.memory.ramBytes,
        top: L.memory.top,
        descPage: L.descPage,
        memory: L.memory.bytes.buffer,
        bindings: m.host.guests[i]!.bindings.buffer,
        devices: L.devices.map((d) =>
          d instanceof NetDevice
            ? { index: d.index, type: d.type, gpa: d.mem, network: d.network.name, slot: d.slot }
            : { index: d.index, type: d.type, gpa: d.mem },
        ),
        sharedPages: sharedPagesOf(L.memory),
      })),
      sharedObjects: m.sharedObjects.map((o) => ({ id: o.id, name: o.name, bytes: o.bytes.buffer })),
    };
  }

  // ---- running ------------------------------------------------------------

  run(): void {
    if (!this.machine || this.replay?.progress.state === 'running') return;
    this.guard(() => {
      this.resumeIfSuspended();
      this.running = true;
      this.schedule();
    });
  }

  pause(): void {
    this.running = false;
    this.publish(true);
  }

  setSpeed(eventsPerSecond: number): void {
    this.speed = Math.max(0, Math.floor(eventsPerSecond));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.host.defer(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  /** One slice of work: run quanta for up to SLICE_MS (or the speed budget), publish, yield. */
  private slice(): void {
    this.guard(() => this.sliceUnguarded());
  }

  /**
   * Run `fn`; an exception out of the simulation stops the session, keeps its
   * recording and reports a fault instead of killing the worker (issue #7).
   */
  private guard(fn: () => void): void {
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

  private publishFault(): void {
    this.live[liveWord('fault')] = this.faultInfo ? 1 : 0;
    this.live[liveWord('seq')] = (this.live[liveWord('seq')] + 1) >>> 0;
  }

  fault(): SessionFault | null {
    return this.faultInfo;
  }

  /** Test hook: make the simulation throw once `count` events exist. */
  injectFault(count: number): void {
    this.faultAt = count;
  }

  /**
   * Restart from the last good state: a fresh machine replays the recording
   * (scenario + inputs that landed before the fault) and shows the last good event.
   */
  recover(): LoadResult {
    const f = this.faultInfo;
    const m = this.machine;
    if (!f || !m) return { ok: false, error: 'nothing to recover from' };
    const rec = makeRecording(this.source, m.inputLog.filter((x) => x.at >= 0 && x.at <= f.lastGood), f.lastGood, this.ui);
    this.faultInfo = null;
    this.faultAt = -1;
    const r = this.load({ kind: 'recording', recording: rec });
    this.publishFault();
    return r;
  }

  private sliceUnguarded(): void {
    const m = this.machine;
    if (!m || !this.running) return;
    const start = this.host.now();
    const budget = this.speed > 0 ? Math.max(1, Math.round((this.speed * SLICE_MS) / 1000)) : Number.POSITIVE_INFINITY;
    const first = m.events.count;
    let idle = false;
    while (m.events.count - first < budget) {
      this.checkpoints!.beforeStep();
      if (!m.step()) {
        idle = true;
        break;
      }
      if (this.faultAt >= 0 && m.events.count >= this.faultAt) throw new InjectedFault(`injected fault at event ${m.events.count}`);
      if ((m.quanta & 63) === 0 && this.host.now() - start > SLICE_MS) break;
    }
    this.view = m.events.count;
    this.publish(idle);
    // Idle: nothing to do until input arrives (typeInput schedules a slice).
    if (!idle) {
      if (this.speed > 0) this.host.later(() => this.schedule(), SLICE_MS);
      else this.schedule();
    }
  }

  /** Bring a suspended machine back to a quantum boundary at or after the shown event. */
  private resumeIfSuspended(): void {
    const m = this.machine;
    if (m && m.suspended) {
      this.checkpoints!.resumeAt(this.view);
      this.view = m.events.count;
    }
  }

  step(): void {
    this.guard(() => this.showCount(this.view + 1));
  }

  stepBack(): void {
    this.guard(() => {
      if (this.view > 0) this.showCount(this.view - 1);
    });
  }

  seek(count: number): void {
    this.guard(() => this.showCount(count));
  }

  /** Show the state right after `count` events (clamped to what the timeline can reach). */
  private showCount(count: number): void {
    const m = this.machine;
    if (!m) return;
    this.running = false;
    const cps = this.checkpoints!;
    if (count > m.events.recorded) {
      // Extend the timeline: run on from its furthest quantum boundary until `count` events exist.
      if (m.suspended || m.events.count < m.events.recorded) cps.resumeAt(m.events.recorded);
      while (m.events.count < count) {
        cps.beforeStep();
        if (!m.step()) break;
      }
    }
    // Now recorded: show the state right after event count-1 (mid-quantum if need be).
    if (count < m.events.count || m.suspended) cps.seek(Math.max(0, Math.min(count, m.events.recorded) - 1));
    this.view = m.events.count;
    this.publish(true);
  }

  typeInput(guest: number, text: string): void {
    this.guard(() => this.typeInputUnguarded(guest, text));
  }

  private typeInputUnguarded(guest: number, text: string): void {
    const m = this.machine;
    if (!m || text.length === 0) return;
    const atEnd = !m.suspended && m.events.count === m.events.recorded;
    this.resumeIfSuspended();
    if (!atEnd || m.events.count < m.events.recorded) {
      // Typing into the past: what was recorded after this point is another timeline now.
      this.checkpoints!.fork();
      m.dropPendingInputs();
    }
    m.typeInput(guest, text);
    this.publish(false);
    // Input while paused still lands (it is stamped now); it is processed when running.
    if (this.running) this.schedule();
  }

  /** Issue #14: the quiz generator is its own chunk, fetched the first time a quiz is asked for. */
  async quiz(seed: number, opts: QuizOptions): Promise<QuizPlan> {
    const { planQuiz } = await import('../quiz/generate.ts');
    return planQuiz(seed, opts);
  }

  reset(): LoadResult {
    if (!this.source.preset && !this.source.scenario) return { ok: false, error: 'nothing loaded' };
    return this.source.preset !== undefined ? this.load({ kind: 'preset', name: this.source.preset }) : this.load({ kind: 'scenario', text: JSON.stringify(this.source.scenario) });
  }

  // ---- reading ------------------------------------------------------------

  console(guest: number, fromChunk: number): { text: string; chunks: number; reset: boolean } {
    const L = this.need().launchers[guest];
    if (!L) return { text: '', chunks: 0, reset: false };
    const n = L.stdout.length;
    const reset = fromChunk > n;
    const from = reset ? 0 : fromChunk;
    let text = '';
    for (let c = from; c < n; c++) {
      const bytes = L.stdout[c];
      for (let k = 0; k < bytes.length; k++) text += String.fromCharCode(bytes[k]);
    }
    return { text, chunks: n, reset };
  }

  eventChunks(from: number): ArrayBufferLike[] {
    return this.need().events.chunks.slice(from).map((c) => c.buffer);
  }

  strings(from: number): string[] {
    return this.need().events.strings.slice(from);
  }

  summary(): MachineSummary {
    return summarize(this.need());
  }

  script(guest: number): ScriptView | null {
    const p = this.need().programs[guest];
    if (!(p instanceof ScriptGuest)) return null;
    return { steps: p.steps.map((s) => ({ ...s })), results: p.results.map((r) => (r ? { ...r } : null)), pc: p.pc };
  }

  recording(): Recording {
    const m = this.need();
    // The end of the timeline needs no event count only when the machine has settled there.
    const settled = !m.suspended && m.isIdle() && m.inputsPending === 0;
    const view = this.view < m.events.recorded || !settled ? this.view : undefined;
    return makeRecording(this.source, m.inputLog, view, this.ui);
  }

  link(): string {
    return encodeLink(this.recording());
  }

  /** Where each input landed (event count) and whether it was typed at an idle point. */
  inputs(): { at: number; guest: number; text: string; idle: boolean }[] {
    return this.need().inputLog.map((x) => ({ at: x.at, guest: x.guest, text: x.text, idle: x.idle }));
  }

  /**
   * The trace as a Blob built from pieces of a few thousand events: a
   * million-event export is never one ~200 MB string, and posting a Blob to
   * the page hands over a reference, not a copy of the bytes.
   */
  exportTrace(format: 'chrome' | 'jsonl'): Blob {
    const ev = this.need().events;
    const parts = format === 'chrome' ? chromeTraceParts(ev) : jsonLinesParts(ev);
    return new Blob([...parts], { type: format === 'chrome' ? 'application/json' : 'application/x-ndjson' });
  }

  frame(): FrameCopy {
    const m = this.need();
    return {
      live: this.live.slice().buffer as ArrayBuffer,
      guests: m.launchers.map((L, i) => ({ memory: L.memory.bytes.slice().buffer as ArrayBuffer, bindings: m.host.guests[i]!.bindings.slice().buffer as ArrayBuffer })),
      sharedObjects: m.sharedObjects.map((o) => o.bytes.slice().buffer as ArrayBuffer),
    };
  }

  /** Current memory hash (what the page shows; the CLI's `hash`). */
  hash(): string {
    return this.need().hash();
  }

  get shownCount(): number {
    return this.view;
  }

  // ---- the live block ------------------------------------------------------

  private publish(forceHash: boolean): void {
    const m = this.machine;
    if (!m) return;
    const w = this.live;
    const now = this.host.now();
    w[liveWord('events')] = m.events.count;
    w[liveWord('recorded')] = m.events.recorded;
    w[liveWord('view')] = this.view;
    w[liveWord('time')] = m.clock.now >>> 0;
    w[liveWord('quanta')] = m.quanta >>> 0;
    w[liveWord('running')] = this.running ? 1 : 0;
    w[liveWord('suspended')] = m.suspended ? 1 : 0;
    w[liveWord('guest_count')] = m.launchers.length;
    w[liveWord('chunk_count')] = m.events.chunks.length;
    w[liveWord('inputs_pending')] = m.inputsPending;
    const dt = now - this.rateWindow.t;
    if (!this.running || forceHash) {
      // Idle, paused or stepping: nothing runs on its own.
      w[liveWord('events_per_sec')] = 0;
      this.rateWindow = { t: now, events: m.events.count };
    } else if (dt >= 500) {
      const rate = Math.max(0, ((m.events.count - this.rateWindow.events) * 1000) / dt);
      w[liveWord('events_per_sec')] = this.running ? Math.round(rate) : 0;
      this.rateWindow = { t: now, events: m.events.count };
    }
    m.launchers.forEach((L, i) => {
      w[liveWord('run_state', i)] = RUN_STATE_CODES[m.runState(i)];
      w[liveWord('pending_irqs', i)] = m.host.guests[i]!.pendingIrqs;
      w[liveWord('tty_pending', i)] = L.tty.length;
      // console_seq changes exactly when the guest's console output does (grows, or shrinks on a rewind).
      if (w[liveWord('stdout_chunks', i)] !== L.stdout.length) w[liveWord('console_seq', i)] = (w[liveWord('console_seq', i)] + 1) >>> 0;
      w[liveWord('stdout_chunks', i)] = L.stdout.length;
    });
    if (forceHash || now - this.lastHashAt >= HASH_EVERY_MS) {
      const h = m.hash();
      w[liveWord('hash_hi')] = parseInt(h.slice(0, 8), 16) >>> 0;
      w[liveWord('hash_lo')] = parseInt(h.slice(8), 16) >>> 0;
      w[liveWord('hash_seq')] = m.events.count;
      this.lastHashAt = now;
    }
    w[liveWord('seq')] = (w[liveWord('seq')] + 1) >>> 0;
  }
}

function sharedPagesOf(mem: GuestMemory): { pfn: number; object: number; page: number }[] {
  const out: { pfn: number; object: number; page: number }[] = [];
  for (let pfn = 0; pfn < mem.pfnLimit; pfn++) {
    const m = mem.sharedAt(pfn * 4096);
    if (m) out.push({ pfn, object: m.object.id, page: m.page });
  }
  return out;
}
