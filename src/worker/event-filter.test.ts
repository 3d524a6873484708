import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventKind } from '../hw/events.ts';
import { EventLog } from '../hw/event-log.ts';
import { eventToJson } from '../hw/event-json.ts';
import { compileFilter, findEvent } from './event-filter.ts';

function log(): EventLog {
  const l = new EventLog();
  l.push(EventKind.LHREQ, 0, 0, 0, 0x41, 16, 0, 0);
  l.push(EventKind.HCALL, 0, 1, 13, 0, 0x2000, 0, 13); // SEND_DMA key 0
  l.push(EventKind.LAUNCHER_READ, 0, 2, 0, 0x2000, 0, 0, 0);
  l.push(EventKind.HCALL, 1, 3, 12, 0x40000, 0x2000, 0x103, 1); // BIND_DMA
  l.push(EventKind.IRQ_DELIVER, 1, 4, 1, 0, 0, 0, 0);
  return l;
}

describe('event filters (the fields of the JSON-lines form)', () => {
  it('match kind, guest, call and hex fields by value, lists as any-of', () => {
    const l = log();
    const find = (f: Parameters<typeof compileFilter>[0], from = 0, dir: 1 | -1 = 1): number => findEvent(l, compileFilter(f, l.strings), from, dir === 1 ? l.count : 0, dir);
    expect(find({ kind: 'hcall' })).toBe(1);
    expect(find({ kind: 'hcall' }, 2)).toBe(3);
    expect(find({ kind: 'hcall', call: 'BIND_DMA' })).toBe(3);
    expect(find({ guest: 1 })).toBe(3);
    expect(find({ kind: 'launcher_read', key: 0 })).toBe(2);
    expect(find({ kind: 'launcher_read', dma: '0x2000' })).toBe(2);
    expect(find({ kind: ['irq_deliver', 'dma'] })).toBe(4);
    expect(find({ kind: 'kill' })).toBe(-1);
    expect(find({ kind: 'hcall' }, 3, -1)).toBe(1);
    expect(find({ kind: 'hcall' }, 1, -1)).toBe(-1);
  });

  it('a filter built from an event\'s own JSON form matches that event (fast-check)', () => {
    const l = log();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: l.count - 1 }), fc.subarray(['kind', 'guest', 'call', 'key', 'dma', 'irq', 'edx', 'ebx', 'ret']), (i, fields) => {
        const j = eventToJson(l.get(i), l.strings);
        const f = Object.fromEntries(fields.filter((k) => j[k] !== undefined).map((k) => [k, j[k]]));
        expect(compileFilter(f, l.strings)(l.get(i))).toBe(true);
        expect(findEvent(l, compileFilter(f, l.strings), 0, l.count, 1)).toBeLessThanOrEqual(i);
      }),
    );
  });
});
