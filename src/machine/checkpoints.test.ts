import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Checkpoints } from './checkpoints.ts';
import { Machine } from './machine.ts';
import { validateScenario, type ScenarioInput } from '../scenario/scenario.ts';
import { hcall, packBind, readU32, wait, writeDma, writeText, yieldStep } from '../guest/script-builders.ts';

const SHARED = 0x40000;

/** Two scripted guests ping-ponging DMAs `rounds` times: plenty of events, memory and irq traffic. */
function pingPong(rounds: number): ScenarioInput {
  const side = (me: number) => {
    const steps = [...writeDma(0x2000, [{ addr: 0x3000, len: 64 }]), hcall('BIND_DMA', SHARED + 4 * me, 0x2000, packBind(1, 2 + me))];
    for (let r = 0; r < rounds; r++) {
      steps.push(writeText(0x5000, `round ${r} from ${me}`), ...writeDma(0x4000, [{ addr: 0x5000, len: 16 }]), hcall('SEND_DMA', SHARED + 4 * (1 - me), 0x4000));
      steps.push(wait, readU32(0x2000), { op: 'write', addr: 0x2000, u32: [0] }, yieldStep);
    }
    return { kernel: 'script' as const, memory: 0x20000, script: steps };
  };
  return { guests: [side(0), side(1)], shared: [{ pages: 1, map: [{ guest: 0, gpa: SHARED }, { guest: 1, gpa: SHARED }] }] };
}

function build(s: ScenarioInput): Machine {
  const r = validateScenario(s);
  if (!r.ok) throw new Error(r.error.message);
  return new Machine(r.value, { alloc: (n) => new ArrayBuffer(n) });
}

/** Run a fresh machine and stop right after event `index`: the reference state for a seek. */
function reference(s: ScenarioInput, index: number): Machine {
  const m = build(s);
  if (m.events.count > index) return m; // construction events: the constructed state
  m.events.stopAfter = index + 1;
  try {
    while (m.step());
  } catch {
    /* StopAtEvent */
  }
  return m;
}

describe('checkpoints and seek', () => {
  it('seeking to any event reproduces the memory hash of a straight run stopped there', () => {
    const s = pingPong(12);
    const m = build(s);
    const cps = new Checkpoints(m, 16);
    while (true) {
      cps.beforeStep();
      if (!m.step()) break;
    }
    const total = m.events.count;
    const endHash = m.hash();
    expect(cps.count).toBeGreaterThan(3);
    // Events before the first checkpoint are the machine's construction (INITIALIZE): not separable.
    const first = cps.counts()[0];
    fc.assert(
      fc.property(fc.integer({ min: first - 1, max: total - 1 }), (index) => {
        expect(cps.seek(index)).toBe(true);
        expect(m.events.count).toBe(Math.max(index + 1, first));
        expect(m.hash()).toBe(reference(s, index).hash());
      }),
      { numRuns: 40 },
    );
    // Back to the end: resuming re-runs recorded history to the same final state.
    cps.resumeAt(total);
    while (true) {
      cps.beforeStep();
      if (!m.step()) break;
    }
    expect(m.events.count).toBe(total);
    expect(m.hash()).toBe(endHash);
  });

  it('a seek backwards then forwards restores pages written in between', () => {
    const s = pingPong(8);
    const m = build(s);
    const cps = new Checkpoints(m, 8);
    while (true) {
      cps.beforeStep();
      if (!m.step()) break;
    }
    const total = m.events.count;
    cps.seek(total - 1);
    const late = m.hash();
    cps.seek(3);
    expect(m.hash()).toBe(reference(s, 3).hash());
    cps.seek(total - 1);
    expect(m.hash()).toBe(late);
  });
});
