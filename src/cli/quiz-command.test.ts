import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { quizCommand } from './quiz-command.ts';
import { runCommand } from './run-command.ts';
import { QUIZ_KINDS } from '../quiz/quiz-types.ts';

/** Run a command with an in-memory file system. */
function cli(cmd: (args: readonly string[], io: CliIo) => number, args: readonly string[], files = new Map<string, string>()): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => {
      const f = files.get(p);
      if (f === undefined) throw new Error(`no file ${p}`);
      return new TextEncoder().encode(f);
    },
    writeFile: (p, d) => void files.set(p, String(d)),
  };
  return { code: cmd(args, io), out, err };
}

interface QuizJson {
  seed: number;
  kind: string;
  scenario: unknown;
  ask: { guest: number; step: number; field: string };
  answer: unknown;
  choices: unknown[];
}

describe('quiz', () => {
  it('for 200 seeds, --json\'s answer is what `run --scenario --json` gives at ask', () => {
    for (let seed = 1000; seed < 1200; seed++) {
      const q = cli(quizCommand, ['--seed', String(seed), '--json']);
      expect(q.code).toBe(0);
      const quiz = JSON.parse(q.out) as QuizJson;
      const files = new Map([['quiz.json', JSON.stringify(quiz.scenario)]]);
      const r = cli(runCommand, ['--scenario', 'quiz.json', '--json'], files);
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(r.out) as { guests: { script: Record<string, unknown>[] }[] };
      const step = summary.guests[quiz.ask.guest].script[quiz.ask.step];
      const got = quiz.ask.field === 'killed' ? (step.killed ?? null) : step[quiz.ask.field];
      expect(got, `seed ${seed}`).toEqual(quiz.answer);
    }
  });

  it('prints exactly the contract\'s keys, in order, and the same document for the same seed', () => {
    const a = cli(quizCommand, ['--seed', '7', '--kind', 'kill', '--level', 'hard', '--json']);
    const b = cli(quizCommand, ['--seed', '7', '--kind', 'kill', '--level', 'hard', '--json']);
    expect(a.out).toBe(b.out);
    const q = JSON.parse(a.out) as QuizJson;
    expect(Object.keys(q)).toEqual(['seed', 'kind', 'question', 'scenario', 'ask', 'choices', 'answer', 'explain']);
    expect(Object.keys(q.ask)).toEqual(['guest', 'step', 'field']);
    expect(q.seed).toBe(7);
    expect(q.kind).toBe('kill');
  });

  it('--kind picks the kind for every kind', () => {
    for (const k of QUIZ_KINDS) expect((JSON.parse(cli(quizCommand, ['--seed', '3', '--kind', k, '--json']).out) as QuizJson).kind).toBe(k);
  });

  it('without --json prints the question, lettered choices, the answer and the explanation', () => {
    const r = cli(quizCommand, ['--seed', '12']);
    const q = JSON.parse(cli(quizCommand, ['--seed', '12', '--json']).out) as QuizJson & { question: string; explain: string };
    expect(r.code).toBe(0);
    expect(r.out).toContain(q.question);
    expect(r.out).toContain(q.explain);
    expect(r.out).toMatch(/^ {2}a\) /m);
    expect(r.out).toMatch(/^answer: [a-d]\) /m);
  });

  it('bad usage exits 2 naming the argument', () => {
    expect(cli(quizCommand, []).err).toContain('--seed is required');
    expect(cli(quizCommand, ['--seed', 'x']).code).toBe(2);
    expect(cli(quizCommand, ['--seed', '1', '--kind', 'nope']).err).toContain('--kind nope: unknown kind; use one of sender-used-len');
    expect(cli(quizCommand, ['--seed', '1', '--level', 'extreme']).err).toContain('--level extreme');
    expect(cli(quizCommand, ['--seed', '1', '--bogus']).code).toBe(2);
  });
});
