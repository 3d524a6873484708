/**
 * The named benchmarks `npm run bench` runs, in order (issue #6). Each adds
 * its figures to the one JSON object. To add one, write a `Benchmark`
 * (bench/benchmark.ts) in its own file and list it here; planned next:
 * `replay_events` (replay_events_per_s), `seek` (seek_ms_p95) and
 * `link_bytes` (link_bytes_per_min).
 */
import type { Benchmark } from './benchmark.ts';
import { dmaCopy } from './dma-copy.ts';
import { simEvents } from './sim-events.ts';
import { smallHypercalls } from './small-hypercalls.ts';

export const BENCHMARKS: readonly Benchmark[] = [dmaCopy, smallHypercalls, simEvents];
