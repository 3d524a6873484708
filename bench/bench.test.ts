/**
 * The benchmarks measure real work: each fixture's check passes, and a quick
 * run reports every figure. No timing is asserted here, ever (issue #6): a
 * figure only has to be a finite number.
 */
import { describe, expect, it } from 'vitest';
import { isFigure } from './benchmark.ts';
import { buildDmaFixture, verifyBulkSend, verifySmallRound } from './dma-fixture.ts';
import { BENCHMARKS } from './registry.ts';
import { kernelPingFlood, scriptedPingPong } from './sim-workloads.ts';

/** One run of a thousandth of each fixed-size workload: a smoke test of seconds, not a measurement. */
const TINY = { runs: 1, warmupMs: 0, runMs: 1, scale: 0.001 };

describe('bench fixtures', () => {
  it('a bulk SEND_DMA moves all 16 pages into the bound receiver and raises its irq', () => {
    verifyBulkSend(buildDmaFixture());
  });

  it('a small round moves 64 bytes and delivers the interrupt', () => {
    verifySmallRound(buildDmaFixture());
  });

  it('the scripted ping-pong stand-in completes every round', () => {
    const run = scriptedPingPong.prepare(5);
    run.drive();
    expect(() => run.verify()).not.toThrow();
  });

  it('the kernel ping flood gets one reply per ping', () => {
    const run = kernelPingFlood.prepare(kernelPingFlood.minSize);
    run.drive();
    expect(() => run.verify()).not.toThrow();
  });
});

describe('bench registry', () => {
  // The time-travel benchmark replays a ~1M-event recording even in a quick run: on a busy
  // shared machine that takes longer than the default 60 s (no timing is asserted, only finiteness).
  it('every benchmark reports its target figures as finite numbers', { timeout: 600_000 }, () => {
    for (const b of BENCHMARKS) {
      const out = b.run(TINY);
      for (const t of b.targets) {
        const f = out[t.figure];
        expect(isFigure(f) && Number.isFinite(f.median)).toBe(true);
      }
    }
  });
});
