/**
 * Quiz mode through the worker (issue #14): the plan the page gets, loaded as
 * a scenario and seeked to `pauseAt`, shows the run just before its deciding
 * events, and running on gives the answer at `ask`.
 */
import { describe, expect, it } from 'vitest';
import { Session, type SessionHost } from './session.ts';
import { liveWord } from './live-block.ts';
import { planQuiz } from '../quiz/generate.ts';

const host: SessionHost = { now: () => 0, defer: () => undefined, later: () => undefined };

describe('Session.quiz', () => {
  it('gives the generator\'s plan; its scenario paused at pauseAt has not seen the deciding events, and runs on to the answer', async () => {
    for (let seed = 0; seed < 25; seed++) {
      const s = new Session(host, (n) => new ArrayBuffer(n));
      const plan = await s.quiz(seed, {});
      expect(plan).toEqual(planQuiz(seed));
      const r = await s.load({ kind: 'scenario', text: JSON.stringify(plan.quiz.scenario) });
      expect(r.ok).toBe(true);
      s.seek(plan.pauseAt);
      expect(new Uint32Array(s.info().live)[liveWord('view')]).toBe(plan.pauseAt);
      s.runToEnd();
      expect(new Uint32Array(s.info().live)[liveWord('events')]).toBe(plan.events);
      const step = s.summary().guests[plan.quiz.ask.guest].script![plan.quiz.ask.step];
      expect(plan.quiz.ask.field === 'killed' ? (step.killed ?? null) : step[plan.quiz.ask.field]).toEqual(plan.quiz.answer);
    }
  });
});
