/**
 * The quiz contract (issue #14): what `quiz --seed N --json` prints, and what
 * a question kind hands the generator before the simulator answers it.
 */
import type { ScenarioInput } from '../scenario/scenario.ts';
import type { Rng } from './prng.ts';

export const QUIZ_KINDS = ['sender-used-len', 'receiver-entry', 'kill', 'wait-irq', 'bind-ret'] as const;
export type QuizKind = (typeof QUIZ_KINDS)[number];
export const QUIZ_LEVELS = ['easy', 'medium', 'hard'] as const;
export type QuizLevel = (typeof QUIZ_LEVELS)[number];

export type AskField = 'ret' | 'values' | 'irq' | 'killed';
export interface Ask {
  guest: number;
  step: number;
  field: AskField;
}

/** A value a step's field can hold: ret and irq numbers (irq null: no interrupt came), read values, a kill reason or null. */
export type Answer = number | number[] | string | null;

/** Exactly the `--json` document, keys in this order. */
export interface Quiz {
  seed: number;
  kind: QuizKind;
  question: string;
  scenario: ScenarioInput;
  ask: Ask;
  choices: Answer[];
  answer: Answer;
  explain: string;
}

/** One event of the run as a JSON-lines record (`i` is its 0-based index). */
export type EventRecord = Record<string, string | number>;

/** What the run showed, for a kind to explain its answer from. */
export interface RunFacts {
  readonly answer: Answer;
  readonly events: readonly EventRecord[];
  /** guests[g].script[s] of the `--json` summary. */
  readonly step: (guest: number, step: number) => Record<string, unknown>;
}

export interface Explanation {
  readonly text: string;
  /** Indices of the events that decided the answer (the page highlights them). */
  readonly decisive: readonly number[];
}

/** A kind's question before the simulator has answered it. */
export interface Draft {
  readonly scenario: ScenarioInput;
  readonly ask: Ask;
  readonly question: string;
  /** Wrong-but-plausible answers (may contain the answer or repeats; the generator dedupes). */
  readonly distractors: readonly Answer[];
  /** Which situation the kind drew (e.g. "truncate", "full"): tests check every one is reachable. */
  readonly variant: string;
  /** Words and events that say why the run gave this answer. */
  explain(run: RunFacts): Explanation;
}

export type KindGenerator = (rng: Rng, level: QuizLevel) => Draft;
