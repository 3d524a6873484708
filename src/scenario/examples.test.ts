/**
 * Every scenario in examples/ loads, validates and runs, and shows the outcome
 * its `description` promises (examples/README.md indexes them). The run goes
 * through the CLI's `run --scenario FILE --json` path as well, which must give
 * the same summary as a Machine built here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../cli/run-command.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { EventKind } from '../hw/events.ts';
import { Machine } from '../machine/machine.ts';
import { parseScenario } from './scenario.ts';
import { summarize, type MachineSummary } from '../machine/summary.ts';
import { eventsOf } from '../testing/checklist-rig.ts';

const DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

type Step = Record<string, unknown>;
/** Guest `g`'s script results, with the writes left out (what a reader of --json looks at). */
const steps = (s: MachineSummary, g: number): Step[] => (s.guests[g].script ?? []).filter((x) => x.op !== 'write');
const picked = (s: MachineSummary, g: number): unknown[] =>
  steps(s, g).map((x) => x.ret ?? x.irq ?? x.values ?? x.text ?? (x.skipped === true ? 'skipped' : x.killed !== undefined ? `killed: ${String(x.killed)}` : null));

/** What each example's description promises. */
const OUTCOMES: Record<string, (s: MachineSummary, m: Machine) => void> = {
  'bind-and-send.json': (s, m) => {
    // BIND_DMA → 1, wait → irq 3, used_len 18, the text; the sender sees 18 too.
    expect(picked(s, 0)).toEqual([1, 3, [18], 'hello from guest 1']);
    expect(picked(s, 1)[1]).toEqual([18]);
    expect(s.guests[0].keys).toMatchObject([{ key: '0x30000', dmas: '0x2000', num: 1, next: 1, irq: 3, shared: true }]);
    expect(eventsOf(m, EventKind.DMA).map((e) => [e.guest, e.a, e.e])).toEqual([[1, 0, 18]]);
  },
  'receiver-full.json': (s, m) => {
    expect(picked(s, 0)).toEqual([1, 3, [5], 'older']);
    expect(picked(s, 1)[1]).toEqual([0]);
    expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    expect(eventsOf(m, EventKind.DMA_FULL)).toHaveLength(2);
    expect(eventsOf(m, EventKind.IRQ_RAISE, 0)).toHaveLength(2);
  },
  'ping-empty-dma.json': (s, m) => {
    expect(picked(s, 0)).toEqual([1, 3, [0]]);
    expect(picked(s, 1)[1]).toEqual([0]);
    expect(s.guests[0].keys[0].next).toBe(1);
    expect(eventsOf(m, EventKind.DMA).map((e) => e.e)).toEqual([0]);
  },
  'getdma-quirk.json': (s, m) => {
    expect(picked(s, 0)).toEqual([1, 1, 'first', 1, 'XYrst', [2]]);
    const reqs = eventsOf(m, EventKind.LHREQ, 0).map((e) => [e.a, e.b]);
    // Two inputs, each BREAK on, GETDMA key 0, IRQ 1, BREAK off (after INITIALIZE).
    expect(reqs.slice(1)).toEqual([
      [3, 1],
      [1, 0],
      [2, 1],
      [3, 0],
      [3, 1],
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
  },
  'bad-key.json': (s) => {
    expect(s.guests.map((g) => g.killed)).toEqual(['bad dma key 0x4002', 'bad sending DMA key', null]);
    expect(picked(s, 0)).toEqual(['killed: bad dma key 0x4002', 'skipped']);
    expect(picked(s, 1)).toEqual(['killed: bad sending DMA key', 'skipped']);
    expect(picked(s, 2)).toEqual([0, 1]);
  },
  'irq-order.json': (s, m) => {
    expect(picked(s, 0)).toEqual([1, 1, 1, 3, 5, 9]);
    expect(eventsOf(m, EventKind.IRQ_RAISE, 0).map((e) => e.a)).toEqual([9, 3, 5]);
    expect(eventsOf(m, EventKind.IRQ_DELIVER, 0).map((e) => e.a)).toEqual([3, 5, 9]);
  },
};

/** The CLI with files read from disk and stdout captured. */
function cli(args: readonly string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    writeFile: () => {
      throw new Error('the examples test writes no files');
    },
  };
  return { code: runCommand(args, io), out, err };
}

describe('examples/', () => {
  it('has examples, each with a description and an entry in README.md and in this test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(4);
    const readme = readFileSync(DIR + 'README.md', 'utf8');
    for (const f of FILES) {
      expect(readme, `README.md lists ${f}`).toContain(`(${f})`);
      expect(OUTCOMES[f], `an outcome check for ${f}`).toBeDefined();
    }
    expect(Object.keys(OUTCOMES).sort()).toEqual(FILES);
  });

  for (const f of FILES) {
    it(`${f} validates, runs and shows what its description promises`, () => {
      const text = readFileSync(DIR + f, 'utf8');
      const r = parseScenario(text);
      if (!r.ok) throw new Error(`${f}: ${r.error.message}`);
      expect(r.value.description?.length ?? 0).toBeGreaterThan(80);
      expect(r.value.name).toBe(f.replace(/\.json$/, ''));
      const m = new Machine(r.value);
      m.runUntilIdle();
      expect(m.isIdle()).toBe(true);
      const s = summarize(m);
      OUTCOMES[f](s, m);

      // `npm run -s cli -- run --scenario examples/FILE --json` gives the same document.
      const c = cli(['--scenario', DIR + f, '--json']);
      expect(c.err).toBe('');
      expect(c.code).toBe(0);
      const fromCli = JSON.parse(c.out) as MachineSummary;
      expect(fromCli.hash).toBe(s.hash);
      expect(fromCli.guests).toEqual(JSON.parse(JSON.stringify(s.guests)));
    });
  }
});
