import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventKind } from '../hw/events.ts';
import { EventLog } from '../hw/event-log.ts';
import { eventToJson } from '../hw/event-json.ts';
import { matches } from './match.ts';

describe('MATCH', () => {
  it('compares numbers however the lesson writes them, against the trace as it writes them (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (key, other) => {
        const log = new EventLog();
        log.push(EventKind.LAUNCHER_READ, 0, 0, key, 0x2000, 0, 0, 0);
        const ev = eventToJson(log.get(0), log.strings);
        for (const w of [key, String(key), `0x${key.toString(16)}`, `0X${key.toString(16).toUpperCase()}`]) expect(matches({ kind: 'launcher_read', key: w }, ev)).toBe(true);
        expect(matches({ key: other }, ev)).toBe(other === key);
      }),
    );
  });

  it('compares words exactly and needs every field present', () => {
    const log = new EventLog();
    log.push(EventKind.HCALL, 1, 5, 13, 0, 0x2000, 0, 13);
    const ev = eventToJson(log.get(0), log.strings);
    expect(matches({ kind: 'hcall', call: 'SEND_DMA', guest: 1, ret: '13' }, ev)).toBe(true);
    expect(matches({ call: 'send_dma' }, ev)).toBe(false);
    expect(matches({ call: 'SEND_DMA', used_len: 0 }, ev)).toBe(false);
    expect(matches({ kind: 'dma' }, ev)).toBe(false);
  });
});
