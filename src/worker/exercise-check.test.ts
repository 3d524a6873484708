import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkExercise } from './exercise-check.ts';

const workbench = JSON.parse(readFileSync(new URL('../../public/lessons/08-workbench.json', import.meta.url), 'utf8')) as {
  start: unknown;
  steps: { exercise?: { guest: number; source: string; solution: string; goal: unknown[] } }[];
};

describe('the worker checks an exercise as the page sends it', () => {
  const ex = workbench.steps[4].exercise!;
  const req = (source: string) => ({ start: workbench.start, guest: ex.guest, goal: ex.goal, source });

  it('the starting code misses a goal and says what the run showed; the solution meets every goal', () => {
    const start = checkExercise(req(ex.source));
    expect(start.ok && start.met).toBe(false);
    expect(start.ok && start.results[0]).toMatchObject({ check: 'seen {"kind":"dma","guest":1,"bytes":0}', ok: false });
    const sol = checkExercise(req(ex.solution));
    expect(sol).toMatchObject({ ok: true, met: true, error: null });
  });

  it('a source with a mistake names its line; bad requests are refused with the place', () => {
    expect(checkExercise(req('hcall SEND_DMA 0x30000 0x40g0'))).toMatchObject({ ok: true, met: false, error: 'line 1, col 24: expected an argument (a number or 0x…)' });
    expect(checkExercise({ ...req('wait'), goal: [{ memory: { u64: [1] } }] })).toMatchObject({ ok: false });
    expect(checkExercise({ ...req('wait'), start: { preset: 'nope' } })).toMatchObject({ ok: false });
    expect(checkExercise({ ...req('wait'), guest: 99 })).toMatchObject({ ok: false, error: 'exercise guest 99 is not a guest index' });
    expect(checkExercise({ ...req('wait'), start: { preset: 'console' }, guest: 0 })).toMatchObject({ ok: true, met: false, error: 'guest 0 runs the built-in kernel; an exercise edits a scripted guest' });
  });
});
