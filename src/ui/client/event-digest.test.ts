/** The event digest: the worker's facts (kills, block requests) for the shown count after time travel, and flashes from the events in memory. */
import { describe, expect, it } from 'vitest';
import { Session, type SessionHost } from '../../worker/session.ts';
import { EventDigest, killReasons } from './event-digest.ts';
import { DIR_SLOTS, EventWindow } from './event-window.ts';
import { liveWord } from '../../worker/live-block.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };

async function session(preset: string): Promise<Session> {
  const s = new Session(host);
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  return s;
}

/** The events a cross-origin isolated page can read: the worker's slots under its directory. */
function windowOf(s: Session): EventWindow {
  const w = new EventWindow(true);
  const live = new Uint32Array(s.info().live);
  w.setDirectory(live.subarray(liveWord('event_dir'), liveWord('event_dir') + 3 * DIR_SLOTS));
  w.adopt(0, s.eventSlots(0));
  return w;
}

/** What the client does when the shown count or facts_seq moved. */
const refresh = (d: EventDigest, s: Session): void => d.setFacts(s.facts(s.shownCount), s.shownCount);

describe('EventDigest', () => {
  it('finds the kill and the Launcher exit with their reasons (bad-dma)', async () => {
    const s = await session('bad-dma');
    const d = new EventDigest();
    d.reset();
    refresh(d, s);
    const strings = s.strings(0);
    expect(d.kills.map((k) => [k.guest, k.kind, strings[k.str]])).toEqual([
      [1, 'kill', 'bad DMA entry: 256@0x3f80'],
      [1, 'exit', 'bad DMA entry: 256@0x3f80'],
    ]);
    expect(d.stringsNeeded).toBeLessThanOrEqual(strings.length);
  });

  it('has each block request as the block device handled it, for the shown count either way time moves', async () => {
    const s = await session('block');
    const d = new EventDigest();
    d.reset();
    s.typeInput(0, 'blk write 7 xyz\r');
    // Step one event at a time, scanning after each, as the page does while stepping.
    for (let k = 0; k < 400; k++) {
      const before = s.shownCount;
      s.step();
      if (s.shownCount === before) break;
      refresh(d, s);
    }
    expect(d.blockRequests.map((r) => ({ write: r.write, sector: r.sector, bytes: r.bytes, result: r.result }))).toEqual([{ write: true, sector: 7, bytes: 512, result: 1 }]);
    // Run on without stepping: a read after it is there too, the write still first.
    s.typeInput(0, 'blk read 7\r');
    s.runToEnd();
    refresh(d, s);
    expect(d.blockRequests.map((r) => [r.write, r.sector])).toEqual([
      [true, 7],
      [false, 7],
    ]);
    const at = d.blockRequests[0].index;
    // Back before the request: it is gone; forward again: it is back, as first seen.
    s.seek(at - 1);
    refresh(d, s);
    expect(d.blockRequests).toEqual([]);
    s.seek(at + 5);
    refresh(d, s);
    expect(d.blockRequests.map((r) => r.sector)).toEqual([7]);
  });

  it('flashes a receive entry only for transfers it saw arrive', async () => {
    const s = await session('net');
    const d = new EventDigest();
    d.reset();
    d.scan(windowOf(s), s.shownCount, 0);
    const before = s.shownCount;
    s.typeInput(0, 'ping 1\r');
    s.runToEnd();
    d.scan(windowOf(s), s.shownCount, 1000);
    // guest 1's first receive entry (lguest_dma[8] at 0x6000) got the echo request.
    const f = d.flashOf(1, 0x6000);
    expect(f?.at).toBe(1000);
    expect(f!.event).toBeGreaterThanOrEqual(before);
    // Back before that transfer: its flash is gone (no flashes for history).
    s.seek(f!.event);
    d.scan(windowOf(s), s.shownCount, 2000);
    expect(d.flashOf(1, 0x6000)?.event ?? -1).toBeLessThan(f!.event);
  });
});

describe('killReasons', () => {
  it('shows a CRASH reason made of UTF-8 bytes as the text those bytes spell', () => {
    const reason = String.fromCharCode(...new TextEncoder().encode('CRASH: héllo'));
    const got = killReasons([{ kind: 'kill', guest: 0, str: 0, index: 5 }, { kind: 'exit', guest: 1, str: 0, index: 6 }], [reason]);
    expect(got.get(0)).toBe('CRASH: héllo');
    expect(got.get(1)).toBe('launcher exited: CRASH: héllo');
  });
});
