/**
 * `cli_peak_rss_mb` (issue #15): peak resident memory of the CLI process
 * running `run --preset net --type 'ping 1 N' --json`, a quiet counted flood
 * of about 10 million events (N = 1,000,000), in a child process (node with
 * tsx, as `npm run cli` runs it). The CLI keeps no event log unless an option
 * reads it, so the figure should not grow with the run's length.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, type Benchmark } from './benchmark.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Echo requests for the default run length (about ten events each: 10 M events). */
const FULL_PINGS = 1_000_000;

interface CliRun {
  readonly peakMb: number;
  readonly events: number;
  readonly seconds: number;
}

export function measureCli(pings: number): CliRun {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', resolve(ROOT, 'bench/peak-rss.ts'), resolve(ROOT, 'src/cli/main.ts'), 'run', '--preset', 'net', '--type', `ping 1 ${pings}\\r`, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`cli_memory: the CLI exited ${r.status}: ${r.stderr.slice(-500)}`);
  const kb = /peak_rss_kb (\d+)/.exec(r.stderr);
  if (!kb) throw new Error('cli_memory: no peak_rss_kb line from the child');
  const summary = JSON.parse(r.stdout) as { events: number; guests: { console: string }[] };
  if (!summary.guests[0].console.includes(`${pings} transmitted, ${pings} received`)) throw new Error('cli_memory: the flood did not complete');
  return { peakMb: Number(kb[1]) / 1024, events: summary.events, seconds };
}

export const cliMemory: Benchmark = {
  name: 'cli_memory',
  summary: "peak RSS of `run --json` over a ~10 M-event ping flood (MB), in a child process",
  targets: [{ figure: 'cli_peak_rss_mb', atMost: 200 }],
  run(opts) {
    // The full run is ~10 M events; --quick and the test's tiny runs scale it down.
    const pings = Math.max(1000, Math.min(FULL_PINGS, Math.round((FULL_PINGS * opts.runMs) / 200)));
    const run = measureCli(pings);
    return {
      cli_peak_rss_mb: figure('MB', [run.peakMb]),
      cli_memory_workload: `run --preset net --type 'ping 1 ${pings}\\r' --json: ${run.events} events in ${run.seconds.toFixed(1)} s (one run)`,
    };
  },
};
