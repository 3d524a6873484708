/**
 * `dma_copy`, `memcpy`, `dma_vs_memcpy` (issue #6): one SEND_DMA of a
 * 16 × 4096-byte lguest_dma into a bound receiver through the real Host
 * (hypercall → sendDma → dma_transfer, spec §2.4), against the same bytes
 * copied with TypedArray.prototype.set. The two are measured as a pair, so
 * the ratio comes from runs side by side (bench/measure.ts).
 */
import { figure, type Benchmark } from './benchmark.ts';
import { BULK_BYTES, buildDmaFixture, bulkMemcpyLoop, bulkSendLoop, verifyBulkSend } from './dma-fixture.ts';
import { calibrate, loopTrial, samplePair } from './measure.ts';

const MB = 1e6;

export const dmaCopy: Benchmark = {
  name: 'dma_copy',
  summary: 'SEND_DMA of 16 × 4096 bytes into a bound receiver vs TypedArray.set of the same bytes (MB/s, ratio)',
  targets: [{ figure: 'dma_vs_memcpy', atLeast: 0.9 }],
  run(opts) {
    const f = buildDmaFixture();
    verifyBulkSend(f);
    const send = bulkSendLoop(f);
    const copy = bulkMemcpyLoop(f);
    // Each send records 3 events (HCALL, DMA, IRQ_RAISE); emptying the log before a run keeps its
    // growth (a reallocation now and then) out of the copy figure. sim_events_per_s charges it.
    const resetLog = (): void => f.machine.events.setCount(0);
    const nSend = calibrate(send, opts.runMs, resetLog);
    const nCopy = calibrate(copy, opts.runMs);
    const r = samplePair(loopTrial(send, nSend, resetLog), loopTrial(copy, nCopy), opts);
    return {
      dma_copy: figure('MB/s', r.a.map((ops) => (ops * BULK_BYTES) / MB)),
      memcpy: figure('MB/s', r.b.map((ops) => (ops * BULK_BYTES) / MB)),
      dma_vs_memcpy: figure('ratio', r.a.map((ops, i) => ops / r.b[i])),
    };
  },
};
