/**
 * The worker API: what the UI may ask of the simulated host (through
 * comlink), and what it gets back. Everything else the UI learns by reading
 * shared memory (guest memory, binding tables, the live block, event chunks).
 */
import type { FactsView } from './event-facts.ts';
import type { MachineSummary } from '../machine/summary.ts';
import type { Recording } from '../trace/recording.ts';
import type { ScenarioInput } from '../scenario/scenario.ts';
import type { EventFilter } from './event-filter.ts';
import type { ReplayProgress } from './sliced-replay.ts';
import type { QuizOptions, QuizPlan } from '../quiz/generate.ts';

export type { EventFilter, FilterValue } from './event-filter.ts';
export type { QuizOptions, QuizPlan } from '../quiz/generate.ts';
export type { Answer, Quiz, QuizKind, QuizLevel } from '../quiz/quiz-types.ts';

export type LoadSource =
  | { readonly kind: 'preset'; readonly name: string }
  | { readonly kind: 'scenario'; readonly text: string; readonly fileName?: string }
  /** `sliced`: load returns at once and the replay runs in slices (replayProgress, cancelReplay); else load replays first. */
  | { readonly kind: 'recording'; readonly recording: Recording; readonly sliced?: boolean }
  /** A share link's fragment: decoded and validated in the worker, so the page bundles neither zod nor fflate. */
  | { readonly kind: 'link'; readonly fragment: string; readonly sliced?: boolean };

export interface DeviceInfo {
  readonly index: number;
  readonly type: number;
  /** gpa of the device's first page (0 for the console). */
  readonly gpa: number;
  /** For net devices: the shared object (network page) and this guest's slot. */
  readonly network?: string;
  readonly slot?: number;
}

export interface GuestInfo {
  readonly index: number;
  readonly kernel: string;
  readonly ramBytes: number;
  /** End of guest-accessible memory (pfn_limit * 4096). */
  readonly top: number;
  readonly descPage: number;
  /** The guest's private memory [0, top). Shared pages read through `sharedPages`. */
  readonly memory: ArrayBufferLike;
  /** The Host's binding table (SIM_BINDING records). */
  readonly bindings: ArrayBufferLike;
  readonly devices: readonly DeviceInfo[];
  /** Pages of this guest backed by a shared object: pfn → (object, page). */
  readonly sharedPages: readonly { readonly pfn: number; readonly object: number; readonly page: number }[];
}

export interface SharedObjectInfo {
  readonly id: number;
  readonly name: string;
  readonly bytes: ArrayBufferLike;
}

export interface SessionInfo {
  readonly name: string;
  readonly description: string;
  readonly arch: 'i386' | 'x86_64';
  /**
   * Events the machine has before anything runs (LHREQ_INITIALIZE of each
   * guest): the earliest state that can be shown is the state after event
   * #start-1, i.e. `view` = start. Home goes there.
   */
  readonly start: number;
  /** true when the buffers below are SharedArrayBuffers the worker keeps writing. */
  readonly shared: boolean;
  readonly live: ArrayBufferLike;
  readonly guests: readonly GuestInfo[];
  readonly sharedObjects: readonly SharedObjectInfo[];
  /** The timeline's fixed-size overview (src/trace/timeline-bins.ts layout); a SharedArrayBuffer when shared. */
  readonly timeline: ArrayBufferLike;
  /** Most event slots the session keeps (the live block's `event_dir` says which chunk each holds). */
  readonly eventSlots: number;
}

export type LoadResult = { readonly ok: true; readonly info: SessionInfo } | { readonly ok: false; readonly error: string };

export interface ScriptView {
  readonly steps: readonly Record<string, unknown>[];
  /** Per step: its result (null: not run yet). */
  readonly results: readonly (Record<string, unknown> | null)[];
  readonly pc: number;
}

/** A copy of everything the panels read, for pages that are not cross-origin isolated. */
export interface FrameCopy {
  readonly live: ArrayBuffer;
  readonly guests: readonly { readonly memory: ArrayBuffer; readonly bindings: ArrayBuffer }[];
  readonly sharedObjects: readonly ArrayBuffer[];
}

/** A lesson as the page's lesson panel shows it (issue #13). */
export interface LessonView {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Per step: its narration (markdown), whether "next" moves the machine, whether it goes back, whether it carries an `exercise` (issue #14). */
  readonly steps: readonly { readonly say: string; readonly moves: boolean; readonly back: boolean; readonly exercise: boolean }[];
}

export type LessonOpenResult = { readonly ok: true; readonly lesson: LessonView } | { readonly ok: false; readonly error: string };

/** What a step's `show` selects in the page (a key with its array: the Host's identity of a binding). */
export type LessonHighlight =
  | { readonly kind: 'event'; readonly index: number }
  | { readonly kind: 'key'; readonly guest: number; readonly key: number; readonly dmas: number }
  | { readonly kind: 'device'; readonly guest: number; readonly index: number }
  | { readonly kind: 'buffer'; readonly guest: number; readonly gpa: number }
  | { readonly kind: 'panel'; readonly name: string };

export interface LessonStepView {
  readonly step: number;
  readonly ok: boolean;
  /** The step's checks as `lesson check` judges them (a failed `do` first, then the show, then the expects). */
  readonly results: readonly { readonly check: string; readonly ok: boolean; readonly saw: string }[];
  /** Events after the step. */
  readonly count: number;
  readonly shown: number;
  readonly highlight: LessonHighlight | null;
  /** The step's state: load it to show it. */
  readonly recording: Recording;
}

/** An exercise to check (issue #14): the lesson's start and goals as its file holds them, and the edited source of guest G. */
export interface ExerciseRequest {
  readonly start: unknown;
  readonly guest: number;
  readonly goal: readonly unknown[];
  readonly source: string;
}

/** Each goal met or not, with what the run showed; `error` when the source did not run. A bad request: ok false. */
export type ExerciseReply =
  | { readonly ok: true; readonly met: boolean; readonly error: string | null; readonly results: readonly { readonly check: string; readonly ok: boolean; readonly saw: string }[] }
  | { readonly ok: false; readonly error: string };

export interface SimApi {
  presets(): { name: string; description: string }[];
  /** A preset as written (the form a scenario file has, sources and all), or null: what the page edits a preset's session from, so the page bundles no copy of the presets. */
  presetScenario(name: string): ScenarioInput | null;
  load(src: LoadSource): Promise<LoadResult>;
  run(): void;
  pause(): void;
  /** Show one more event (runs the machine if the next event is not recorded yet). */
  step(): void;
  /** Show one event less. */
  stepBack(): void;
  /** Show the state right after `count` events, i.e. after event #count-1 (clamped to [start, what can run]). */
  seek(count: number): void;

  // ---- navigation (issue #10) -------------------------------------------------
  // Events are numbered by their 0-based index `i` (the JSON-lines `i`, shown `#i`).
  // "The state after event #i" is the one state with i+1 events: every way of
  // reaching it (running, stepping, seeking from either side, a link) shows the
  // same memory, bit for bit. Each call pauses, and returns the shown event
  // count (`view`) unless said otherwise; events not recorded yet are run.

  /** Show the state right after event #index (view = index+1). */
  goToEvent(index: number): number;
  /** Move by `n` events (negative: back); stops at the start and where the machine goes idle. */
  stepBy(n: number): number;
  /** The first state (view = start). */
  goToStart(): number;
  /** The latest event recorded on this timeline. */
  goToEnd(): number;
  /**
   * Find the next (`'next'`: after the shown event, running on if need be, at
   * most `limit` new events) or previous (`'prev'`: before the shown event)
   * event matching `filter` and show the state right after it. Returns its
   * index, or -1 when none was found (nothing moved).
   * E.g. `{ kind: 'hcall' }`, `{ kind: ['dma', 'dma_full'] }`, `{ kind: 'irq_deliver' }`, `{ guest: 1 }`.
   */
  goToMatch(filter: EventFilter, direction: 'next' | 'prev', limit?: number): number;
  /** Run (at the set speed) until an event matching `filter` happens, then pause right after it. */
  runUntil(filter: EventFilter): void;
  /** Move to where the script of `guest` next (or last) changes its step counter: the workbench's next / previous script step. Returns the view. */
  stepScript(guest: number, direction: 'next' | 'prev'): number;
  /** Events per second; 0 = as fast as possible. */
  setSpeed(eventsPerSecond: number): void;
  typeInput(guest: number, text: string): void;
  /** Reload what was opened (the preset, the file with its inputs, the link or recording with its inputs) from its start. */
  reset(): Promise<LoadResult>;
  /** Console output of a guest up to the shown event; `from` chunks already seen. */
  console(guest: number, fromChunk: number): { text: string; chunks: number; reset: boolean };
  /**
   * Event storage slots from index `from` on (SharedArrayBuffers when shared,
   * else copies): the live block's `event_dir` says which chunk and which
   * records [lo, hi) each slot holds (issue #15: the session keeps a window).
   * `to` (exclusive) bounds them: a page on copies fetches only the slots that changed.
   */
  eventSlots(from: number, to?: number): ArrayBufferLike[];
  /** A copy of the timeline bins (for a page that is not cross-origin isolated). */
  timelineCopy(): ArrayBuffer;
  /** Kills, warnings and block requests of the state after event #view-1 (src/worker/event-facts.ts). */
  facts(view: number): FactsView;
  /** The event string table (kill reasons) from index `from` on. */
  strings(from: number): string[];
  summary(): MachineSummary;
  script(guest: number): ScriptView | null;
  recording(): Recording;
  /** The UI selection that `recording()` and `link()` carry (guest, key, event, tab). */
  setUiState(ui: Recording['ui']): void;
  /** The share-link fragment (`1.<base64url>`) of `recording()`. */
  link(): Promise<string>;
  /** Where each input landed (event count; -1 not yet) and whether it was typed at an idle point. */
  inputs(): { at: number; guest: number; text: string; idle: boolean }[];
  /**
   * The Chrome trace-event JSON or the JSON-lines event log (src/trace/), as a
   * Blob: events up to the shown one (`'shown'`, the default) or every event
   * this timeline recorded (`'all'`).
   */
  exportTrace(format: 'chrome' | 'jsonl', range?: 'shown' | 'all'): Blob;
  /** Not cross-origin isolated: copies of the shared state for this frame. */
  frame(): FrameCopy;
  /** An exception escaped the simulation (live `fault` = 1): what, and the last good event count. */
  fault(): { message: string; lastGood: number } | null;
  /** The page's sliced replay of a link or recording (issue #11): progress, or null when none was started. */
  replayProgress(): ReplayProgress | null;
  /** Stop the sliced replay where it is (the session stays there, paused). */
  cancelReplay(): void;
  /** Restart from the last good state: replay the recording up to the event before the fault. */
  recover(): Promise<LoadResult>;
  /** Test hook: make the simulation throw once `count` events exist. */
  injectFault(count: number): void;
  /** A generated quiz question (issue #14), answered by running it; the generator loads on first use. */
  quiz(seed: number, opts: QuizOptions): Promise<QuizPlan>;
  /** Open a lesson (its JSON text; `name` prefixes errors); the player loads on first use. */
  lessonOpen(text: string, name: string): Promise<LessonOpenResult>;
  /** Step k of the open lesson, played and checked by the same player as `lesson check`. */
  lessonStep(k: number): Promise<LessonStepView>;

  /** Run an exercise from its start with the edited source, in a machine of its own, and judge its goals. */
  checkExercise(req: ExerciseRequest): Promise<ExerciseReply>;
}
