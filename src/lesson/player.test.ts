import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PRESETS } from '../scenario/presets.ts';
import { ScenarioSchema } from '../scenario/scenario.ts';
import { registerStepExtension } from './extensions.ts';
import { openLesson } from './player.ts';
import { validateLesson, type Lesson } from './schema.ts';
import { LessonMachine } from './timeline.ts';
import { checkLesson, reportLines } from './check-lesson.ts';
import { LESSON_CATALOG } from './catalog.ts';
import { Machine } from '../machine/machine.ts';
import { Checkpoints } from '../machine/checkpoints.ts';
import { recordingScenario, validateRecording } from '../trace/recording.ts';

function lesson(data: object): Lesson {
  const r = validateLesson({ id: 't', title: 'T', summary: 'S', start: { preset: 'console' }, ...data });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const builtin = (file: string): Lesson => {
  const r = validateLesson(JSON.parse(readFileSync(new URL(`../../public/lessons/${file}`, import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('lesson player', () => {
  it('fails a wrong expect naming the step and what the simulator showed instead', () => {
    const l = lesson({
      steps: [
        { say: 'Boot.', do: [{ run: 'idle' }], expect: [{ console: { guest: 0, contains: 'boot complete' } }] },
        { say: 'Wrong claims.', expect: [{ memory: { guest: 0, addr: '0x2100', u32: [7] } }, { status: { guest: 0, device: 0, bits: ['DRIVER_OK'] } }] },
      ],
    });
    const r = checkLesson(l);
    expect(r.ok).toBe(false);
    const lines = reportLines(r);
    expect(lines[0]).toBe('ok step 0');
    // The console's input buffer is free (used_len 0) once booted, and its status has all three bits.
    expect(lines[1]).toBe('FAIL step 1: memory 0x2100 of guest 0 u32 [7] — saw u32 [0] (and 1 more)');
    expect(r.steps[1].results[1]).toEqual({ check: 'status of guest 0 device 0 is DRIVER_OK', ok: false, saw: 'status 7 (ACKNOWLEDGE|DRIVER|DRIVER_OK)' });
  });

  it('refuses a show that points at nothing, and reports moves that cannot be made', () => {
    const r = checkLesson(
      lesson({
        steps: [
          { say: 'x', do: [{ run: 'idle' }], show: { key: '0x1234' } },
          { say: 'y', show: { panel: 'block-page' } },
          { say: 'z', show: { event: { kind: 'dma' } } },
          { say: 'w', do: [{ run: { until: { kind: 'kill' } } }] },
          { say: 'v', do: [{ back: 100000 }] },
          { say: 'u', show: { buffer: '0x2100' }, expect: [{ killed: { guest: 0 } }] },
        ],
      }),
    );
    const lines = reportLines(r);
    expect(lines[0]).toBe('FAIL step 0: show key 0x1234 of guest 0 — saw bound keys: 0');
    expect(lines[1]).toBe('FAIL step 1: show panel block-page — saw this machine has no block-page (no such device or scripted guest)');
    expect(lines[2]).toBe('FAIL step 2: show event {"kind":"dma"} — saw no such event among #0..#14');
    expect(lines[3]).toBe('FAIL step 3: do[0] run until {"kind":"kill"} — saw no matching event from #15 on; every guest went idle at 15 events');
    expect(lines[4]).toBe('FAIL step 4: do[0] back 100000 — saw only 14 events can be undone (the first 1 happen as the machine is built)');
    expect(lines[5]).toBe('FAIL step 5: guest 0 killed — saw guest 0 alive');
  });

  it('runs until right after the first matching event, steps and goes back by events', () => {
    const p = openLesson(
      lesson({
        steps: [
          { say: 'a', do: [{ run: { until: { kind: 'hcall', call: 'SEND_DMA' } } }], expect: [{ event: { i: 2, call: 'SEND_DMA', ebx: 8192 } }] },
          { say: 'b', do: [{ step: 2 }], expect: [{ event: { kind: 'launcher_output', used_len: 175 } }, { seen: { kind: 'launcher_read' } }, { memory: { addr: '0x2000', u32: [175] } }] },
          { say: 'c', do: [{ back: 1 }], expect: [{ event: { kind: 'launcher_read' } }, { memory: { addr: '0x2000', u32: [0] } }] },
        ],
      }),
    );
    expect(p.goTo(0)).toMatchObject({ ok: true, count: 3, shown: 2 });
    expect(p.goTo(1)).toMatchObject({ ok: true, count: 5 });
    const c = p.goTo(2);
    expect(c.results.filter((x) => !x.ok)).toEqual([]);
    expect(c.count).toBe(4);
  });

  it('gives step k the same state however it was reached (forward, back to an earlier step, again)', () => {
    const l = builtin('03-console-input.json');
    const a = openLesson(l);
    const last = a.goTo(l.steps.length - 1);
    const hashLast = a.machine.hash();
    const four = a.goTo(4);
    const hashFour = a.machine.hash();
    const b = openLesson(l);
    expect(b.goTo(4)).toEqual(four);
    expect(b.machine.hash()).toBe(hashFour);
    expect(a.goTo(l.steps.length - 1)).toEqual(last);
    expect(a.machine.hash()).toBe(hashLast);
    expect(a.checks(4)).toEqual(four.results);
    expect(() => a.goTo(l.steps.length)).toThrow(RangeError);
  });

  it('back N then step N returns to the same state and hash (property)', () => {
    const scenario = ScenarioSchema.parse(PRESETS.console);
    const full = new LessonMachine(scenario);
    full.type(0, 'echo hi\n');
    full.runIdle();
    const total = full.count;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: total }), fc.integer({ min: 1, max: total }), (pos, n) => {
        fc.pre(pos - n >= full.first);
        const lm = new LessonMachine(scenario);
        lm.type(0, 'echo hi\n');
        lm.runIdle();
        lm.goToCount(pos);
        const h = lm.m.hash();
        lm.back(n);
        expect(lm.count).toBe(pos - n);
        lm.step(n);
        expect(lm.count).toBe(pos);
        expect(lm.m.hash()).toBe(h);
        expect(lm.m.consoleText(0)).toBe(full.m.consoleText(0).slice(0, lm.m.consoleText(0).length));
      }),
      { numRuns: 25 },
    );
  });

  it('runs the checker of a registered step extension with the step context', () => {
    registerStepExtension({
      field: 'probe',
      schema: z.strictObject({ contains: z.string() }),
      check: (v, ctx) => [
        { check: `probe at step ${ctx.step}`, ok: ctx.machine.events.count > 0, saw: `${ctx.machine.events.count} events` },
        ctx.evaluate({ console: { guest: 0, contains: v.contains } }, ctx.machine),
      ],
    });
    const r = checkLesson(lesson({ steps: [{ say: 'x', do: [{ run: 'idle' }], probe: { contains: 'no such text' } }] }));
    expect(r.steps[0].results.map((x) => [x.check, x.ok])).toEqual([
      ['probe at step 0', true],
      ['console of guest 0 contains "no such text"', false],
    ]);
    expect(validateLesson({ id: 't', title: 'T', summary: 'S', start: { preset: 'console' }, steps: [{ say: 'x', probe: { nope: 1 } }] })).toMatchObject({
      ok: false,
      error: { message: 'steps[0].probe.contains: Invalid input: expected string, received undefined' },
    });
  });

  it('a step that ends with typed input not yet landed shows the state after its last event, as its recording replays', () => {
    const p = openLesson(lesson({ steps: [{ say: 'x', do: [{ type: 'echo hi\n' }] }, { say: 'y', do: [{ run: 'idle' }] }] }));
    const rec = p.recording(0);
    expect(rec.view).toBe(15);
    expect(rec.inputs).toEqual([[null, 0, 'echo hi\n']]);
    const sc = recordingScenario(rec);
    if (!sc.ok) throw new Error(sc.error.message);
    const m = new Machine(sc.value);
    const cps = new Checkpoints(m);
    for (;;) {
      cps.beforeStep();
      if (!m.step()) break;
    }
    cps.seek(rec.view! - 1);
    expect(m.hash()).toBe(p.machine.hash());
    expect(p.recording(1).view).toBeUndefined();
    expect(p.machine.consoleText(0)).toContain('echo hi\r\nhi');
  });

  it("a step's recording replays to the very state the player shows (every built-in lesson, a middle and the last step)", () => {
    for (const e of LESSON_CATALOG) {
      const l = builtin(e.file);
      const p = openLesson(l);
      for (const k of [Math.floor(l.steps.length / 2), l.steps.length - 1]) {
        const rec = validateRecording(JSON.parse(JSON.stringify(p.recording(k))));
        if (!rec.ok) throw new Error(rec.error.message);
        const sc = recordingScenario(rec.value);
        if (!sc.ok) throw new Error(sc.error.message);
        // As the session loads a recording: every input landed and settled, then back to `view` if it has one.
        const m = new Machine(sc.value);
        const cps = new Checkpoints(m);
        for (;;) {
          cps.beforeStep();
          if (!m.step()) break;
        }
        if (rec.value.view !== undefined) cps.seek(rec.value.view - 1);
        expect(m.events.count, `${e.id} step ${k}`).toBe(p.goTo(k).count);
        expect(m.hash(), `${e.id} step ${k}`).toBe(p.machine.hash());
        expect(m.consoleText(0)).toBe(p.machine.consoleText(0));
      }
    }
  });
});
