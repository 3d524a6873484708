/**
 * `bytes_per_event` (issue #15): memory the simulator retains per recorded
 * event after a long net flood, the way the page's worker keeps a session: a
 * Machine with its Checkpoints, every event in the log. Retained memory is
 * the JS heap plus array buffers after a full garbage collection, minus the
 * same before the machine was built, over the events recorded. The target
 * (≤ 4) needs the session to keep full events only for a recent window
 * (issue #15, "events are a cache"); today every event stays.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Checkpoints } from '../src/machine/checkpoints.ts';
import { Machine } from '../src/machine/machine.ts';
import { PRESETS } from '../src/scenario/presets.ts';
import { validateScenario } from '../src/scenario/scenario.ts';
import { figure, type Benchmark } from './benchmark.ts';

/** Echo requests for the default run (about ten events each: 10 M events). */
const FULL_PINGS = 1_000_000;

/** A full collection, whether or not node runs with --expose-gc. */
function fullGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function retainedBytes(): number {
  fullGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export const retainedMemory: Benchmark = {
  name: 'retained_memory',
  summary: 'memory a session (Machine + Checkpoints) retains per event after a long net flood (bytes/event)',
  targets: [{ figure: 'bytes_per_event', atMost: 4 }],
  run(opts) {
    const pings = Math.max(500, Math.min(FULL_PINGS, Math.round((FULL_PINGS * opts.runMs) / 200)));
    const r = validateScenario(PRESETS.net);
    if (!r.ok) throw new Error(r.error.message);
    const before = retainedBytes();
    const m = new Machine(r.value, { alloc: (n) => new ArrayBuffer(n) });
    const cps = new Checkpoints(m);
    const run = (): void => {
      for (;;) {
        cps.beforeStep();
        if (!m.step()) break;
      }
    };
    run();
    m.typeInput(0, `ping 1 ${pings}\r`);
    run();
    if (!m.consoleText(0).includes(`${pings} transmitted, ${pings} received`)) throw new Error('retained_memory: the flood did not complete');
    const after = retainedBytes();
    const events = m.events.count;
    // A negative difference means the baseline still held freed buffers (they are released lazily).
    if (after < before) throw new Error(`retained_memory: retained less after the run than before (${before} -> ${after} bytes); run it first or alone`);
    return {
      bytes_per_event: figure('bytes/event', [(after - before) / events]),
      retained_memory_workload: `net preset, 'ping 1 ${pings}': ${events} events, ${cps.count} checkpoints; retained ${Math.round((after - before) / 1e6)} MB (heap + array buffers after a full GC; one run)`,
    };
  },
};
