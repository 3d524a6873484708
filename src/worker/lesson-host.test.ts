import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_CATALOG } from '../lesson/catalog.ts';
import { openLesson } from '../lesson/player.ts';
import { parseLesson } from '../lesson/schema.ts';
import { Session, type SessionHost } from './session.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };
const text = (file: string): string => readFileSync(new URL(`../../public/lessons/${file}`, import.meta.url), 'utf8');

describe('the page lesson player (worker)', () => {
  it('a malformed lesson is refused with one line naming the file and the place', async () => {
    const s = new Session(host, (n) => new ArrayBuffer(n));
    const r = await s.lessonOpen('{"id": "x", "title": "t", "summary": "s", "start": {"preset": "console"}, "steps": [{"say": "<b>hi</b>"}]}', 'bad.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^bad\.json: steps\[0\]\.say: .*HTML/);
  });

  // Every step of lesson 2 (a console, an input typed) and 5 (two guests, shared pages): the
  // session loading the step's recording reaches the very state the headless player judged.
  for (const id of ['console-output', 'network']) {
    it(`${id}: each step's recording shows the player's state, and its checks are lesson check's`, async () => {
      const file = LESSON_CATALOG.find((e) => e.id === id)!.file;
      const s = new Session(host, (n) => new ArrayBuffer(n));
      const o = await s.lessonOpen(text(file), file);
      expect(o.ok).toBe(true);
      if (!o.ok) return;
      const lesson = parseLesson(text(file));
      if (!lesson.ok) throw new Error(lesson.error.message);
      const ref = openLesson(lesson.value);
      expect(o.lesson.steps.length).toBe(ref.steps);
      for (let k = 0; k < ref.steps; k++) {
        const v = await s.lessonStep(k);
        const want = ref.goTo(k);
        expect(v.results).toEqual(want.results);
        expect(v.ok).toBe(true);
        const r = await s.load({ kind: 'recording', recording: v.recording });
        expect(r.ok).toBe(true);
        expect(s.shownCount).toBe(want.count);
        expect(s.hash()).toBe(ref.machine.hash());
      }
    });
  }
});
