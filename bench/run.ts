/**
 * `npm run bench`: run the registered benchmarks (bench/registry.ts) and
 * print ONE JSON object on stdout: every figure (median, IQR, min/max, runs),
 * whether each target is met, the sampling settings and the machine.
 * `--table` also writes a readable table to stderr. No figure here is ever
 * asserted by a test: timings only inform (bench/README.md).
 *
 *   npm run -s bench [-- --table] [--only dma_copy,sim_events] [--runs N] [--quick] [--list]
 */
import { boundText, isFigure, targetMet, type FigureValue, type Target } from './benchmark.ts';
import { machineInfo } from './machine-info.ts';
import type { SampleOptions } from './measure.ts';
import { BENCHMARKS } from './registry.ts';
import { renderTable } from './table.ts';

const USAGE = 'usage: bench/run.ts [--table] [--only NAME[,NAME]] [--runs N] [--quick] [--long] [--list]';

interface Options {
  readonly table: boolean;
  readonly list: boolean;
  readonly only: readonly string[] | null;
  readonly sample: SampleOptions;
}

type Parsed = { ok: true; value: Options } | { ok: false; error: string };

const FULL: SampleOptions = { runs: 9, warmupMs: 1000, runMs: 200 };
const QUICK: SampleOptions = { runs: 3, warmupMs: 50, runMs: 20 };

function parseArgs(argv: readonly string[]): Parsed {
  let table = false;
  let list = false;
  let only: string[] | null = null;
  let sample = FULL;
  let runs: number | null = null;
  let long = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--table':
        table = true;
        break;
      case '--list':
        list = true;
        break;
      case '--quick':
        sample = QUICK;
        break;
      case '--long':
        long = true;
        break;
      case '--only': {
        const v = argv[++i] ?? '';
        only = v.split(',').filter((s) => s !== '');
        const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
        if (only.length === 0 || unknown.length > 0) return { ok: false, error: `--only ${v}: unknown benchmark; use ${BENCHMARKS.map((b) => b.name).join(', ')}` };
        break;
      }
      case '--runs': {
        const v = argv[++i];
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 1000) return { ok: false, error: `--runs ${v ?? ''}: expected a whole number from 1 to 1000` };
        runs = n;
        break;
      }
      default:
        return { ok: false, error: `${a}: unknown option; ${USAGE}` };
    }
  }
  const base = long ? { ...sample, long } : sample;
  return { ok: true, value: { table, list, only, sample: runs === null ? base : { ...base, runs } } };
}

function main(argv: readonly string[]): number {
  const p = parseArgs(argv);
  if (!p.ok) {
    process.stderr.write(`bench: ${p.error}\n`);
    return 2;
  }
  const o = p.value;
  if (o.list) {
    for (const b of BENCHMARKS) process.stdout.write(`${b.name.padEnd(18)} ${b.summary}\n`);
    return 0;
  }
  const chosen = BENCHMARKS.filter((b) => o.only === null || o.only.includes(b.name));
  const figures: Record<string, FigureValue> = {};
  const targets: Target[] = [];
  for (const b of chosen) {
    if (o.table) process.stderr.write(`bench: ${b.name}...\n`);
    Object.assign(figures, b.run(o.sample));
    targets.push(...b.targets);
  }
  // Each target: the bound (as text, and as at_least / at_most), the figure's median (`value`, and
  // `median` as before) and whether it is met (issue #15: bound, value, met).
  const met: Record<string, { bound: string; at_least?: number; at_most?: number; value: number; median: number; met: boolean }> = {};
  for (const t of targets) {
    const f = figures[t.figure];
    if (!isFigure(f)) continue;
    const side = t.atMost !== undefined ? { at_most: t.atMost } : { at_least: t.atLeast };
    met[t.figure] = { bound: boundText(t), ...side, value: f.median, median: f.median, met: targetMet(t, f.median) };
  }
  const out = {
    ...figures,
    targets: met,
    settings: { benchmarks: chosen.map((b) => b.name), runs: o.sample.runs, warmup_ms: o.sample.warmupMs, run_ms: o.sample.runMs },
    machine: machineInfo(),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  if (o.table) process.stderr.write(`\n${renderTable(figures, targets)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
