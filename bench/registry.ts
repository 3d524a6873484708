/**
 * The named benchmarks `npm run bench` runs, in order (issue #6). Each adds
 * its figures to the one JSON object. To add one, write a `Benchmark`
 * (bench/benchmark.ts) in its own file and list it here.
 */
import type { Benchmark } from './benchmark.ts';
import { dmaCopy } from './dma-copy.ts';
import { simEvents } from './sim-events.ts';
import { smallHypercalls } from './small-hypercalls.ts';
import { timeTravel } from './time-travel.ts';
import { linkBytes } from './link-bytes.ts';
import { hashScale } from './hash-scale.ts';
import { cliMemory } from './cli-memory.ts';
import { retainedMemory } from './retained-memory.ts';

// retained_memory first: its baseline must not hold other benchmarks' buffers (array buffers are freed lazily).
export const BENCHMARKS: readonly Benchmark[] = [retainedMemory, dmaCopy, smallHypercalls, simEvents, timeTravel, linkBytes, hashScale, cliMemory];
