/**
 * How busy the machine's CPUs were over a stretch of time (Linux /proc; null
 * elsewhere), as a share of all cores (0..1): in all, and by processes other
 * than the browser and this script. `npm run bench:ui` reports both for each
 * window it measures: the worker, the page, the compositor and the GPU
 * process share the cores, and on a shared machine another process (a test
 * run) skews the frame times; `other` says when that happened.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface CpuTicks {
  readonly busy: number;
  readonly total: number;
  /** Ticks (user + system) of this script and its descendants (the browser: its renderers run as "memfd:…" zygote children). */
  readonly ours: number;
}

function processStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // After the comm: state(0) ppid(1) ... utime(11) stime(12) (proc(5) fields 4, 14 and 15).
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

/** CPU ticks of this process and all its descendants (a process that exited in between is not counted). */
function ourTicks(): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = processStat(Number(name));
    if (st) stats.set(Number(name), st);
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === process.pid) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let sum = 0;
  for (const [pid, st] of stats) if (ours(pid)) sum += st.ticks;
  return sum;
}

function ticks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total, ours: ourTicks() };
  } catch {
    return null;
  }
}

export interface CpuShare {
  /** Busy share of all cores. */
  readonly busy: number;
  /** Busy share of all cores spent by other processes than the browser and this script. */
  readonly other: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Start measuring; the returned function gives the shares since (null where /proc is missing). */
export function cpuBusy(): () => CpuShare | null {
  const a = ticks();
  return () => {
    const b = ticks();
    if (!a || !b || b.total === a.total) return null;
    const total = b.total - a.total;
    const busy = b.busy - a.busy;
    // Process ticks are per process, /proc/stat's per core: both are clock ticks, so the shares compare.
    const other = Math.max(0, busy - (b.ours - a.ours));
    return { busy: r3(busy / total), other: r3(other / total) };
  };
}

/** The shares over the next `ms` (sampled before a run: was the machine quiet?). */
export async function sampleCpuBusy(ms: number): Promise<CpuShare | null> {
  const done = cpuBusy();
  await new Promise((r) => setTimeout(r, ms));
  return done();
}
