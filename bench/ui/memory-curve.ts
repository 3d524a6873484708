/**
 * The memory curve of a long flood (issue #15, `bench:ui --memory-minutes N`):
 * performance.measureUserAgentSpecificMemory() in the page (it counts the page
 * and its same-origin worker; it needs cross-origin isolation, which the page
 * has) at the start and then once a minute, while the flood runs on.
 * Opt-in: the default run stays short.
 */
import type { Page } from 'playwright-core';

export interface MemoryPoint {
  /** Minutes since the flood's memory run started. */
  readonly minute: number;
  /** Bytes the browser attributes to the page and its worker, in MB (10^6). */
  readonly mb: number;
  /** Events the session had recorded by then. */
  readonly events: number;
  /** How long the measurement took to resolve (it waits for a garbage collection). */
  readonly measure_ms: number;
}

export interface MemoryCurve {
  readonly points: MemoryPoint[];
  /** MB at the end. */
  readonly end_mb: number;
  /** Largest growth between two minutes after the first, MB per minute. */
  readonly max_growth_mb_per_min_after_first: number | null;
}

/** A string, not a function (tsx would add a `__name` helper the page lacks). */
const MEASURE = `(async () => {
  const t0 = performance.now();
  const r = await performance.measureUserAgentSpecificMemory();
  return { bytes: r.bytes, ms: performance.now() - t0 };
})()`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function memoryCurve(page: Page, minutes: number, eventCount: () => Promise<number>): Promise<MemoryCurve> {
  const points: MemoryPoint[] = [];
  const t0 = Date.now();
  for (let k = 0; k <= minutes; k++) {
    const due = t0 + k * 60_000;
    if (Date.now() < due) await sleep(due - Date.now());
    const m = (await page.evaluate(MEASURE)) as { bytes: number; ms: number };
    points.push({ minute: Math.round((Date.now() - t0) / 600) / 100, mb: Math.round(m.bytes / 1e4) / 100, events: await eventCount(), measure_ms: Math.round(m.ms) });
    process.stderr.write(`bench:ui: memory at minute ${k}: ${points[points.length - 1].mb} MB, ${points[points.length - 1].events} events\n`);
  }
  let growth: number | null = null;
  for (let k = 2; k < points.length; k++) {
    const g = (points[k].mb - points[k - 1].mb) / Math.max(1e-9, points[k].minute - points[k - 1].minute);
    growth = growth === null ? g : Math.max(growth, g);
  }
  return { points, end_mb: points[points.length - 1].mb, max_growth_mb_per_min_after_first: growth === null ? null : Math.round(growth * 10) / 10 };
}
