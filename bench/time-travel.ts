/**
 * `replay_events_per_s` and `seek_ms_p95` (issue #5, #6): a recording of a
 * net-preset ping flood of about a million events is replayed from scratch
 * (what opening a share link costs), then seeks jump to random events of the
 * run through the checkpoints (src/machine/checkpoints.ts), as the timeline
 * scrubber does.
 */
import { Checkpoints } from '../src/machine/checkpoints.ts';
import { Machine } from '../src/machine/machine.ts';
import { PRESETS } from '../src/scenario/presets.ts';
import { validateScenario, type Scenario } from '../src/scenario/scenario.ts';
import { makeRecording, recordingScenario } from '../src/trace/recording.ts';
import { PAGE_CHECKPOINT_INTERVAL } from '../src/worker/session-core.ts';
import { figure, type Benchmark } from './benchmark.ts';

const alloc = (n: number): ArrayBuffer => new ArrayBuffer(n);
/** Echo requests in the flood: about ten events each, so about a million events. */
const PINGS = 100_000;
/** Random seeks measured per run. */
const SEEKS = 60;

function netScenario(): Scenario {
  const r = validateScenario(PRESETS.net);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Record the flood once: the scenario with its stamped inputs. */
function recordFlood(pings: number): { scenario: Scenario; events: number; hash: string } {
  const m = new Machine(netScenario(), { alloc });
  m.runUntilIdle();
  m.typeInput(0, `ping 1 ${pings}\r`);
  m.runUntilIdle(50_000_000);
  if (!m.consoleText(0).includes(`${pings} transmitted, ${pings} received`)) throw new Error('replay bench: the flood did not complete');
  const rs = recordingScenario(makeRecording({ preset: 'net' }, m.inputLog));
  if (!rs.ok) throw new Error(rs.error.message);
  return { scenario: rs.value, events: m.events.count, hash: m.hash() };
}

/** Deterministic pseudo-random sequence (the bench must not depend on Math.random for its sample set). */
function* lcg(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x / 0x1_0000_0000;
  }
}

export const timeTravel: Benchmark = {
  name: 'time_travel',
  summary: 'replay a ~1M-event recording from scratch (events/s) and seek to random events in it (ms)',
  // Every seek here is within the last 1 M events (issue #15: p95 ≤ 100 ms there).
  targets: [{ figure: 'seek_ms_p95', atMost: 100 }],
  run(opts) {
    const scale = opts.scale ?? 1;
    const pings = Math.max(10, Math.round(PINGS * scale));
    const seeks = Math.max(3, Math.round(SEEKS * Math.min(1, scale * 10)));
    const rec = recordFlood(pings);
    const replayRates: number[] = [];
    const seekP95: number[] = [];
    const seekP50: number[] = [];
    let checkpoints = 0;
    let pages = 0;
    const rand = lcg(0x1e55);
    // --runs and --quick are honoured: as many replays as asked, at most 5 (each replays the whole flood).
    const runs = Math.max(1, Math.min(opts.runs, 5));
    for (let r = 0; r < runs; r++) {
      const m = new Machine(rec.scenario, { alloc });
      // Checkpointed as the page's session checkpoints (src/worker/session-core.ts).
      const cps = new Checkpoints(m, PAGE_CHECKPOINT_INTERVAL);
      const t0 = performance.now();
      for (;;) {
        cps.beforeStep();
        if (!m.step()) break;
      }
      const ms = performance.now() - t0;
      if (m.events.count !== rec.events || m.hash() !== rec.hash) throw new Error('replay bench: the replay diverged from the recording');
      replayRates.push((m.events.count * 1000) / ms);
      checkpoints = cps.count;
      pages = cps.pagesStored;
      const times: number[] = [];
      const total = m.events.count;
      for (let k = 0; k < seeks; k++) {
        const target = Math.floor(rand.next().value! * (total - 1));
        const s0 = performance.now();
        if (!cps.seek(target)) throw new Error(`seek to ${target} failed`);
        times.push(performance.now() - s0);
        if (m.events.count !== Math.max(target + 1, cps.counts()[0])) throw new Error(`seek to ${target} showed ${m.events.count} events`);
      }
      times.sort((a, b) => a - b);
      seekP50.push(times[Math.floor(times.length * 0.5)]);
      seekP95.push(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]);
    }
    return {
      replay_events_per_s: figure('events/s', replayRates),
      seek_ms_p95: figure('ms', seekP95),
      seek_ms_p50: figure('ms', seekP50),
      time_travel_workload: `net preset, 'ping 1 ${pings}': ${rec.events} events; ${checkpoints} checkpoints holding ${pages} page versions; ${seeks} random seeks per run`,
    };
  },
};
