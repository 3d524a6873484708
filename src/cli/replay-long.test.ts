/**
 * Determinism at any length (issue #11): a session of more than 10 M events
 * replays
 * through `replay` to the memory hash of the `run` that made it. Slow by
 * nature (two runs of ~10.5 M events); it runs in `npm test` with a generous
 * timeout so it also passes on a busy machine.
 */
import { describe, expect, it } from 'vitest';
import { encodeLink } from '../trace/link.ts';
import { makeRecording } from '../trace/recording.ts';
import type { CliIo } from './cli-io.ts';
import { linkCommand, replayCommand } from './link-command.ts';
import { runCommand } from './run-command.ts';

function cli(cmd: (a: readonly string[], io: CliIo) => number, args: readonly string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: () => {
      throw new Error('no files');
    },
    writeFile: () => undefined,
  };
  return { code: cmd(args, io), out, err };
}

interface Json {
  hash: string;
  events: number;
  idle: boolean;
  stopped: string;
}

describe('replay at any length', () => {
  it('`link` makes the recording this test replays (one idle input on the net preset)', () => {
    const l = cli(linkCommand, ['--preset', 'net', '--type', 'ping 1 2\\n']);
    expect(l.code).toBe(0);
    const byHand = encodeLink(makeRecording({ preset: 'net' }, [{ at: -1, guest: 0, text: 'ping 1 2\n', idle: true }]));
    expect(l.out.trim()).toBe(byHand);
  });

  it('a >10 M-event session replays to the same hash as its run', { timeout: 900_000 }, () => {
    const text = 'ping 1 1050000\n';
    const run = cli(runCommand, ['--preset', 'net', '--type', text.replace('\n', '\\n'), '--json']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const r = JSON.parse(run.out) as Json;
    expect(r.events).toBeGreaterThan(10_000_000);
    expect(r.stopped).toBe('idle');
    expect(r.idle).toBe(true);

    const frag = encodeLink(makeRecording({ preset: 'net' }, [{ at: -1, guest: 0, text, idle: true }]));
    const rep = cli(replayCommand, [frag, '--json']);
    expect(rep.err).toBe('');
    expect(rep.code).toBe(0);
    const p = JSON.parse(rep.out) as Json;
    expect(p.stopped).toBe('idle');
    expect(p.events).toBe(r.events);
    expect(p.hash).toBe(r.hash);
  });
});
