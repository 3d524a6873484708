/**
 * A Session: one Machine with its checkpoints, driven by the worker API
 * (api.ts). DOM-free: it runs in the Web Worker and in Node tests alike.
 *
 * Time travel: `view` is the number of events shown, and the state shown
 * for a view is always the one state "right after event #view-1" (issue
 * #10): the machine stopped by a seek the moment that event is recorded
 * (src/machine/checkpoints.ts), mid-quantum if need be, or the constructed
 * machine at the start (or, for the last event of a run that settled idle,
 * the settled machine). A run ends between quanta, where the quantum may
 * have written more after its last event, so whenever a run stops (pause,
 * idle, a step) the session seeks to its view: live, step, seek from either
 * side and a link all show the same bytes. Running, stepping past the
 * recorded end or typing first brings the machine back to a boundary.
 */
import { PRESETS, PRESET_NAMES } from '../scenario/presets.ts';
import { Machine } from '../machine/machine.ts';
import { Checkpoints } from '../machine/checkpoints.ts';
import type { SimEvent } from '../hw/events.ts';
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
import { compileFilter, findEvent, type EventFilter } from './event-filter.ts';
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
/**
 * At or below this speed (events per second) slow motion applies one event
 * per timer tick, evenly spaced, each shown as the state after it; above it
 * the run loop runs quanta against an events-per-second budget.
 */
const TIMER_MAX_SPEED = 100;
/** At or below this speed every event shown in slow motion is hashed (each tick ≥ 100 ms apart). */
const HASH_EVERY_EVENT_SPEED = 10;
/** Checkpoint spacing while extending the timeline one event at a time (Checkpoints.beforeStep). */
const FINE_INTERVAL = 64;
/** goToMatch('next') runs at most this many new events looking for a match. */
const FIND_AHEAD = 1_000_000;
/** Quanta without an event run past the last event to see whether the run settles there. */
const SETTLE_QUANTA = 10_000;
/** stepScript looks at most this many events for the script's next step. */
const SCRIPT_STEP_LIMIT = 10_000;

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
  /** What was opened, inputs included: reset() starts it again (a link or file keeps its inputs). */
  private opened: { scenario: Scenario; name?: string } | null = null;
  /** The machine went idle at the recorded end with nothing pending (a recording then needs no view). */
  private idleAtEnd = false;
  /** Slow motion / budget pacing: wall time and event count when the pace was set. */
  private pace = { t0: 0, e0: 0, ticks: 0 };
  /** runUntil: pause right after the first event matching this. */
  private stopFilter: ((ev: SimEvent) => boolean) | null = null;
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
    this.opened = { scenario };
    this.idleAtEnd = false;
    this.stopFilter = null;
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
        // The shown state is the one state after event #view-1 (see the top of this file).
        this.showExact(view === undefined ? machine.events.count : Math.min(view, machine.events.count));
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
      if (!this.stepMachine()) break;
    }
    // Ended between quanta: show the one state after the last event (see the top of this file).
    this.showExact(m.events.count);
    this.publish(true);
  }

  /**
   * One quantum (checkpointing first, every `interval` events past the recorded
   * end); false when nothing ran. Keeps `idleAtEnd` true exactly while the
   * recorded end is a settled idle point.
   */
  private stepMachine(interval?: number): boolean {
    const m = this.machine!;
    this.checkpoints!.beforeStep(interval);
    if (!m.step()) {
      if (m.events.count >= m.events.recorded) this.idleAtEnd = m.inputsPending === 0;
      return false;
    }
    if (m.events.count >= m.events.recorded) this.idleAtEnd = false;
    return true;
  }

  /** The page's replay: slices on the worker's queue, so progress() and cancelReplay() get through between them. */
  private startReplay(m: Machine, cp: Checkpoints, stopAt: number, target: number, view: number | undefined): void {
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
      start: this.checkpoints!.startCount,
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

  private get slowMotion(): boolean {
    return this.speed > 0 && this.speed <= TIMER_MAX_SPEED;
  }

  private resetPace(): void {
    this.pace = { t0: this.host.now(), e0: this.machine?.events.count ?? 0, ticks: 0 };
  }

  /** A run stopped between quanta: show its view as the one state after event #view-1. */
  private settle(): void {
    const m = this.machine;
    if (m && !m.suspended) this.showExact(this.view);
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
  private stopAt(index: number): void {
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
  private tick(): void {
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

  /** Bring a suspended machine back to a quantum boundary at or after the shown event. */
  private resumeIfSuspended(): void {
    const m = this.machine;
    if (m && m.suspended) {
      this.checkpoints!.resumeAt(this.view);
      this.view = m.events.count;
    }
  }

  step(): void {
    this.stepBy(1);
  }

  stepBack(): void {
    this.stepBy(-1);
  }

  seek(count: number): void {
    this.navigate(() => this.showCount(count));
  }

  goToEvent(index: number): number {
    return this.navigate(() => this.showCount(index + 1));
  }

  stepBy(n: number): number {
    return this.navigate(() => this.showCount(this.view + Math.trunc(n)));
  }

  goToStart(): number {
    return this.navigate(() => this.showCount(0));
  }

  goToEnd(): number {
    return this.navigate(() => this.showCount(this.machine!.events.recorded));
  }

  goToMatch(filter: EventFilter, direction: 'next' | 'prev', limit = FIND_AHEAD): number {
    let found = -1;
    this.navigate(() => {
      const m = this.machine!;
      const match = compileFilter(filter, m.events.strings);
      const start = this.checkpoints!.startCount;
      if (direction === 'prev') {
        // The shown event is #view-1: the previous match is before it (events before the start cannot be shown).
        found = findEvent(m.events, match, this.view - 1, start, -1);
      } else {
        found = findEvent(m.events, match, this.view, m.events.recorded, 1);
        if (found < 0) found = this.runOnFor(match, this.view + limit);
      }
      // Not found: back to the shown state (running on may have left the machine elsewhere).
      this.showCount(found >= 0 ? found + 1 : this.view);
    });
    return found;
  }

  stepScript(guest: number, direction: 'next' | 'prev'): number {
    return this.navigate(() => {
      const p = this.machine!.programs[guest];
      if (!(p instanceof ScriptGuest)) return;
      const pc = p.pc;
      const dir = direction === 'next' ? 1 : -1;
      for (let k = 0; k < SCRIPT_STEP_LIMIT; k++) {
        const before = this.view;
        this.showCount(before + dir);
        if (this.view === before || p.pc !== pc) break;
      }
    });
  }

  /** Pause, do `move`, publish; returns the shown view. */
  private navigate(move: () => void): number {
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
  private runOnFor(match: (ev: SimEvent) => boolean, maxCount: number): number {
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

  /**
   * Show the state right after `count` events: clamped to [start, what the
   * machine can run to], running on past the recorded end if need be.
   */
  private showCount(count: number): void {
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
  private showExact(count: number): void {
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

  typeInput(guest: number, text: string): void {
    this.guard(() => this.typeInputUnguarded(guest, text));
  }

  private typeInputUnguarded(guest: number, text: string): void {
    const m = this.machine;
    if (!m || text.length === 0) return;
    // Typed at the recorded end (the machine may be stopped right after the last event): no fork.
    const atEnd = this.view >= m.events.recorded;
    this.resumeIfSuspended();
    this.idleAtEnd = false;
    if (!atEnd || m.events.count < m.events.recorded) {
      // Typing into the past: what was recorded after this point is another timeline now.
      this.checkpoints!.fork();
      m.dropPendingInputs();
    }
    m.typeInput(guest, text);
    this.publish(false);
    // Input while paused still lands (it is stamped now); it is processed when running.
    if (this.running) {
      this.resetPace();
      this.schedule();
    }
  }

  /** Issue #14: the quiz generator is its own chunk, fetched the first time a quiz is asked for. */
  async quiz(seed: number, opts: QuizOptions): Promise<QuizPlan> {
    const { planQuiz } = await import('../quiz/generate.ts');
    return planQuiz(seed, opts);
  }

  reset(): LoadResult {
    const o = this.opened;
    if (!o) return { ok: false, error: 'nothing loaded' };
    // What was opened, from its start: a link's or file's inputs land again as the run reaches them.
    const source = this.source;
    const r = this.load({ kind: 'scenario', text: JSON.stringify(o.scenario) });
    if (r.ok) this.source = source;
    return r;
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
    const settled = this.idleAtEnd && m.inputsPending === 0;
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
  exportTrace(format: 'chrome' | 'jsonl', range: 'shown' | 'all' = 'shown'): Blob {
    const ev = this.need().events;
    const to = range === 'all' ? ev.recorded : ev.count;
    const parts = format === 'chrome' ? chromeTraceParts(ev, undefined, to) : jsonLinesParts(ev, undefined, to);
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
