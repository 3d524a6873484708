/**
 * `quiz --seed N`: draw a question, then let the simulator answer it. The
 * kind writes a scenario and names the step and field it asks about; the
 * answer is whatever running that scenario gives there (DESIGN.md: "nothing
 * in them is an answer typed by hand"), and the kind explains it from the
 * run's events.
 */
import { Rng } from './prng.ts';
import { QUIZ_KINDS, QUIZ_LEVELS, type Answer, type KindGenerator, type Quiz, type QuizKind, type QuizLevel } from './quiz-types.ts';
import { answerAt, runScenario, type QuizRun } from './run-scenario.ts';
import { senderUsedLen } from './sender-used-len.ts';
import { receiverEntry } from './receiver-entry.ts';
import { killQuiz } from './kill.ts';
import { waitIrq } from './wait-irq.ts';
import { bindRet } from './bind-ret.ts';

const KINDS: Record<QuizKind, KindGenerator> = {
  'sender-used-len': senderUsedLen,
  'receiver-entry': receiverEntry,
  kill: killQuiz,
  'wait-irq': waitIrq,
  'bind-ret': bindRet,
};

/** How many choices a question offers at most (fewer when the field has fewer plausible values, as BIND_DMA's 0 or 1). */
export const MAX_CHOICES = 4;

export interface QuizOptions {
  kind?: QuizKind;
  level?: QuizLevel;
}

/** The question plus what the page needs to replay it (not part of the `--json` contract). */
export interface GeneratedQuiz {
  readonly quiz: Quiz;
  readonly level: QuizLevel;
  readonly variant: string;
  /** Events that decided the answer (0-based JSON-lines indices), earliest first. */
  readonly decisive: readonly number[];
  /** The event count to pause at: the first decisive event has not happened yet. */
  readonly pauseAt: number;
  readonly run: QuizRun;
}

export const sameAnswer = (a: Answer, b: Answer): boolean => JSON.stringify(a) === JSON.stringify(b);

export function generateQuiz(seed: number, opts: QuizOptions = {}): GeneratedQuiz {
  const rng = new Rng(seed);
  // Drawn even when given, so --kind does not shift the rest of the question's draws between kinds.
  const kindDraw = rng.pick(QUIZ_KINDS);
  const levelDraw = rng.pick(QUIZ_LEVELS);
  const kind = opts.kind ?? kindDraw;
  const level = opts.level ?? levelDraw;
  const draft = KINDS[kind](rng, level);
  const run = runScenario(draft.scenario);
  const answer = answerAt(run.summary, draft.ask);
  const wrong: Answer[] = [];
  for (const d of draft.distractors) if (!sameAnswer(d, answer) && !wrong.some((w) => sameAnswer(w, d))) wrong.push(d);
  const choices = rng.shuffle([answer, ...wrong.slice(0, MAX_CHOICES - 1)]);
  const ex = draft.explain({ answer, events: run.events, step: (g, s) => run.summary.guests[g]?.script?.[s] ?? {} });
  const decisive = [...new Set(ex.decisive)].sort((a, b) => a - b);
  const quiz: Quiz = { seed, kind, question: draft.question, scenario: draft.scenario, ask: draft.ask, choices, answer, explain: ex.text };
  return { quiz, level, variant: draft.variant, decisive, pauseAt: decisive.length > 0 ? decisive[0] : run.events.length, run };
}

/** What the page gets from the worker: the question and how to replay it, without the run itself. */
export interface QuizPlan {
  readonly quiz: Quiz;
  readonly level: QuizLevel;
  readonly decisive: readonly number[];
  readonly pauseAt: number;
  /** Events in the whole run. */
  readonly events: number;
}

export function planQuiz(seed: number, opts: QuizOptions = {}): QuizPlan {
  const g = generateQuiz(seed, opts);
  return { quiz: g.quiz, level: g.level, decisive: g.decisive, pauseAt: g.pauseAt, events: g.run.events.length };
}
