/**
 * The worker API: what the UI may ask of the simulated host (through
 * comlink), and what it gets back. Everything else the UI learns by reading
 * shared memory (guest memory, binding tables, the live block, event chunks).
 */
import type { MachineSummary } from '../machine/summary.ts';
import type { Recording } from '../trace/recording.ts';
import type { ReplayProgress } from './sliced-replay.ts';
import type { QuizOptions, QuizPlan } from '../quiz/generate.ts';

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
  /** true when the buffers below are SharedArrayBuffers the worker keeps writing. */
  readonly shared: boolean;
  readonly live: ArrayBufferLike;
  readonly guests: readonly GuestInfo[];
  readonly sharedObjects: readonly SharedObjectInfo[];
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

export interface SimApi {
  presets(): { name: string; description: string }[];
  load(src: LoadSource): LoadResult;
  run(): void;
  pause(): void;
  /** Show one more event (runs the machine if the next event is not recorded yet). */
  step(): void;
  /** Show one event less. */
  stepBack(): void;
  /** Show the state right after `count` events. */
  seek(count: number): void;
  /** Events per second; 0 = as fast as possible. */
  setSpeed(eventsPerSecond: number): void;
  typeInput(guest: number, text: string): void;
  /** Reload the current scenario from the start. */
  reset(): LoadResult;
  /** Console output of a guest up to the shown event; `from` chunks already seen. */
  console(guest: number, fromChunk: number): { text: string; chunks: number; reset: boolean };
  /** Event storage chunks from index `from` on (SharedArrayBuffers when shared). */
  eventChunks(from: number): ArrayBufferLike[];
  /** The event string table (kill reasons) from index `from` on. */
  strings(from: number): string[];
  summary(): MachineSummary;
  script(guest: number): ScriptView | null;
  recording(): Recording;
  /** The UI selection that `recording()` and `link()` carry (guest, key, event, tab). */
  setUiState(ui: Recording['ui']): void;
  /** The share-link fragment (`1.<base64url>`) of `recording()`. */
  link(): string;
  /** Where each input landed (event count; -1 not yet) and whether it was typed at an idle point. */
  inputs(): { at: number; guest: number; text: string; idle: boolean }[];
  /** The Chrome trace-event JSON or the JSON-lines event log of every event so far (src/trace/), as a Blob. */
  exportTrace(format: 'chrome' | 'jsonl'): Blob;
  /** Not cross-origin isolated: copies of the shared state for this frame. */
  frame(): FrameCopy;
  /** An exception escaped the simulation (live `fault` = 1): what, and the last good event count. */
  fault(): { message: string; lastGood: number } | null;
  /** The page's sliced replay of a link or recording (issue #11): progress, or null when none was started. */
  replayProgress(): ReplayProgress | null;
  /** Stop the sliced replay where it is (the session stays there, paused). */
  cancelReplay(): void;
  /** Restart from the last good state: replay the recording up to the event before the fault. */
  recover(): LoadResult;
  /** Test hook: make the simulation throw once `count` events exist. */
  injectFault(count: number): void;
  /** A generated quiz question (issue #14), answered by running it; the generator loads on first use. */
  quiz(seed: number, opts: QuizOptions): Promise<QuizPlan>;
}
