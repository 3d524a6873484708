/**
 * The trace exports in pieces (chromeTraceParts, jsonLinesParts) are the same
 * documents as the one-string forms, whatever the piece size: the page saves
 * the pieces as one Blob, so the file must not depend on where they were cut.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine } from '../machine/machine.ts';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/scenario.ts';
import { chromeTraceParts, guestTid, launcherTid, toChromeTrace } from './chrome-trace.ts';
import { jsonLinesParts, toJsonLines } from './jsonl.ts';

function machine(preset: string, typed: string): Machine {
  const sc = validateScenario(PRESETS[preset]);
  if (!sc.ok) throw new Error(sc.error.message);
  const m = new Machine(sc.value, { alloc: (n) => new ArrayBuffer(n) });
  m.runUntilIdle();
  if (typed) m.typeInput(0, typed);
  m.runUntilIdle();
  return m;
}

describe('trace export in pieces', () => {
  // Two guests with traffic between them, and a kill (bad-dma): every track kind.
  const net = machine('net', 'ping 1 3\r');
  const bad = machine('bad-dma', '');

  it('the Chrome trace pieces concatenate to JSON.stringify(toChromeTrace(log)), for any piece size', () => {
    for (const m of [net, bad]) {
      const whole = JSON.stringify(toChromeTrace(m.events));
      fc.assert(
        fc.property(fc.integer({ min: 1, max: m.events.count + 10 }), (per) => {
          const parts = [...chromeTraceParts(m.events, per)];
          expect(parts.join('')).toBe(whole);
          // Pieces are bounded: none holds more than `per` events (+ the metadata at its ends).
          expect(parts.length).toBe(Math.floor(m.events.count / per) + 1);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('the Chrome trace has one instant per event and names every guest and launcher track that has events', () => {
    const doc = JSON.parse([...chromeTraceParts(net.events, 100)].join('')) as ReturnType<typeof toChromeTrace>;
    expect(doc.traceEvents.filter((e) => e.ph === 'i')).toHaveLength(net.events.count);
    const names = new Map(doc.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args?.name]));
    expect(names.get(guestTid(0))).toBe('guest 0');
    expect(names.get(guestTid(1))).toBe('guest 1');
    expect(names.get(launcherTid(1))).toBe('launcher 1');
  });

  it('the JSON-lines pieces concatenate to toJsonLines(log), for any piece size', () => {
    const whole = toJsonLines(net.events);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: net.events.count + 10 }), (per) => {
        expect([...jsonLinesParts(net.events, per)].join('')).toBe(whole);
      }),
      { numRuns: 40 },
    );
  });
});
