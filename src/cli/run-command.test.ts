import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { runCommand } from './run-command.ts';

/** Run `run ARGS` with files written into a map (pieces joined as the real CLI writes them in order). */
function cli(args: readonly string[]): { code: number; out: string; files: Map<string, string> } {
  let out = '';
  const files = new Map<string, string>();
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: () => undefined,
    readFile: () => {
      throw new Error('no files to read');
    },
    writeFile: (p, d) => void files.set(p, typeof d === 'string' ? d : d instanceof Uint8Array ? new TextDecoder().decode(d) : [...d].join('')),
  };
  return { code: runCommand(args, io), out, files };
}

describe('run --trace', () => {
  it('writes the Chrome trace (an instant per event) and the JSON lines (a line per event) of the run', () => {
    for (const format of ['chrome', 'jsonl'] as const) {
      const r = cli(['--preset', 'net', '--type', 'ping 1 2\\r', '--until-idle', '--json', '--trace', 'out', '--trace-format', format]);
      expect(r.code).toBe(0);
      const events = (JSON.parse(r.out) as { events: number }).events;
      expect(events).toBeGreaterThan(50);
      const text = r.files.get('out') ?? '';
      if (format === 'chrome') {
        const doc = JSON.parse(text) as { traceEvents: { ph: string; args?: { event?: number } }[] };
        const instants = doc.traceEvents.filter((e) => e.ph === 'i');
        expect(instants.map((e) => e.args?.event)).toEqual([...Array(events).keys()]);
      } else {
        const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { i: number });
        expect(lines.map((l) => l.i)).toEqual([...Array(events).keys()]);
      }
    }
  });
});
