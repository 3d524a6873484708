import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../hw/memory.ts';
import { EMPTY_LINE, feedLine, loadLine, storeLine, type LineEvent } from './line-editor.ts';
import { kernelLayouts } from './layout.ts';

const bytes = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const printableText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });

/** Merge adjacent echoes, so event lists from chunked feeding compare equal. */
function norm(evs: LineEvent[]): LineEvent[] {
  const out: LineEvent[] = [];
  for (const e of evs) {
    const p = out[out.length - 1];
    if (e.kind === 'echo' && p !== undefined && p.kind === 'echo') out[out.length - 1] = { kind: 'echo', text: p.text + e.text };
    else out.push(e);
  }
  return out;
}

describe('feedLine', () => {
  it('echoes printable text and returns it as a line on Enter', () => {
    fc.assert(
      fc.property(printableText, fc.constantFrom('\r', '\n', '\r\n'), (t, enter) => {
        const r = feedLine(EMPTY_LINE, bytes(t + enter));
        expect(r.events).toEqual([
          { kind: 'echo', text: `${t}\r\n` },
          { kind: 'line', text: t },
        ]);
        expect(r.st.text).toBe('');
      }),
    );
  });

  it('gives the same events however the input is split into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0d, 0x0a, 0x7f, 0x08, 0x03)), { maxLength: 120 }), fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const whole = feedLine(EMPTY_LINE, input, 16);
        let st = EMPTY_LINE;
        const evs: LineEvent[] = [];
        let at = 0;
        for (const c of [...cuts.map((x) => x % (input.length + 1)).sort((a, b) => a - b), input.length]) {
          const r = feedLine(st, input.slice(at, Math.max(at, c)), 16);
          st = r.st;
          evs.push(...r.events);
          at = Math.max(at, c);
        }
        expect(norm(evs)).toEqual(whole.events);
        expect(st).toEqual(whole.st);
      }),
    );
  });

  it('keeps only printable ASCII, never more than max characters', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }), (input) => {
        const r = feedLine(EMPTY_LINE, input, 32);
        const lines = r.events.flatMap((e) => (e.kind === 'line' ? [e.text] : []));
        for (const l of [...lines, r.st.text]) {
          expect(l.length).toBeLessThanOrEqual(32);
          expect(/^[\x20-\x7e]*$/.test(l)).toBe(true);
        }
      }),
    );
  });

  it('erases with DEL and BS, and cancels with ^C', () => {
    expect(feedLine(EMPTY_LINE, bytes('ab\x7f\x08\x08c\r')).events).toEqual([
      { kind: 'echo', text: 'ab\b \b\b \bc\r\n' },
      { kind: 'line', text: 'c' },
    ]);
    expect(feedLine(EMPTY_LINE, bytes('abc\x03d')).events).toEqual([
      { kind: 'echo', text: 'abc^C\r\n' },
      { kind: 'intr' },
      { kind: 'echo', text: 'd' },
    ]);
  });

  it('counts "\\r\\n" as one Enter even across chunks, but "\\n\\n" as two', () => {
    const a = feedLine(EMPTY_LINE, bytes('x\r'));
    expect(feedLine(a.st, bytes('\n')).events).toEqual([]);
    expect(feedLine(EMPTY_LINE, bytes('\n\n')).events.filter((e) => e.kind === 'line')).toHaveLength(2);
  });

  it('survives a trip through guest memory', () => {
    const L = kernelLayouts('i386');
    const m = new GuestMemory(0x10000, 0x10000, (n) => new ArrayBuffer(n));
    fc.assert(
      fc.property(printableText, fc.boolean(), (text, lastCr) => {
        storeLine(m, L, { text, lastCr });
        expect(loadLine(m, L)).toEqual({ text, lastCr });
      }),
    );
  });
});
