/**
 * `quiz --seed N [--kind K] [--level easy|medium|hard] [--json]` (issue #14):
 * one generated question, answered by running its scenario. `--json` prints
 * exactly {seed, kind, question, scenario, ask, choices, answer, explain}.
 */
import { generateQuiz } from '../quiz/generate.ts';
import { QUIZ_KINDS, QUIZ_LEVELS, type QuizKind, type QuizLevel } from '../quiz/quiz-types.ts';
import { showAnswer } from '../quiz/quiz-kit.ts';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.ts';

export const QUIZ_USAGE = `usage: quiz --seed N [--kind ${QUIZ_KINDS.join('|')}] [--level ${QUIZ_LEVELS.join('|')}] [--json]`;

interface QuizArgs {
  seed: number;
  kind?: QuizKind;
  level?: QuizLevel;
  json: boolean;
}

export function parseQuizArgs(args: readonly string[]): { ok: true; value: QuizArgs } | { ok: false; error: string } {
  let seed: number | undefined;
  const o: Omit<QuizArgs, 'seed'> = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    switch (a) {
      case '--seed':
        i++;
        if (v === undefined || !/^\d+$/.test(v) || Number(v) > 0xffffffff) return { ok: false, error: `--seed ${v ?? ''}: a whole number from 0 to 4294967295` };
        seed = Number(v);
        break;
      case '--kind':
        i++;
        if (!(QUIZ_KINDS as readonly string[]).includes(v ?? '')) return { ok: false, error: `--kind ${v ?? ''}: unknown kind; use one of ${QUIZ_KINDS.join(', ')}` };
        o.kind = v as QuizKind;
        break;
      case '--level':
        i++;
        if (!(QUIZ_LEVELS as readonly string[]).includes(v ?? '')) return { ok: false, error: `--level ${v ?? ''}: use ${QUIZ_LEVELS.join(', ')}` };
        o.level = v as QuizLevel;
        break;
      case '--json':
        o.json = true;
        break;
      default:
        return { ok: false, error: `unknown argument ${a}; ${QUIZ_USAGE}` };
    }
  }
  if (seed === undefined) return { ok: false, error: `--seed is required; ${QUIZ_USAGE}` };
  return { ok: true, value: { seed, ...o } };
}

export function quizCommand(args: readonly string[], io: CliIo): number {
  const p = parseQuizArgs(args);
  if (!p.ok) {
    io.stderr(`quiz: ${p.error}\n`);
    return EXIT_USAGE;
  }
  const { seed, kind, level, json } = p.value;
  const g = generateQuiz(seed, { kind, level });
  const q = g.quiz;
  if (json) {
    io.stdout(JSON.stringify(q, null, 2) + '\n');
    return EXIT_OK;
  }
  const letter = (k: number): string => String.fromCharCode(97 + k);
  const right = q.choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(q.answer));
  io.stdout(
    `quiz ${seed} · ${q.kind} (${g.level})\n\n${q.question}\n\n` +
      q.choices.map((c, k) => `  ${letter(k)}) ${showAnswer(c)}\n`).join('') +
      `\nanswer: ${letter(right)}) ${showAnswer(q.answer)}\n${q.explain}\n` +
      `\n(run it yourself: quiz --seed ${seed}${kind ? ` --kind ${kind}` : ''}${level ? ` --level ${level}` : ''} --json, then run --scenario on its "scenario")\n`,
  );
  return EXIT_OK;
}
