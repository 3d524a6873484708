/**
 * `sim_events_per_s` and `event_recording_share` (issue #6): the whole
 * simulator (scheduler, guest programs, Launchers, Host) on one workload
 * (bench/sim-workloads.ts), in events recorded per second of wall time.
 *
 * The recording share comes from a second Machine instance running the same
 * deterministic work with `events.push` replaced by a counter: share =
 * 1 − t(counter) / t(recording), per pair of side-by-side runs. Both runs
 * must count the same number of events, which checks they did the same work.
 */
import type { Machine } from '../src/machine/machine.ts';
import { figure, type Benchmark } from './benchmark.ts';
import { runTrial, samplePair, type Trial } from './measure.ts';
import { chooseSimWorkload, type SimWorkload } from './sim-workloads.ts';

/** Replace the log's push with a counter (this Machine only); returns a reader of the count. */
function muteEvents(m: Machine): () => number {
  let n = 0;
  m.events.push = (): void => {
    n++;
  };
  return () => n;
}

/** A trial of `size` units of the workload; reports events per second, recording or muted. */
function simTrial(w: SimWorkload, size: number, mute: boolean, counted: number[]): Trial {
  return () => {
    const run = w.prepare(size);
    const muted = mute ? muteEvents(run.machine) : null;
    const before = muted ? muted() : run.machine.events.count;
    let events = 0;
    return {
      run() {
        run.drive();
        events = (muted ? muted() : run.machine.events.count) - before;
        return events;
      },
      after() {
        counted.push(events);
        run.verify();
      },
    };
  };
}

/** Size so that one drive takes about `runMs` (two probes; the second scaled from the first). */
function calibrateSize(w: SimWorkload, runMs: number): number {
  let size = w.initialSize;
  for (let probe = 0; probe < 3; probe++) {
    const run = w.prepare(size);
    const t0 = performance.now();
    run.drive();
    const ms = performance.now() - t0;
    run.verify();
    const next = Math.max(w.minSize, Math.round((size * runMs) / Math.max(ms, 1e-3)));
    if (ms >= runMs / 4 && probe > 0) return next;
    size = Math.min(next, size * 16);
  }
  return size;
}

export const simEvents: Benchmark = {
  name: 'sim_events',
  summary: 'whole simulator on a ping flood (events/s), and the share of that time spent recording events',
  targets: [],
  run(opts) {
    const { workload, fallbackReason } = chooseSimWorkload();
    const size = calibrateSize(workload, opts.runMs);
    const recorded: number[] = [];
    const mutedCounts: number[] = [];
    // One untimed pass of each first, so a broken workload fails before the long sampling.
    runTrial(simTrial(workload, size, false, recorded));
    runTrial(simTrial(workload, size, true, mutedCounts));
    const r = samplePair(simTrial(workload, size, false, recorded), simTrial(workload, size, true, mutedCounts), opts);
    const all = new Set([...recorded, ...mutedCounts]);
    if (all.size !== 1) throw new Error(`sim_events: runs counted different event totals ${[...all].join(', ')}; the workload is not deterministic`);
    return {
      sim_events_per_s: figure('events/s', r.a),
      event_recording_share: figure('share', r.a.map((rate, i) => 1 - rate / r.b[i])),
      sim_workload: `${workload.description}; ${size} ${workload.sizeUnit} (${recorded[0]} events) per run`,
      ...(fallbackReason !== null ? { sim_workload_fallback_reason: `building the net preset failed: ${fallbackReason}` } : {}),
    };
  },
};
