/**
 * How bench/ times things: trials, warm-up, medians and spreads.
 *
 * A *trial* is an untimed setup that returns the timed part; the timed part
 * returns how many units of work it did (operations, events), and an
 * optional untimed check runs after the clock stops. Rates are
 * units per second of wall-clock time. Wall-clock time belongs here and only
 * here: bench/ measures the simulator and is not part of it (STYLE: the core
 * reads time from the machine clock, never from the host).
 *
 * Two figures that are compared (DMA vs memcpy, recording vs not) are
 * measured as a *pair*: their runs alternate, A B B A A B ..., so both see
 * the same machine state on a shared, noisy host, and each pair of runs gives
 * one ratio (bench/README.md "Measuring").
 */

/** Median and spread of a set of per-run values. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartiles (linear interpolation). */
  readonly q1: number;
  readonly q3: number;
  readonly runs: number;
}

export interface SampleOptions {
  /** Timed runs per figure (after warm-up). */
  readonly runs: number;
  /** Warm-up: keep running trials, untimed, until this much time has passed (at least two). */
  readonly warmupMs: number;
  /** What one timed run should take; loops are calibrated to it. */
  readonly runMs: number;
  /**
   * Fraction of a fixed-size workload to run (default 1): benchmarks whose
   * work is a set size rather than calibrated (time_travel's million events,
   * link_bytes's ten minutes of typing) shrink by it, so the unit smoke test
   * takes seconds. Figures from a scale below 1 are not comparable.
   */
  readonly scale?: number;
  /** `--long`: the long-session benchmark runs to 100 M events instead of 20 M. */
  readonly long?: boolean;
}

/** What a trial's setup hands back. */
export interface Timed {
  /** The timed part: does the work and says how many units it did. */
  run(): number;
  /** Untimed, after the clock stopped: check the work happened (throw if not). */
  after?(): void;
}
/** Untimed setup, returning the timed part. */
export type Trial = () => Timed;
/** A loop doing `n` operations. */
export type Loop = (n: number) => void;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function spread(values: readonly number[]): Spread {
  const s = [...values].sort((x, y) => x - y);
  return { median: quantile(s, 0.5), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, q1: quantile(s, 0.25), q3: quantile(s, 0.75), runs: s.length };
}

/** Collect garbage between runs when node runs with --expose-gc, so one run's garbage is not charged to the next. */
export function collectGarbage(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') g();
}

/** Run one trial: setup untimed, then the timed part. Returns units per second. */
export function runTrial(trial: Trial): number {
  const timed = trial();
  collectGarbage();
  const t0 = performance.now();
  const units = timed.run();
  const ms = performance.now() - t0;
  timed.after?.();
  return units / (ms / 1000);
}

function warmUp(trials: readonly Trial[], warmupMs: number): void {
  const t0 = performance.now();
  let rounds = 0;
  while (rounds < 2 || performance.now() - t0 < warmupMs) {
    for (const t of trials) runTrial(t);
    rounds++;
  }
}

/** Warm up, then `runs` timed runs of one trial; rates per run. */
export function sample(trial: Trial, opts: SampleOptions): number[] {
  warmUp([trial], opts.warmupMs);
  const out: number[] = [];
  for (let r = 0; r < opts.runs; r++) out.push(runTrial(trial));
  return out;
}

/** Two trials measured alternately (order flipped every run); rates per run of each, index-aligned. */
export function samplePair(a: Trial, b: Trial, opts: SampleOptions): { a: number[]; b: number[] } {
  warmUp([a, b], opts.warmupMs);
  const ra: number[] = [];
  const rb: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    if (r % 2 === 0) {
      ra.push(runTrial(a));
      rb.push(runTrial(b));
    } else {
      rb.push(runTrial(b));
      ra.push(runTrial(a));
    }
  }
  return { a: ra, b: rb };
}

/** A trial running `loop` `n` times, with an optional untimed reset before it. */
export function loopTrial(loop: Loop, n: number, reset?: () => void): Trial {
  return () => {
    reset?.();
    return {
      run() {
        loop(n);
        return n;
      },
    };
  };
}

/**
 * Operations per run so that one run takes about `runMs`: double n until a
 * run takes a quarter of that, then scale. The calibration runs double as a
 * first warm-up.
 */
export function calibrate(loop: Loop, runMs: number, reset?: () => void): number {
  let n = 1;
  for (;;) {
    reset?.();
    const t0 = performance.now();
    loop(n);
    const ms = performance.now() - t0;
    if (ms >= runMs / 4 || n >= 2 ** 30) return Math.max(1, Math.round((n * runMs) / Math.max(ms, 1e-3)));
    n *= 2;
  }
}
