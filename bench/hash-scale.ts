/**
 * `hash_scale_events_per_s_256mib`, `hash_scale_events_per_s_16mib`,
 * `hash_scale_256_vs_16` (issue #15): 16 built-in kernel guests on one
 * network, guest 0 ping-flooding guest 1, run the way the page's worker runs
 * them (src/worker/session.ts): checkpoints before every quantum and the
 * state hash every 400 ms of wall time. Once with 256 MiB guests, once with
 * 16 MiB guests, as a pair; the ratio says whether the hash (and the
 * checkpoints) cost what changed rather than what exists.
 */
import { Checkpoints } from '../src/machine/checkpoints.ts';
import { Machine } from '../src/machine/machine.ts';
import { validateScenario } from '../src/scenario/scenario.ts';
import { figure, type Benchmark } from './benchmark.ts';
import { samplePair, type Trial } from './measure.ts';

const MiB = 1024 * 1024;
const GUESTS = 16;
/** The session's HASH_EVERY_MS (src/worker/session.ts). */
const HASH_EVERY_MS = 400;
/** One timed run is this many of the usual run lengths (200 ms: 1.2 s, a few hashes). */
const RUN_SCALE = 6;

interface Rig {
  readonly machine: Machine;
  readonly checkpoints: Checkpoints;
}

function buildRig(memory: number): Rig {
  const r = validateScenario({
    name: `bench-hash-${memory / MiB}mib`,
    description: `bench/: ${GUESTS} guests of ${memory / MiB} MiB on one network`,
    guests: Array.from({ length: GUESTS }, () => ({ kernel: 'lguest', memory, devices: [{ type: 'net', network: 'lan' }] })),
  });
  if (!r.ok) throw new Error(`hash_scale: ${r.error.message}`);
  const machine = new Machine(r.value);
  const checkpoints = new Checkpoints(machine);
  const boot = drive(machine, checkpoints, Number.POSITIVE_INFINITY);
  if (!boot.idle) throw new Error('hash_scale: boot never went idle');
  return { machine, checkpoints };
}

/** The worker's loop: checkpoint, step, hash every HASH_EVERY_MS; until idle or `ms` passed. */
function drive(m: Machine, cps: Checkpoints, ms: number): { idle: boolean; hashes: number } {
  const t0 = performance.now();
  let last = -Infinity;
  let hashes = 0;
  for (;;) {
    cps.beforeStep();
    if (!m.step()) break;
    const now = performance.now();
    if (now - last >= HASH_EVERY_MS) {
      m.hash();
      hashes++;
      last = now;
    }
    if (now - t0 > ms) return { idle: false, hashes };
  }
  m.hash();
  return { idle: true, hashes: hashes + 1 };
}

/** One run: a counted ping of `pings` from guest 0 to guest 1, to the end. Events per second. */
function floodTrial(rig: Rig, pings: number): Trial {
  return () => {
    const m = rig.machine;
    const before = m.events.count;
    const text = m.consoleText(0).length;
    return {
      run() {
        m.typeInput(0, `ping 1 ${pings}\r`);
        const r = drive(m, rig.checkpoints, 120_000);
        if (!r.idle) throw new Error('hash_scale: the flood never went idle');
        return m.events.count - before;
      },
      after() {
        const want = `${pings} transmitted, ${pings} received`;
        if (!m.consoleText(0).slice(text).includes(want)) throw new Error(`hash_scale: expected "${want}"`);
      },
    };
  };
}

/** Pings that take about `runMs` on the small rig. */
function calibrate(rig: Rig, runMs: number): number {
  let pings = 20;
  for (let probe = 0; probe < 3; probe++) {
    const t = floodTrial(rig, pings)();
    const t0 = performance.now();
    t.run();
    const ms = performance.now() - t0;
    t.after?.();
    pings = Math.max(20, Math.round((pings * runMs) / Math.max(ms, 1)));
  }
  return pings;
}

export const hashScale: Benchmark = {
  name: 'hash_scale',
  summary: '16 guests of 256 MiB vs 16 of 16 MiB under a ping flood with checkpoints and the hash every 400 ms (events/s, ratio)',
  targets: [{ figure: 'hash_scale_256_vs_16', atLeast: 0.5 }],
  run(opts) {
    const small = buildRig(16 * MiB);
    const big = buildRig(256 * MiB);
    const runMs = opts.runMs * RUN_SCALE;
    const pings = calibrate(small, runMs);
    const runs = Math.max(1, Math.min(opts.runs, 5));
    const r = samplePair(floodTrial(big, pings), floodTrial(small, pings), { runs, warmupMs: 0, runMs });
    return {
      hash_scale_events_per_s_256mib: figure('events/s', r.a),
      hash_scale_events_per_s_16mib: figure('events/s', r.b),
      hash_scale_256_vs_16: figure('ratio', r.a.map((x, i) => x / r.b[i])),
      hash_scale_workload: `${GUESTS} LguestKernel guests on one network; guest 0 runs 'ping 1 ${pings}' per run; checkpoints every 16384 events; the state hash every ${HASH_EVERY_MS} ms and at the end`,
    };
  },
};
