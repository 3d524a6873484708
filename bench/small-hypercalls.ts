/**
 * `small_hypercalls_per_s` (issue #6): per second, on one core, one round of
 * SEND_DMA of a single 64-byte section to a bound shared key, the receiver's
 * irq raised by dma_transfer (spec §2.4 step 4) and delivered by
 * maybe_do_interrupt (§6). What one round is: bench/dma-fixture.ts
 * smallRoundLoop. This is the per-hypercall overhead of the Host: the copy
 * itself is 64 bytes.
 */
import { figure, type Benchmark } from './benchmark.ts';
import { buildDmaFixture, smallRoundLoop, verifySmallRound } from './dma-fixture.ts';
import { calibrate, loopTrial, sample } from './measure.ts';

export const smallHypercalls: Benchmark = {
  name: 'small_hypercalls',
  summary: 'SEND_DMA of one 64-byte section to a bound key plus the interrupt delivery, per second',
  targets: [{ figure: 'small_hypercalls_per_s', atLeast: 3_000_000 }],
  run(opts) {
    const f = buildDmaFixture();
    verifySmallRound(f);
    const round = smallRoundLoop(f);
    // 4 events per round (HCALL, DMA, IRQ_RAISE, IRQ_DELIVER); see dma-copy.ts for why the log is emptied.
    const resetLog = (): void => f.machine.events.setCount(0);
    const n = calibrate(round, opts.runMs, resetLog);
    return { small_hypercalls_per_s: figure('rounds/s', sample(loopTrial(round, n, resetLog), opts)) };
  },
};
