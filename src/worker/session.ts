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
import type { ScenarioInput } from '../scenario/scenario.ts';
import { Machine } from '../machine/machine.ts';
import { Checkpoints, DEFAULT_THINNING } from '../machine/checkpoints.ts';
import { summarize, type MachineSummary } from '../machine/summary.ts';
import { ScriptGuest } from '../guest/script-guest.ts';
import { makeRecording } from '../trace/make-recording.ts';
import type { Recording } from '../trace/recording.ts';
import { ChromeTraceStream } from '../trace/chrome-trace.ts';
import { jsonLinesText } from '../trace/jsonl.ts';
import { TimelineBins } from '../trace/timeline-bins.ts';
import { LGUEST_DEVICE_T_BLOCK } from '../abi/constants.ts';
import { EventFacts, type FactsView } from './event-facts.ts';
import type { ExerciseReply, ExerciseRequest, FrameCopy, LessonOpenResult, LessonStepView, LoadResult, LoadSource, QuizOptions, QuizPlan, ScriptView, SimApi } from './api.ts';
import type { LessonHost } from './lesson-host.ts';
import { liveWord } from './live-block.ts';
import { PAGE_REPLAY_BUDGET } from './sliced-replay.ts';
import { PAGE_CHECKPOINT_INTERVAL, PAGE_EVENT_SLOTS, REGENERATE_SPAN, REPLAY_AHEAD } from './session-core.ts';

/** Events per piece of an exported trace. */
const TRACE_PART = 8192;
import { Navigation } from './navigation.ts';
import { resolveLoadSource, type Resolved } from './load-source.ts';
import { latin1Text } from '../base/latin1.ts';

export class Session extends Navigation implements SimApi {
  presets(): { name: string; description: string }[] {
    return PRESET_NAMES.map((name) => ({ name, description: PRESETS[name].description ?? '' }));
  }

  /** The loads asked for, one after another (a later load never lands before an earlier one that waits for its checks). */
  private loading: Promise<unknown> = Promise.resolve();

  presetScenario(name: string): ScenarioInput | null {
    return PRESET_NAMES.includes(name) ? structuredClone(PRESETS[name]) : null;
  }

  /** Load a scenario; on any error the current session is left exactly as it was (issue #7). */
  load(src: LoadSource): Promise<LoadResult> {
    const next = this.loading.then(async () => {
      const resolved = await resolveLoadSource(src);
      return resolved.ok ? this.start(src, resolved.value) : resolved;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }

  private start(src: LoadSource, resolved: Resolved): LoadResult {
    const { scenario, source, view, ui, target } = resolved;
    let machine: Machine;
    let checkpoints: Checkpoints;
    try {
      machine = new Machine(scenario, { alloc: this.alloc });
      // Issue #15: the page keeps a window of events; the rest is regenerated from checkpoints.
      machine.events.capacity = this.keep.eventSlots ?? PAGE_EVENT_SLOTS;
      machine.events.pinnedBelow = machine.events.count;
      checkpoints = new Checkpoints(machine, PAGE_CHECKPOINT_INTERVAL, this.keep.thinning === undefined ? DEFAULT_THINNING : this.keep.thinning);
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
    const bins = new TimelineBins(machine.launchers.length, this.alloc, this.keep.timelineBins);
    const facts = new EventFacts(machine.launchers.map((L) => L.devices.find((d) => d.type === LGUEST_DEVICE_T_BLOCK)?.index ?? -1));
    this.bins = bins;
    this.factLog = facts;
    machine.events.directory = this.live.subarray(liveWord('event_dir'), liveWord('event_dir') + 48);
    // Before the log lets a slot go, the overview and the facts have seen its events.
    machine.events.onEvict = () => {
      bins.catchUp(machine.events);
      facts.catchUp(machine.events);
    };
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

  /**
   * Restart from the last good state: a fresh machine replays the recording
   * (scenario + inputs that landed before the fault) and shows the last good event.
   */
  async recover(): Promise<LoadResult> {
    const f = this.faultInfo;
    const m = this.machine;
    if (!f || !m) return { ok: false, error: 'nothing to recover from' };
    const rec = makeRecording(this.source, m.inputLog.filter((x) => x.at >= 0 && x.at <= f.lastGood), f.lastGood, this.ui);
    this.faultInfo = null;
    this.faultAt = -1;
    const r = await this.load({ kind: 'recording', recording: rec });
    this.publishFault();
    return r;
  }

  /** Issue #14: the quiz generator is its own chunk, fetched the first time a quiz is asked for. */
  async quiz(seed: number, opts: QuizOptions): Promise<QuizPlan> {
    const { planQuiz } = await import('../quiz/generate.ts');
    return planQuiz(seed, opts);
  }

  /** Issue #14: an exercise's Check, in a machine of its own (the session's is not touched); the lesson checker loads on first use. */
  async checkExercise(req: ExerciseRequest): Promise<ExerciseReply> {
    const { checkExercise } = await import('./exercise-check.ts');
    return checkExercise(req);
  }

  /** Issue #13: the lesson player is its own chunk too, fetched when the first lesson opens. */
  private lessons: LessonHost | null = null;

  async lessonOpen(text: string, name: string): Promise<LessonOpenResult> {
    const { LessonHost } = await import('./lesson-host.ts');
    this.lessons ??= new LessonHost();
    return this.lessons.open(text, name);
  }

  async lessonStep(k: number): Promise<LessonStepView> {
    if (!this.lessons) throw new Error('no lesson is open');
    return Promise.resolve(this.lessons.step(k));
  }

  async reset(): Promise<LoadResult> {
    const o = this.opened;
    if (!o) return { ok: false, error: 'nothing loaded' };
    // What was opened, from its start: a link's or file's inputs land again as the run reaches them.
    const source = this.source;
    const r = await this.load({ kind: 'scenario', text: JSON.stringify(o.scenario) });
    if (r.ok) this.source = source;
    return r;
  }

  console(guest: number, fromChunk: number): { text: string; chunks: number; reset: boolean } {
    const L = this.need().launchers[guest];
    if (!L) return { text: '', chunks: 0, reset: false };
    const n = L.stdout.length;
    const reset = fromChunk > n;
    const from = reset ? 0 : fromChunk;
    let text = '';
    for (let c = from; c < n; c++) {
      text += latin1Text(L.stdout[c]);
    }
    return { text, chunks: n, reset };
  }

  eventSlots(from: number, to?: number): ArrayBufferLike[] {
    return this.need().events.slots.slice(from, to).map((c) => c.buffer);
  }

  timelineCopy(): ArrayBuffer {
    return this.bins!.buffer.slice(0) as ArrayBuffer;
  }

  facts(view: number): FactsView {
    const m = this.need();
    this.factLog!.catchUp(m.events);
    return this.factLog!.at(view);
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

  /** Issue #15: the link encoder (and fflate's deflate) is its own chunk, fetched at the first link. */
  async link(): Promise<string> {
    const { encodeLink } = await import('../trace/link-encode.ts');
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
    return new Blob(this.traceParts(format, range), { type: format === 'chrome' ? 'application/json' : 'application/x-ndjson' });
  }

  /**
   * The trace's pieces. The bounded log keeps a window of events, so the
   * export walks the timeline in stretches, regenerating from checkpoints
   * each stretch it let go (issue #15: "export still gives the whole trace,
   * streamed by regeneration"); the machine is left where it was.
   */
  traceParts(format: 'chrome' | 'jsonl', range: 'shown' | 'all' = 'shown'): string[] {
    const m = this.need();
    const ev = m.events;
    const to = range === 'all' ? ev.recorded : ev.count;
    const chrome = format === 'chrome' ? new ChromeTraceStream() : null;
    const parts: string[] = chrome ? [chrome.head()] : [];
    this.keepingPlace(() => {
      for (let from = 0; from < to; from += REGENERATE_SPAN) {
        const end = Math.min(to, from + REGENERATE_SPAN);
        if (!ev.hasRange(from, end)) this.checkpoints!.regenerate(from, end);
        for (let p = from; p < end; p += TRACE_PART) {
          const q = Math.min(end, p + TRACE_PART);
          parts.push(chrome ? chrome.events(ev, p, q) : jsonLinesText(ev, p, q));
        }
      }
    });
    if (chrome) parts.push(chrome.end());
    return parts;
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
}

export { InjectedFault, type SessionFault, type SessionHost, type SessionKeep } from './session-core.ts';
