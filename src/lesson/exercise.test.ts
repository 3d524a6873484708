import { describe, expect, it } from 'vitest';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario, type Scenario } from '../scenario/scenario.ts';
import type { Machine } from '../machine/machine.ts';
import { exerciseMachine, runExercise, type GoalResult } from './exercise.ts';

const start = (name: string): Scenario => {
  const r = validateScenario(PRESETS[name]);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** A stand-in for the lesson format's evaluate: one u32 of a guest's memory. */
type Word = { guest: number; addr: number; u32: number };
const evaluate = (c: Word, m: Machine): GoalResult => {
  const got = m.launchers[c.guest].memory.u32(c.addr);
  return { check: `u32 at 0x${c.addr.toString(16)} is ${c.u32}`, ok: got === c.u32, saw: String(got) };
};
const name = (c: Word): string => `u32 at 0x${c.addr.toString(16)} is ${c.u32}`;

describe('exercises', () => {
  // bind-and-send: guest 1 sends 18 bytes; the receiver's used_len at 0x2000 shows what arrived.
  const goal: Word[] = [{ guest: 0, addr: 0x2000, u32: 5 }];
  const sender = (n: number) => `write 0x5000 text "hello from guest 1"\ndma 0x4000 used=0 0x5000:${n}\nhcall SEND_DMA 0x30000 0x4000\n`;

  it('runs the start scenario from the beginning with the edited guest, and judges each goal', () => {
    const wrong = runExercise(start('bind-and-send'), 1, goal, sender(18), evaluate, name);
    expect(wrong).toEqual({ met: false, error: null, results: [{ check: 'u32 at 0x2000 is 5', ok: false, saw: '18' }] });
    const right = runExercise(start('bind-and-send'), 1, goal, sender(5), evaluate, name);
    expect(right.met).toBe(true);
  });

  it('the same source gives the same machine as the scenario carrying it (identical hash)', () => {
    const a = exerciseMachine(start('bind-and-send'), 1, sender(5));
    const b = exerciseMachine(start('bind-and-send'), 1, sender(5));
    expect(a.ok && b.ok && a.m.hash() === b.m.hash()).toBe(true);
    // And the unedited source of the example is the example itself.
    const ex = start('bind-and-send');
    const same = exerciseMachine(ex, 1, ex.guests[1].source!);
    const m = exerciseMachine(ex, 0, ex.guests[0].source!);
    expect(same.ok && m.ok && same.m.hash() === m.m.hash()).toBe(true);
  });

  it('a source that does not compile meets no goal and says where it is wrong', () => {
    const r = runExercise(start('bind-and-send'), 1, goal, 'write 0x5000 text "x"\nhcall SEND_DMA 0x30000 zz\n', evaluate, name);
    expect(r.met).toBe(false);
    expect(r.error).toBe('line 2, col 24: expected an argument (a number or 0x…)');
    expect(r.results[0]).toEqual({ check: 'u32 at 0x2000 is 5', ok: false, saw: 'the script did not run: line 2, col 24: expected an argument (a number or 0x…)' });
  });

  it('an exercise guest must be a scripted guest of the scenario', () => {
    expect(runExercise(start('console'), 0, goal, 'wait', evaluate, name).error).toMatch(/built-in kernel/);
    expect(runExercise(start('bind-and-send'), 5, goal, 'wait', evaluate, name).error).toMatch(/no guest 5/);
  });
});
