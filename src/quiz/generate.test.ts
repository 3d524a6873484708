import { describe, expect, it } from 'vitest';
import { generateQuiz, sameAnswer, type GeneratedQuiz } from './generate.ts';
import { QUIZ_KINDS, QUIZ_LEVELS, type Answer } from './quiz-types.ts';
import { answerAt, runScenario } from './run-scenario.ts';
import { validateScenario } from '../scenario/scenario.ts';
import * as senderUsedLen from './sender-used-len.ts';
import * as receiverEntry from './receiver-entry.ts';
import * as kill from './kill.ts';
import * as waitIrq from './wait-irq.ts';
import * as bindRet from './bind-ret.ts';

const CASES = { 'sender-used-len': senderUsedLen.CASES, 'receiver-entry': receiverEntry.CASES, kill: kill.CASES, 'wait-irq': waitIrq.CASES, 'bind-ret': bindRet.CASES };

const SEEDS = Array.from({ length: 200 }, (_, i) => i * 7919 + 3);
const all: GeneratedQuiz[] = SEEDS.map((s) => generateQuiz(s));

/** Every string in a JSON value, with its path. */
function* strings(v: unknown, path = ''): Iterable<[string, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* strings(v[i], `${path}[${i}]`);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* strings(x, `${path}.${k}`);
}

/** How an answer shows up in an explanation. */
function mentions(explain: string, a: Answer): boolean {
  if (a === null) return /lives|null|never returns/.test(explain);
  if (Array.isArray(a)) return explain.includes(JSON.stringify(a)) || explain.includes(`= ${a[0]}`) || explain.includes(`keeps the ${a[0]}`) || explain.includes(`reads ${a[0]}`);
  if (typeof a === 'string') return explain.includes(`"${a}"`);
  return explain.includes(`irq ${a}`) || explain.includes(`returns ${a}`);
}

describe('generateQuiz', () => {
  it('the same seed gives the same question', () => {
    for (const g of all.slice(0, 40)) expect(JSON.stringify(generateQuiz(g.quiz.seed).quiz)).toBe(JSON.stringify(g.quiz));
  });

  it('a seed without --kind/--level equals the same seed with the kind and level it drew', () => {
    for (const g of all.slice(0, 40)) expect(generateQuiz(g.quiz.seed, { kind: g.quiz.kind, level: g.level }).quiz).toEqual(g.quiz);
  });

  it('the answer is what running the scenario again gives at ask', () => {
    for (const { quiz } of all) expect(answerAt(runScenario(quiz.scenario).summary, quiz.ask)).toEqual(quiz.answer);
  });

  it('choices hold the answer exactly once and no choice twice', () => {
    for (const { quiz } of all) {
      expect(quiz.choices.filter((c) => sameAnswer(c, quiz.answer))).toHaveLength(1);
      expect(new Set(quiz.choices.map((c) => JSON.stringify(c))).size).toBe(quiz.choices.length);
      expect(quiz.choices.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('a "killed" answer is the guest\'s own kill reason (null: it survives)', () => {
    for (const { quiz, run } of all.filter((g) => g.quiz.ask.field === 'killed')) expect(run.summary.guests[quiz.ask.guest].killed).toBe(quiz.answer);
  });

  it('the scenario is plain JSON of the default arch: no source, no hex strings, and it validates', () => {
    for (const { quiz } of all) {
      const s = quiz.scenario as Record<string, unknown>;
      expect(s.arch).toBeUndefined();
      expect(JSON.stringify(s)).not.toContain('"source"');
      for (const [path, v] of strings(s)) expect(/^0x/i.test(v), path).toBe(false);
      expect(validateScenario(JSON.parse(JSON.stringify(s))).ok).toBe(true);
    }
  });

  it('every kind and level is reachable from a bare seed, and every kind reaches each of its situations', () => {
    const pairs = new Set(all.map((g) => `${g.quiz.kind}/${g.level}`));
    for (const k of QUIZ_KINDS) for (const l of QUIZ_LEVELS) expect(pairs, `${k}/${l}`).toContain(`${k}/${l}`);
    const variants = new Map<string, Set<string>>();
    for (const k of QUIZ_KINDS)
      for (const l of QUIZ_LEVELS)
        for (let s = 0; s < 40; s++) {
          const g = generateQuiz(s, { kind: k, level: l });
          expect(g.quiz.kind).toBe(k);
          expect(g.level).toBe(l);
          const set = variants.get(`${k}/${l}`) ?? new Set();
          set.add(g.variant);
          variants.set(`${k}/${l}`, set);
        }
    for (const k of QUIZ_KINDS) for (const l of QUIZ_LEVELS) expect([...(variants.get(`${k}/${l}`) ?? [])].sort(), `${k}/${l}`).toEqual([...CASES[k][l]].sort());
  });

  it('the explanation says what decided it: the answer, the spec section, the v2.6.23 function and the deciding events', () => {
    for (const g of all) {
      const { quiz, decisive, run, pauseAt } = g;
      expect(quiz.explain, quiz.explain).toMatch(/§\d/);
      expect(quiz.explain).toMatch(/\w+\(\)/);
      expect(mentions(quiz.explain, quiz.answer), `${quiz.kind} ${JSON.stringify(quiz.answer)}: ${quiz.explain}`).toBe(true);
      expect(decisive.length).toBeGreaterThan(0);
      for (const i of decisive) {
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThan(run.events.length);
        expect(run.events[i].i).toBe(i);
      }
      expect(pauseAt).toBe(decisive[0]);
      // Every event the text cites is one it calls decisive.
      for (const m of quiz.explain.matchAll(/event #(\d+)/g)) expect(decisive).toContain(Number(m[1]));
    }
  });

  it('the question names the asked step, and a decisive event comes from the kind\'s own rule', () => {
    const decisiveKinds: Record<string, RegExp> = {
      'sender-used-len': /^(dma|dma_full|kill|hcall)$/,
      'receiver-entry': /^(dma|dma_full)$/,
      kill: /^(kill|hcall|launcher_warn)$/,
      'wait-irq': /^(irq_raise|irq_deliver|kill|dma_full)$/,
      'bind-ret': /^hcall$/,
    };
    for (const { quiz, decisive, run } of all) {
      expect(quiz.question).toContain(`step ${quiz.ask.step}`);
      for (const i of decisive) expect(String(run.events[i].kind)).toMatch(decisiveKinds[quiz.kind]);
    }
  });
});
