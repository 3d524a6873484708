import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { Machine } from '../machine/machine.ts';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/scenario.ts';
import { chromeTraceParts } from '../trace/chrome-trace.ts';
import { jsonLinesParts } from '../trace/jsonl.ts';
import { runCommand, runWithInputs } from './run-command.ts';

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

describe('run without a kept event log (issue #15)', () => {
  it('the streamed --trace, written as the run goes with the streamed events discarded, equals the export of a run that kept every event', () => {
    // More than two 65536-event chunks, so chunks are reused while the trace is written.
    const types = ['ping 1 15000\\r'];
    const r = validateScenario(PRESETS.net);
    if (!r.ok) throw new Error(r.error.message);
    const kept = new Machine(r.value);
    runWithInputs(kept, ['ping 1 15000\r'], undefined, () => {});
    expect(kept.events.count).toBeGreaterThan(140_000);
    expect(kept.events.first).toBe(0);
    const c = cli(['--preset', 'net', '--type', types[0], '--json', '--trace', 'out']);
    expect(c.code).toBe(0);
    expect((JSON.parse(c.out) as { events: number; hash: string }).hash).toBe(kept.hash());
    expect(c.files.get('out') === [...jsonLinesParts(kept.events)].join('')).toBe(true);
    // The Chrome document streamed the same way (a shorter run: its pieces are checked against the whole in src/trace).
    const small = new Machine(r.value);
    runWithInputs(small, ['ping 1 300\r'], undefined, () => {});
    const ch = cli(['--preset', 'net', '--type', 'ping 1 300\\r', '--trace', 'out', '--trace-format', 'chrome']);
    expect(ch.files.get('out') === [...chromeTraceParts(small.events)].join('')).toBe(true);
  });

  it('prints the same console and summary as before without --trace', () => {
    const c = cli(['--preset', 'net', '--type', 'ping 1 3\\r']);
    expect(c.out).toContain('3 transmitted, 3 received');
    const j = cli(['--preset', 'net', '--type', 'ping 1 3\\r', '--json']);
    const r = validateScenario(PRESETS.net);
    if (!r.ok) throw new Error(r.error.message);
    const m = new Machine(r.value);
    runWithInputs(m, ['ping 1 3\r'], undefined, () => {});
    const sum = JSON.parse(j.out) as { events: number; hash: string };
    expect([sum.events, sum.hash]).toEqual([m.events.count, m.hash()]);
  });
});
