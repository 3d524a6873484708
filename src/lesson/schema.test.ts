import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parseLesson, validateLesson, Num } from './schema.ts';

const base = () => ({
  id: 'tiny',
  title: 'Tiny',
  summary: 'A lesson for tests.',
  start: { preset: 'console' },
  steps: [{ say: 'Boot.', do: [{ run: 'idle' }], expect: [{ console: { guest: 0, contains: 'boot complete' } }] }] as unknown[],
});

function errorOf(data: unknown): string {
  const r = validateLesson(data);
  if (r.ok) throw new Error('expected the lesson to be refused');
  return r.error.message;
}

describe('lesson format', () => {
  it('accepts a well-formed lesson and fills the defaults (guest 0, empty do/expect)', () => {
    const l = base();
    l.steps.push({ say: 'Look.', show: { key: '0x0' } });
    const r = validateLesson(l);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.steps[1]).toEqual({ say: 'Look.', do: [], show: { key: 0, guest: 0 }, expect: [], extra: {} });
  });

  it('names the place of a bad number, as a bad scenario does', () => {
    const l = base();
    l.steps.push({ say: 'a' }, { say: 'b' }, { say: 'c', expect: [{ memory: { guest: 0, addr: 'zero', u32: [1] } }] });
    expect(errorOf(l)).toBe('steps[3].expect[0].memory.addr: expected a number or a "0x…" string');
  });

  it('names the place of an unknown action, check, show, MATCH field, event kind and hypercall', () => {
    const step = (s: object) => ({ ...base(), steps: [{ say: 'x', ...s }] });
    expect(errorOf(step({ do: [{ jump: 3 }] }))).toBe('steps[0].do[0]: unknown action; use one of type, run, step, back');
    expect(errorOf(step({ expect: [{ smells: {} }] }))).toMatch(/^steps\[0\]\.expect\[0\]: unknown check; use one of event, seen, console/);
    expect(errorOf(step({ show: { pixel: 3 } }))).toMatch(/^steps\[0\]\.show: unknown show/);
    expect(errorOf(step({ show: { panel: 'nowhere' } }))).toMatch(/^steps\[0\]\.show\.panel: unknown panel; use one of device-table/);
    expect(errorOf(step({ expect: [{ seen: { kidn: 'hcall' } }] }))).toMatch(/^steps\[0\]\.expect\[0\]\.seen\.kidn: not a field of a trace event/);
    expect(errorOf(step({ expect: [{ event: { kind: 'hypercall' } }] }))).toMatch(/^steps\[0\]\.expect\[0\]\.event\.kind: unknown event kind/);
    expect(errorOf(step({ do: [{ run: { until: { call: 'SEND' } } }] }))).toMatch(/^steps\[0\]\.do\[0\]\.run\.until\.call: unknown hypercall/);
    expect(errorOf(step({ do: [{ run: 'forever' }] }))).toBe('steps[0].do[0].run: expected "idle" or {"until": MATCH}');
    expect(errorOf(step({ do: [{ step: 0 }] }))).toMatch(/^steps\[0\]\.do\[0\]\.step: /);
    expect(errorOf(step({ expect: [{ memory: { addr: 0, u32: [1], u8: [1] } }] }))).toBe('steps[0].expect[0].memory: a memory check needs exactly one of u32, u16, u8 or text');
    expect(errorOf(step({ expect: [{ status: { device: 0, bits: ['READY'] } }] }))).toMatch(/^steps\[0\]\.expect\[0\]\.status\.bits\[0\]: unknown status bit/);
    expect(errorOf(step({ expcet: [] }))).toMatch(/^steps\[0\]: Unrecognized key: "expcet"/);
  });

  it('refuses a guest the lesson machine does not have, an unknown preset and a bad start scenario', () => {
    expect(errorOf({ ...base(), steps: [{ say: 'x', expect: [{ alive: { guest: 1 } }] }] })).toBe("steps[0].expect[0].alive.guest: no guest 1: the lesson's machine has 1");
    expect(errorOf({ ...base(), steps: [{ say: 'x', do: [{ type: 'hi\n', guest: 2 }] }] })).toBe("steps[0].do[0].guest: no guest 2: the lesson's machine has 1");
    expect(errorOf({ ...base(), start: { preset: 'nope' } })).toMatch(/^start\.preset: unknown preset; use one of console, block, net/);
    expect(errorOf({ ...base(), start: { scenario: { guests: [{ kernel: 'lguest', memory: 12345 }] } } })).toMatch(/^start\.scenario\.guests\[0\]\.memory: /);
    expect(errorOf({ ...base(), start: {} })).toBe('start: start is {"preset": NAME} or {"scenario": {…}}');
    expect(errorOf({ ...base(), start: { scenario: {}, preset: 'console' } })).toBe('start: Unrecognized key: "scenario"');
  });

  it('quotes a key that is not a plain name in the place it names', () => {
    expect(errorOf({ ...base(), steps: [{ say: 'x', expect: [{ event: { '': 1 } }] }] })).toMatch(/^steps\[0\]\.expect\[0\]\.event\[""\]: not a field of a trace event/);
  });

  it('keeps say to the safe markdown subset and bounds the file', () => {
    expect(errorOf({ ...base(), steps: [{ say: 'click <b>here</b>' }] })).toBe('steps[0].say: say is markdown text: no HTML tags');
    expect(errorOf({ ...base(), steps: [{ say: 'see [this](javascript:alert(1))' }] })).toBe('steps[0].say: links in say must be https:// or #anchors');
    expect(parseLesson('{"id": ').ok).toBe(false);
    const huge = parseLesson(' '.repeat(3 * 1024 * 1024));
    expect(!huge.ok && huge.error.message).toMatch(/lessons are limited to/);
  });

  it('lets a step carry an exercise (validated loosely until its owner registers it)', () => {
    const r = validateLesson({ ...base(), steps: [{ say: 'x', exercise: { guest: 1, source: 'wait\n', goal: [] } }] });
    expect(r.ok && r.value.steps[0].extra.exercise).toEqual({ guest: 1, source: 'wait\n', goal: [] });
    expect(errorOf({ ...base(), steps: [{ say: 'x', exercise: 'solve it' }] })).toMatch(/^steps\[0\]\.exercise: /);
  });

  it('reads every u32 the same whether written as a number, a decimal string or a 0x string (property)', () => {
    const schema = Num();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        for (const w of [v, String(v), `0x${v.toString(16)}`, `0x${v.toString(16).toUpperCase()}`]) expect(schema.parse(w)).toBe(v);
      }),
    );
    expect(schema.safeParse(0x1_0000_0000).success).toBe(false);
    expect(schema.safeParse('0x').success).toBe(false);
    expect(schema.safeParse(-1).success).toBe(false);
  });
});

describe('malformed lessons (property)', () => {
  const good = JSON.parse(readFileSync(new URL('../../public/lessons/02-console-output.json', import.meta.url), 'utf8')) as unknown;

  /** Every path to a value inside a JSON document. */
  function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
    const out = [at];
    if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
    return out;
  }
  const all = paths(good).filter((p) => p.length > 0);

  function replaced(doc: unknown, path: (string | number)[], value: unknown): unknown {
    const copy = structuredClone(doc) as Record<string | number, unknown>;
    let o = copy;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    o[path[path.length - 1]] = value;
    return copy;
  }

  it('any value replaced anywhere gives a valid lesson or one line naming a place, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        const r = validateLesson(replaced(good, path, value));
        if (r.ok) return;
        expect(r.error.message).not.toContain('\n');
        expect(r.error.message).toMatch(/^(\(lesson\)|[a-z_]+(\[\d+\]|\.[a-zA-Z_][\w-]*|\["(?:[^"\\]|\\.)*"\])*): \S/);
      }),
      { numRuns: 500 },
    );
  });
});
