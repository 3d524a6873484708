import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine } from '../machine/machine.ts';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/scenario.ts';
import { makeRecording, recordingScenario } from './recording.ts';
import { decodeLink, encodeLink } from './link.ts';

const alloc = (n: number) => new ArrayBuffer(n);

/** One user action: run some quanta (maybe not to idle), then type into a guest. */
const actionArb = fc.record({
  quanta: fc.integer({ min: 0, max: 400 }),
  guest: fc.integer({ min: 0, max: 1 }),
  text: fc.constantFrom('e', 'c', 'h', 'o', ' ', 'x', '\r', 'help\r', 'ping 1\r', 'blk read 0\r', 'send 1 hi\r', '\x7f', '\x03', 'devices\r'),
});

describe('record → replay', () => {
  it('replaying a recording (through a share link) gives the same memory hash and event count', () => {
    fc.assert(
      fc.property(fc.constantFrom('console', 'block', 'net'), fc.array(actionArb, { maxLength: 12 }), (preset, actions) => {
        const sc = validateScenario(PRESETS[preset]);
        if (!sc.ok) throw new Error(sc.error.message);
        const m = new Machine(sc.value, { alloc });
        for (const a of actions) {
          for (let q = 0; q < a.quanta && m.step(); q++);
          m.typeInput(a.guest % m.guestCount, a.text);
        }
        m.runUntilIdle();
        const link = encodeLink(makeRecording({ preset }, m.inputLog));
        const rec = decodeLink(link);
        expect(rec.ok).toBe(true);
        if (!rec.ok) return;
        const rs = recordingScenario(rec.value);
        if (!rs.ok) throw new Error(rs.error.message);
        const r = new Machine(rs.value, { alloc });
        r.runUntilIdle();
        expect(r.events.count).toBe(m.events.count);
        expect(r.hash()).toBe(m.hash());
        expect(r.consoleText(0)).toBe(m.consoleText(0));
      }),
      { numRuns: 60 },
    );
  });
});
