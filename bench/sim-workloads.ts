/**
 * Whole-simulator workloads for `sim_events_per_s` (issue #6).
 *
 * - `kernelPingFlood`: the 'net' preset (two built-in kernel guests on one
 *   --sharenet network); guest 0's shell runs `ping 1 N`, a counted ping
 *   that sends the next echo request as each reply arrives and, above 10,
 *   prints only the summary line: a flood of fixed size, run until idle.
 *   Needs src/machine/programs.ts to create LguestKernel; if building the
 *   preset throws, the stand-in below is used and the JSON says why.
 * - `scriptedPingPong`: the stand-in: two scripted guests that each bind a
 *   64-byte receive buffer on a shared key and take turns: SEND_DMA to the
 *   other, `wait` for its reply interrupt, re-arm (used_len := 0). Scripts
 *   have no loops, so a run of N rounds is a script of 3N steps per guest.
 *
 * A workload builds and boots a machine untimed; its `drive` is the timed
 * part. `verify` (untimed, after) proves the work happened.
 */
import { PRESETS } from '../src/scenario/presets.ts';
import { Machine } from '../src/machine/machine.ts';
import { validateScenario, type Scenario, type ScenarioInput } from '../src/scenario/scenario.ts';
import { hcall, packBind, wait, writeDma, writeText, yieldStep } from '../src/guest/script-builders.ts';
import { ScriptGuest } from '../src/guest/script-guest.ts';
import type { ScriptStep } from '../src/guest/script-step.ts';

export interface PreparedRun {
  readonly machine: Machine;
  /** The timed part. */
  drive(): void;
  /** Untimed, after `drive`: throws unless the workload did what it says. */
  verify(): void;
}

export interface SimWorkload {
  /** What `sim_workload` says in the JSON. */
  readonly description: string;
  /** The unit of `size` (echo requests, rounds). */
  readonly sizeUnit: string;
  /** A first guess at a size that runs for a while; calibration scales it. */
  readonly initialSize: number;
  /** The smallest size `prepare` accepts. */
  readonly minSize: number;
  prepare(size: number): PreparedRun;
}

function validated(input: ScenarioInput, what: string): Scenario {
  const r = validateScenario(input);
  if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
  return r.value;
}

// ---- the built-in kernel on the net preset -------------------------------

const BOOT_QUANTA = 2_000_000;
/** Quanta one echo request and its reply may take before the run is declared stuck. */
const QUANTA_PER_PING = 1_000;
/** The shell prints each reply of a counted ping up to this count; above it only the summary (quiet). */
const QUIET_ABOVE = 10;

export const kernelPingFlood: SimWorkload = {
  description: "net preset: two LguestKernel guests; guest 0's shell runs 'ping 1 N' (a quiet counted flood: one echo request per reply) until idle",
  sizeUnit: 'echo requests',
  initialSize: 200,
  minSize: QUIET_ABOVE + 1,
  prepare(size) {
    if (size < QUIET_ABOVE + 1) throw new RangeError(`ping flood of ${size}: at least ${QUIET_ABOVE + 1} (smaller counted pings print every reply)`);
    const machine = new Machine(validated(PRESETS.net, 'preset net'));
    if (machine.runUntilIdle(BOOT_QUANTA) >= BOOT_QUANTA) throw new Error('net preset: boot never went idle');
    const textBefore = machine.consoleText(0).length;
    return {
      machine,
      drive() {
        machine.typeInput(0, `ping 1 ${size}\n`);
        const budget = QUANTA_PER_PING * size;
        if (machine.runUntilIdle(budget) >= budget) throw new Error(`net preset: 'ping 1 ${size}' never went idle`);
      },
      verify() {
        const want = `--- guest 1 ping: ${size} transmitted, ${size} received, 0% loss`;
        const text = machine.consoleText(0).slice(textBefore);
        if (!text.includes(want)) throw new Error(`net preset: expected "${want}" on guest 0's console, got ${JSON.stringify(text.slice(-200))}`);
      },
    };
  },
};

// ---- the scripted stand-in -----------------------------------------------

const PP_RAM = 0x20000;
const PP_SHARED = 0x40000;
/** Guest i receives on key PP_SHARED + 4*i, irq 1. */
const ppKey = (guest: number): number => PP_SHARED + 4 * guest;
const PP_IRQ = 1;
const PP_RX_DMA = 0x2000;
const PP_TX_DMA = 0x2100;
const PP_RX_BUF = 0x3000;
const PP_TX_BUF = 0x3100;
const PP_BYTES = 64;

export function pingPongScenario(rounds: number): Scenario {
  const setup = (me: number): ScriptStep[] => [
    ...writeDma(PP_RX_DMA, [{ addr: PP_RX_BUF, len: PP_BYTES }]),
    hcall('BIND_DMA', ppKey(me), PP_RX_DMA, packBind(1, PP_IRQ)),
    ...writeDma(PP_TX_DMA, [{ addr: PP_TX_BUF, len: PP_BYTES }]),
    writeText(PP_TX_BUF, `ping-pong payload from guest ${me}`),
  ];
  const rearm: ScriptStep = { op: 'write', addr: PP_RX_DMA, u32: [0] };
  // Guest 0 serves first, but only after guest 1 has bound its key (the yield lets it run).
  const a: ScriptStep[] = [...setup(0), yieldStep];
  const b: ScriptStep[] = setup(1);
  for (let r = 0; r < rounds; r++) {
    a.push(hcall('SEND_DMA', ppKey(1), PP_TX_DMA), wait, rearm);
    b.push(wait, rearm, hcall('SEND_DMA', ppKey(0), PP_TX_DMA));
  }
  return validated(
    {
      name: 'bench-ping-pong',
      guests: [
        { kernel: 'script', memory: PP_RAM, script: a },
        { kernel: 'script', memory: PP_RAM, script: b },
      ],
      shared: [{ pages: 1, map: [{ guest: 0, gpa: PP_SHARED }, { guest: 1, gpa: PP_SHARED }] }],
    },
    'bench ping-pong scenario',
  );
}

export const scriptedPingPong: SimWorkload = {
  description:
    'stand-in until src/machine/programs.ts creates LguestKernel: two scripted guests ping-ponging 64-byte SEND_DMAs on shared keys (send, wait for the reply irq, re-arm), until idle',
  sizeUnit: 'rounds',
  initialSize: 2000,
  minSize: 1,
  prepare(size) {
    const machine = new Machine(pingPongScenario(size));
    return {
      machine,
      drive() {
        machine.runUntilIdle(Number.MAX_SAFE_INTEGER);
      },
      verify() {
        machine.programs.forEach((p, i) => {
          if (!(p instanceof ScriptGuest)) throw new Error('ping-pong: not a scripted guest');
          const g = machine.host.guests[i];
          if (g?.dead !== null) throw new Error(`ping-pong: guest ${i} died: ${g?.dead ?? 'missing'}`);
          if (p.pc !== p.steps.length) throw new Error(`ping-pong: guest ${i} stopped at step ${p.pc} of ${p.steps.length}`);
          const lastWait = p.steps.findLastIndex((s) => s.op === 'wait');
          if (p.results[lastWait]?.irq !== PP_IRQ) throw new Error(`ping-pong: guest ${i}'s last wait got ${JSON.stringify(p.results[lastWait])}`);
        });
      },
    };
  },
};

/** The kernel workload when the net preset builds, else the stand-in and why. */
export function chooseSimWorkload(): { workload: SimWorkload; fallbackReason: string | null } {
  try {
    new Machine(validated(PRESETS.net, 'preset net'));
    return { workload: kernelPingFlood, fallbackReason: null };
  } catch (e) {
    return { workload: scriptedPingPong, fallbackReason: e instanceof Error ? e.message : String(e) };
  }
}
