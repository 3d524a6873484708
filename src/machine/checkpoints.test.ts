import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Checkpoints } from './checkpoints.ts';
import { EVENT_CHUNK } from '../hw/events.ts';
import { PRESETS } from '../scenario/presets.ts';
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

describe('checkpoints thinned with age (issue #15)', () => {
  it('keep one per sparse stretch beyond the dense span, and every seek still reproduces a straight run', () => {
    const s = pingPong(14);
    const m = build(s);
    const thinning = { dense: 64, sparse: 128 };
    const cps = new Checkpoints(m, 16, thinning);
    while (true) {
      cps.beforeStep();
      if (!m.step()) break;
    }
    const total = m.events.count;
    const counts = cps.counts();
    const old = counts.filter((c, k) => k > 0 && c < counts[counts.length - 1] - thinning.dense);
    // At most one checkpoint per sparse stretch of old history, and thinning happened.
    expect(new Set(old.map((c) => Math.floor(c / thinning.sparse))).size).toBe(old.length);
    expect(counts.length).toBeLessThan(Math.ceil(total / 16));
    const first = counts[0];
    fc.assert(
      fc.property(fc.integer({ min: first - 1, max: total - 1 }), (index) => {
        expect(cps.seek(index)).toBe(true);
        expect(m.hash()).toBe(reference(s, index).hash());
      }),
      { numRuns: 40 },
    );
  });

  it('regenerate makes let-go events readable again, the same records, without keeping the stretch before them', () => {
    // The built-in kernels' counted ping: ~150k events in well under a second.
    const full = build(PRESETS.net);
    while (full.step());
    full.typeInput(0, 'ping 1 15000\r');
    while (full.step());
    const m = build(PRESETS.net);
    m.events.capacity = 2;
    m.events.pinnedBelow = m.events.count;
    const cps = new Checkpoints(m, 1024, { dense: 8192, sparse: 32768 });
    const run = (): void => {
      while (true) {
        cps.beforeStep();
        if (!m.step()) break;
      }
    };
    run();
    m.typeInput(0, 'ping 1 15000\r');
    run();
    expect(m.events.count).toBe(full.events.count);
    const total = m.events.count;
    // Long enough that the 2-slot log let most of it go.
    expect(total).toBeGreaterThan(2 * EVENT_CHUNK);
    expect(m.events.has(EVENT_CHUNK + 5)).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), fc.integer({ min: 1, max: 300 }), (from, len) => {
        const to = Math.min(total, from + len);
        cps.regenerate(from, to);
        expect(m.events.hasRange(from, to)).toBe(true);
        for (let i = from; i < to; i++) expect(m.events.get(i)).toEqual(full.events.get(i));
        expect(m.events.slots.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 30 },
    );
  });
});
