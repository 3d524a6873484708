/**
 * What a benchmark is (bench/registry.ts lists them) and what it reports:
 * named figures, each a median with its spread and unit, plus plain notes
 * (e.g. `sim_workload`). `npm run bench` merges every benchmark's figures
 * into one JSON object (bench/README.md).
 */
import { spread, type SampleOptions } from './measure.ts';

/** One measured figure: the median of the timed runs and their spread. */
export interface Figure {
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Interquartile range [q1, q3]. */
  readonly iqr: readonly [number, number];
  readonly runs: number;
}

/** A figure, or a note that says what was measured. */
export type FigureValue = Figure | string;

/** A bound a figure's median should reach (issue #6, #15): at least or at most. */
export type Target = { readonly figure: string; readonly atLeast: number; readonly atMost?: undefined } | { readonly figure: string; readonly atMost: number; readonly atLeast?: undefined };

/** Whether `value` meets target `t`. */
export function targetMet(t: Target, value: number): boolean {
  return t.atMost !== undefined ? value <= t.atMost : value >= t.atLeast;
}

/** The bound as text: ">= 0.33", "<= 4". */
export function boundText(t: Target): string {
  return t.atMost !== undefined ? `<= ${t.atMost}` : `>= ${t.atLeast}`;
}

export interface Benchmark {
  /** Registry name, as given to `--only`. */
  readonly name: string;
  /** One line for `--list`. */
  readonly summary: string;
  readonly targets: readonly Target[];
  run(opts: SampleOptions): Readonly<Record<string, FigureValue>>;
}

/** Significant digits kept in the JSON: more would only report noise. */
function round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.abs(x) >= 1000 ? 0 : 4 - Math.ceil(Math.log10(Math.abs(x)));
  const f = 10 ** Math.max(0, digits);
  return Math.round(x * f) / f;
}

/** A figure from per-run values. */
export function figure(unit: string, values: readonly number[]): Figure {
  const s = spread(values);
  return { unit, median: round(s.median), min: round(s.min), max: round(s.max), iqr: [round(s.q1), round(s.q3)], runs: s.runs };
}

export function isFigure(v: FigureValue | undefined): v is Figure {
  return typeof v === 'object' && v !== null && 'median' in v;
}
