/**
 * Frame-time statistics for `npm run bench:ui`: from the performance.now()
 * taken at the start of each requestAnimationFrame callback (STACK.md: the
 * rAF timestamp argument hides long tasks), the deltas between consecutive
 * frames and their percentiles. Nearest-rank percentiles: a reported p95 is a
 * frame time that actually happened.
 */

export interface FrameStats {
  readonly frames: number;
  readonly span_ms: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Deltas over 1.5 frames (25 ms at 60 Hz): a frame was missed. */
  readonly missed: number;
}

/** Nearest-rank percentile of ascending `sorted` (q in (0, 1]). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Stats of the deltas between consecutive frame starts (ms). */
export function frameStats(starts: readonly number[]): FrameStats {
  const d: number[] = [];
  for (let i = 1; i < starts.length; i++) d.push(starts[i] - starts[i - 1]);
  const s = [...d].sort((a, b) => a - b);
  return {
    frames: d.length,
    span_ms: starts.length > 1 ? Math.round(starts[starts.length - 1] - starts[0]) : 0,
    p50: r2(percentile(s, 0.5)),
    p95: r2(percentile(s, 0.95)),
    p99: r2(percentile(s, 0.99)),
    max: r2(s[s.length - 1] ?? NaN),
    missed: d.filter((x) => x > 25).length,
  };
}
