/**
 * A long session kept the way the page's worker keeps it (issue #15): a
 * Session (src/worker/session.ts) with its bounded event window, checkpoints
 * thinned with age, the fixed-size timeline bins and the panels' facts,
 * running the net preset's counted ping flood. bench/long-session.ts does
 * the work in a child process, bundled as the page's worker is.
 *
 * - `bytes_per_event`: memory the session retains (JS heap + array buffers
 *   after a full GC) per event after 10 M events, counted from the booted
 *   session (its two 16 MiB guests, the live block and the bins exist
 *   before the flood and do not grow with it: `fixed_mb`).
 * - `seek_recent_ms_p95`: `goToEvent` (what a click does, the state hash
 *   included) to random events in the last 1 M events, p95.
 * - `seek_any_ms_p95`: the same anywhere in the run, which goes on to 20 M
 *   events (`--long`: 100 M, about ten minutes here); checkpoints are as
 *   dense at any length past the first million, so the figure does not grow
 *   with the run (bench/README.md has a 100 M-event measurement).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { figure, type Benchmark } from './benchmark.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Echo requests (about ten events each): 10 M events for bytes_per_event. */
const MEMORY_PINGS = 1_000_000;

interface LongRun {
  events: number;
  total: number;
  runMs: number;
  empty: number;
  before: number;
  after: number;
  afterLong: number;
  recent: number;
  any: number;
  recentLong: number;
  eventsPerS: number;
}

export function runLongSession(memoryPings: number, longPings: number): LongRun {
  const out = join(mkdtempSync(join(tmpdir(), 'lguest-lab-bench-')), 'long-session.mjs');
  buildSync({ entryPoints: [resolve(ROOT, 'bench/long-session.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
  const r = spawnSync(process.execPath, ['--expose-gc', out, String(memoryPings), String(longPings)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`retained_memory: the child exited ${r.status}: ${r.stderr.slice(-800)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as LongRun;
}

export const retainedMemory: Benchmark = {
  name: 'retained_memory',
  summary: 'a page session (bounded event window, thinned checkpoints) on a long net flood: bytes per event at 10 M events, seeks in the last 1 M and anywhere',
  targets: [
    { figure: 'bytes_per_event', atMost: 4 },
    { figure: 'seek_recent_ms_p95', atMost: 100 },
    { figure: 'seek_any_ms_p95', atMost: 1000 },
  ],
  run(opts) {
    // --quick and the unit test's tiny runs: 100x shorter.
    const small = opts.runMs < 100;
    const memoryPings = small ? MEMORY_PINGS / 100 : MEMORY_PINGS;
    const longPings = small ? memoryPings * 2 : (opts.long ? 10 : 2) * MEMORY_PINGS;
    const r = runLongSession(memoryPings, longPings);
    if (r.after < r.before) throw new Error(`retained_memory: retained less after the run than before (${r.before} -> ${r.after} bytes)`);
    return {
      bytes_per_event: figure('bytes/event', [(r.after - r.before) / r.events]),
      seek_recent_ms_p95: figure('ms', [r.recent]),
      seek_any_ms_p95: figure('ms', [r.any]),
      fixed_mb: figure('MB', [(r.before - r.empty) / 1e6]),
      retained_memory_workload: `net preset, 'ping 1 ${memoryPings}': ${r.events} events at ${Math.round(r.eventsPerS)} events/s, retained ${((r.after - r.before) / 1e6).toFixed(1)} MB; on to ${r.total} events: ${((r.afterLong - r.before) / 1e6).toFixed(1)} MB, seeks in its last 1 M p95 ${r.recentLong.toFixed(1)} ms (heap + array buffers after a full GC; one run, 40 seeks each)`,
    };
  },
};
