import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { CliIo } from './cli-io.ts';
import { lessonCommand } from './lesson-command.ts';

/** `lesson ARGS` with extra files held in memory; other paths are read from disk (the built-in lessons). */
function cli(args: readonly string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : new Uint8Array(readFileSync(p))),
    writeFile: () => undefined,
  };
  return { code: lessonCommand(args, io), out, err };
}

const tiny = (expect: unknown[]) =>
  JSON.stringify({
    id: 'tiny',
    title: 'Tiny',
    summary: 'Boot the console preset.',
    start: { preset: 'console' },
    steps: [
      { say: 'Boot.', do: [{ run: 'idle' }], expect: [{ console: { guest: 0, contains: 'boot complete' } }] },
      { say: 'The first send.', show: { event: { kind: 'hcall', call: 'SEND_DMA' } }, expect },
    ],
  });

describe('lesson list', () => {
  it('lists the eight lessons in the journey order with their step counts', () => {
    const r = cli(['list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { id: string; title: string; steps: number }[];
    expect(rows.map((x) => x.id)).toEqual(['lguest-bus', 'console-output', 'console-input', 'block-device', 'network', 'receivers-full', 'breaking-the-rules', 'workbench']);
    for (const row of rows) expect(row.steps).toBeGreaterThanOrEqual(6);
    const text = cli(['list']);
    expect(text.out.split('\n')[1]).toMatch(/^console-output\s+\d+ steps {2}2\. Console output/);
  });
});

describe('lesson check', () => {
  it('exits 0 and prints ok per step when every check holds', () => {
    const r = cli(['check', 't.json'], { 't.json': tiny([{ event: { kind: 'hcall', ebx: '0x2000', ret: 13 } }]) });
    expect(r.out).toBe('ok step 0\nok step 1\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 with the step and what was seen when an expect is wrong', () => {
    const r = cli(['check', 't.json'], { 't.json': tiny([{ event: { kind: 'hcall', ebx: '0x3000' } }]) });
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[1]).toMatch(/^FAIL step 1: event \{"kind":"hcall","ebx":"0x3000"\} — saw #\d+ \{"kind":"hcall","guest":0,"call":"SEND_DMA","edx":"0","ebx":"0x2000","ecx":"0","ret":13\}$/);
    const json = JSON.parse(cli(['check', 't.json', '--json'], { 't.json': tiny([{ alive: { guest: 0 } }, { killed: { guest: 0 } }]) }).out) as {
      ok: boolean;
      lessons: { steps: { ok: boolean; results: { check: string; ok: boolean; saw: string }[] }[] }[];
    };
    expect(json.ok).toBe(false);
    expect(json.lessons[0].steps[1].results.slice(1)).toEqual([
      { check: 'guest 0 alive', ok: true, saw: 'alive' },
      { check: 'guest 0 killed', ok: false, saw: 'guest 0 alive' },
    ]);
  });

  it('exits 2 with one line naming the place for a malformed lesson, and for bad usage', () => {
    const r = cli(['check', 'bad.json'], { 'bad.json': tiny([{ memory: { guest: 0, addr: '0x2000', u64: [1] } }]) });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('bad.json: steps[1].expect[0].memory: Unrecognized key: "u64"\n');
    expect(cli(['check', 'junk.json'], { 'junk.json': '{' }).err).toMatch(/^junk\.json: not valid JSON/);
    expect(cli(['check', '/nonexistent/lesson.json']).code).toBe(2);
    expect(cli(['check']).code).toBe(2);
    expect(cli(['check', 'a', 'b']).code).toBe(2);
    expect(cli(['teach']).code).toBe(2);
  });

  it('checks a built-in lesson by id', () => {
    const r = cli(['check', 'lguest-bus']);
    expect(r.err).toBe('');
    expect(r.out.trimEnd().split('\n')).toEqual([...Array(8).keys()].map((k) => `ok step ${k}`));
    expect(r.code).toBe(0);
  });
});
