/**
 * Every run and every input is bounded (issue #11): the event budget, files
 * that are not files or are too big, outputs that cannot be written, and
 * kernel bytes printed as they are. The commands run in-process with the real
 * Node file access (node-io.ts) and captured terminals.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeLink } from '../trace/link.ts';
import { makeRecording } from '../trace/recording.ts';
import type { CliIo } from './cli-io.ts';
import { replayCommand } from './link-command.ts';
import { nodeIo, readBounded } from './node-io.ts';
import { budgetLine, runCommand } from './run-command.ts';

function cli(cmd: (a: readonly string[], io: CliIo) => number, args: readonly string[]): { code: number; out: string; err: string; bytes: number[] } {
  let out = '';
  let err = '';
  const bytes: number[] = [];
  const io: CliIo = { ...nodeIo, stdout: (t) => void (out += t), stdoutBytes: (b) => void bytes.push(...b), stderr: (t) => void (err += t) };
  return { code: cmd(args, io), out, err, bytes };
}

const dir = mkdtempSync(join(tmpdir(), 'lguest-bounds-'));

describe('--max-events', () => {
  it('stops a flood at the budget: the exact stderr line, exit 0, "stopped": "max-events"', () => {
    const r = cli(runCommand, ['--preset', 'net', '--type', 'ping -f 1\\n', '--max-events', '20000', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('stopped at the event budget (20000 events); raise it with --max-events\n');
    expect(r.err).toBe(budgetLine(20000));
    const j = JSON.parse(r.out) as { stopped: string; events: number; idle: boolean };
    expect(j.stopped).toBe('max-events');
    expect(j.idle).toBe(false);
    // It stops at the first quantum boundary at or past the budget.
    expect(j.events).toBeGreaterThanOrEqual(20000);
    expect(j.events).toBeLessThan(20100);
  });

  it('says "idle" for a run that settled and "steps" for one cut by --steps, with nothing on stderr', () => {
    const idle = cli(runCommand, ['--preset', 'console', '--json']);
    expect([idle.code, idle.err, (JSON.parse(idle.out) as { stopped: string }).stopped]).toEqual([0, '', 'idle']);
    const steps = cli(runCommand, ['--preset', 'console', '--steps', '3', '--json']);
    expect([steps.code, steps.err, (JSON.parse(steps.out) as { stopped: string }).stopped]).toEqual([0, '', 'steps']);
  });

  it('refuses a budget that is not a whole number ≥ 1', () => {
    for (const v of ['0', '-5', '1.5', 'lots']) {
      const r = cli(runCommand, ['--preset', 'console', '--max-events', v]);
      expect(r.code).toBe(2);
      expect(r.err).toBe('run: --max-events needs a whole number of events (at least 1)\n');
    }
  });

  it('a replay stopped by the budget before its last input lands says so and fails', () => {
    const rec = join(dir, 'two-inputs.lguest.json');
    writeFileSync(rec, JSON.stringify({ v: 1, preset: 'console', inputs: [[null, 0, 'echo a\r'], [400, 0, 'echo b\r']] }));
    const ok = cli(replayCommand, ['--file', rec, '--json']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.out) as { stopped: string }).stopped).toBe('idle');
    // The console boots in 15 events and idles: the first input lands, the second (stamped 400) never does.
    const cut = cli(replayCommand, ['--file', rec, '--max-events', '20']);
    expect(cut.code).toBe(1);
    expect(cut.err).toBe("replay: stopped at the event budget (20 events) before the recording's end (1 of 2 inputs not yet typed); raise it with --max-events\n");
  });
});

describe('files are checked before they are read', () => {
  it('refuses devices by name, in one line, without reading them', () => {
    expect(cli(runCommand, ['--preset', 'console', '--disk', '/dev/zero'])).toMatchObject({ code: 2, err: '/dev/zero: not a regular file (a character device); give a file\n' });
    expect(cli(runCommand, ['--scenario', '/dev/urandom'])).toMatchObject({ code: 2, err: '/dev/urandom: not a regular file (a character device); give a file\n' });
    expect(cli(runCommand, ['--scenario', dir])).toMatchObject({ code: 2, err: `${dir}: not a regular file (a directory); give a file\n` });
    expect(cli(replayCommand, ['--file', '/dev/zero'])).toMatchObject({ code: 2, err: '/dev/zero: not a regular file (a character device); give a file\n' });
  });

  it('refuses a file over the limit from its size, and reads at most limit + 1 bytes', () => {
    const f = join(dir, 'big.bin');
    writeFileSync(f, new Uint8Array(5000));
    expect(() => readBounded(f, 4999)).toThrow(`${f}: 5000 bytes is over the limit of 4999 bytes`);
    expect(readBounded(f, 5000).length).toBe(5000);
    // /proc files stat as 0 bytes: the bounded read still stops at limit + 1.
    expect(() => readBounded('/proc/self/maps', 10)).toThrow('/proc/self/maps: more than the limit of 10 bytes (it grew while read)');
    expect(() => readBounded(join(dir, 'missing'), 10)).toThrow(/missing: cannot read: ENOENT/);
  });

  it('replay --file reads a link too long for a command line', () => {
    const f = join(dir, 'link.txt');
    // A link of 200 KiB of incompressible input: over the 128 KiB one command-line argument may hold.
    let x = 2463534242; // xorshift32: deterministic, and no pattern deflate could use
    const next = (): number => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
    const text = Array.from({ length: 200 * 1024 }, () => String.fromCharCode(33 + (next() % 94))).join('') + '\r';
    const link = encodeFor(text);
    expect(link.length).toBeGreaterThan(128 * 1024);
    writeFileSync(f, `https://example.test/#${link}\n`);
    const r = cli(replayCommand, ['--file', f, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { stopped: string }).stopped).toBe('idle');
  });
});

describe('no stack traces', () => {
  it('an image that is not base64 is a schema error naming its place', () => {
    const f = join(dir, 'bad-image.json');
    writeFileSync(f, JSON.stringify({ guests: [{ devices: [{ type: 'block', image: 'A' }] }] }));
    const r = cli(runCommand, ['--scenario', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${f}: guests\\[0\\]\\.devices\\[0\\]\\.image: image must be base64[^\\n]*\\n$`));
  });

  it('a trace file that cannot be written is refused before the run, in one line', () => {
    for (const [path, why] of [
      ['/nonexistent/x', 'ENOENT'],
      ['/dev/full', 'ENOSPC'],
    ]) {
      const r = cli(runCommand, ['--preset', 'console', '--trace', path]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^--trace ${path}: cannot write: ${why}[^\\n]*\\n$`));
      expect(r.bytes).toEqual([]); // nothing ran: no console output
    }
  });
});

describe('kernel bytes', () => {
  it('prints a CRASH reason as the bytes the guest wrote (UTF-8 shows as UTF-8)', () => {
    const f = join(dir, 'crash.json');
    const reason = [...new TextEncoder().encode('héllo')];
    writeFileSync(f, JSON.stringify({ guests: [{ kernel: 'script', script: [{ op: 'write', addr: 0x1000, u8: [...reason, 0] }, { op: 'hcall', call: 'CRASH', args: [0x1000] }] }] }));
    const r = cli(runCommand, ['--scenario', f]);
    expect(r.code).toBe(0);
    expect(new TextDecoder().decode(Uint8Array.from(r.bytes))).toContain('guest 0 killed: CRASH: héllo\n');
  });
});

function encodeFor(text: string): string {
  return encodeLink(makeRecording({ preset: 'console' }, [{ at: -1, guest: 0, text, idle: true }]));
}
