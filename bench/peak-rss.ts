/**
 * Preloaded into a child process by bench/cli-memory.ts (`node --import`):
 * prints the process's peak resident set size when it exits, on stderr, as
 * `peak_rss_kb N`. On Linux it is VmHWM from /proc/self/status, the peak of
 * this program's own memory: getrusage's ru_maxrss is carried over an
 * execve, so a child spawned by a big parent (the bench, after the other
 * benchmarks) would report the parent's size.
 */
import { readFileSync } from 'node:fs';

function peakKb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    /* not Linux: getrusage below */
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  process.stderr.write(`\npeak_rss_kb ${peakKb()}\n`);
});
