/**
 * `small_hypercalls_per_s`, `bare_loop_per_s`, `small_hypercalls_vs_bare`
 * (issue #6, #15): per second, on one core, one round of SEND_DMA of a single
 * 64-byte section to a bound shared key, the receiver's irq raised by
 * dma_transfer (spec §2.4 step 4) and delivered by maybe_do_interrupt (§6).
 * What one round is: bench/dma-fixture.ts smallRoundLoop. This is the
 * per-hypercall overhead of the Host: the copy itself is 64 bytes. The bare
 * loop (bareRoundLoop: two word reads, a 64-byte TypedArray.set, a bit set)
 * runs as a pair with it, so the ratio comes from runs side by side.
 */
import { figure, type Benchmark } from './benchmark.ts';
import { bareRoundLoop, buildDmaFixture, smallRoundLoop, verifyBareRound, verifySmallRound } from './dma-fixture.ts';
import { calibrate, loopTrial, samplePair } from './measure.ts';

export const smallHypercalls: Benchmark = {
  name: 'small_hypercalls',
  summary: 'SEND_DMA of one 64-byte section to a bound key plus the interrupt delivery, per second, against the bare loop',
  targets: [
    { figure: 'small_hypercalls_per_s', atLeast: 3_000_000 },
    { figure: 'small_hypercalls_vs_bare', atLeast: 0.33 },
  ],
  run(opts) {
    const f = buildDmaFixture();
    verifyBareRound(f);
    verifySmallRound(f);
    const round = smallRoundLoop(f);
    const bare = bareRoundLoop(f);
    // 4 events per round (HCALL, DMA, IRQ_RAISE, IRQ_DELIVER); see dma-copy.ts for why the log is emptied.
    const resetLog = (): void => f.machine.events.setCount(0);
    const n = calibrate(round, opts.runMs, resetLog);
    const nBare = calibrate(bare, opts.runMs);
    const r = samplePair(loopTrial(round, n, resetLog), loopTrial(bare, nBare), opts);
    verifySmallRound(f);
    return {
      small_hypercalls_per_s: figure('rounds/s', r.a),
      bare_loop_per_s: figure('rounds/s', r.b),
      small_hypercalls_vs_bare: figure('ratio', r.a.map((ops, i) => ops / r.b[i])),
    };
  },
};
