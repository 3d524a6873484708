/**
 * The page's decoders, run on a real Session's buffers in Node, agree with
 * the core's own summary (src/machine/summary.ts): the same descriptor table,
 * the same bound keys, the same hash, read straight from shared memory.
 */
import { describe, expect, it } from 'vitest';
import { LGUEST_MAX_DEVICES } from '../../abi/constants.ts';
import { hexAlt } from '../../base/printf.ts';
import { Session, type SessionHost } from '../../worker/session.ts';
import { makeViews, readBytes } from './frame-views.ts';
import { decodeBindings, decodeBlockPage, decodeDescriptors, decodeDmaArray, decodeLive, decodeNetSlots, statusNames } from './struct-decoders.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };

async function booted(preset: string, ...inputs: string[]): Promise<Session> {
  const s = new Session(host);
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  for (const t of inputs) {
    s.typeInput(0, t);
    s.runToEnd();
  }
  return s;
}

describe('struct decoders on shared memory', () => {
  it('read the descriptor tables and bound keys the summary reports (net preset)', async () => {
    const s = await booted('net');
    const v = makeViews(s.info());
    const sum = s.summary();
    for (const g of sum.guests) {
      const rows = decodeDescriptors(v, g.index);
      expect(rows).toHaveLength(LGUEST_MAX_DEVICES);
      const used = rows.filter((r) => r.type !== 0);
      expect(used.map((r) => ({ index: r.index, typeCode: r.type, status: r.status, statusNames: statusNames(r.status), pfn: r.pfn }))).toEqual(
        g.devices.map((d) => ({ index: d.index, typeCode: d.typeCode, status: d.status, statusNames: d.statusNames, pfn: d.pfn })),
      );
      expect(decodeBindings(v, g.index).map((b) => ({ key: hexAlt(b.key), dmas: hexAlt(b.dmas), num: b.num, next: b.next, irq: b.irq, shared: b.shared !== 0 }))).toEqual(g.keys);
    }
    const live = decodeLive(v);
    expect(live.hash).toBe(sum.hash);
    expect(live.view).toBe(sum.events);
    expect(live.idle).toBe(true);
    expect(live.runStates).toEqual(sum.guests.map((g) => g.state));
  });

  it('read the MAC slots through the shared network page, and each guest sees the same bytes', async () => {
    const s = await booted('net');
    const info = s.info();
    const v = makeViews(info);
    const net = info.sharedObjects.find((o) => o.name === 'net:lan')!;
    const slots = decodeNetSlots(v, net.id, 3);
    expect(slots.map((x) => x.mac.map((b) => b.toString(16).padStart(2, '0')).join(':'))).toEqual(['02:00:00:00:00:00', '02:00:01:00:00:00', '00:00:00:00:00:00']);
    expect(slots.map((x) => x.promisc)).toEqual([false, false, false]);
    // The net device page is the shared page in both guests: a gpa read resolves through the page map.
    const page = info.guests[1].devices.find((d) => d.type === 2)!.gpa;
    expect(Array.from(readBytes(v, 1, page + 6, 6))).toEqual(slots[1].mac);
    expect(Array.from(readBytes(v, 0, page + 6, 6))).toEqual(slots[1].mac);
  });

  it('decode the block page and the console input buffer after a write and a read', async () => {
    const s = await booted('block', 'blk write 5 abc\r', 'blk read 5\r');
    const info = s.info();
    const v = makeViews(info);
    const dev = info.guests[0].devices.find((d) => d.type === 3)!;
    expect(decodeBlockPage(v, 0, dev.gpa)).toEqual({ type: 0, sector: 5, bytes: 512, result: 1, numSectors: 2048 });
    const key0 = decodeBindings(v, 0).find((b) => b.key === 0)!;
    const [entry] = decodeDmaArray(v, 0, key0.dmas, key0.num);
    expect(entry.sections[0]).toEqual({ addr: 0x2500, len: 256 });
    expect(entry.sections.slice(1).every((x) => x.len === 0)).toBe(true);
    // The last bytes typed sit in the input buffer (the Launcher's readv on key 0).
    expect(new TextDecoder().decode(readBytes(v, 0, 0x2500, 11))).toBe('blk read 5\r');
  });
});
