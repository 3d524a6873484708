/** The event digest over a Session's event chunks: kills, block requests, rescans after time travel. */
import { describe, expect, it } from 'vitest';
import { Session, type SessionHost } from '../../worker/session.ts';
import { EventDigest, killReasons } from './event-digest.ts';
import { makeViews } from './frame-views.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };

function session(preset: string): Session {
  const s = new Session(host);
  const r = s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  return s;
}

const chunksOf = (s: Session): Uint32Array[] => s.eventChunks(0).map((b) => new Uint32Array(b));

describe('EventDigest', () => {
  it('finds the kill and the Launcher exit with their reasons (bad-dma)', () => {
    const s = session('bad-dma');
    const d = new EventDigest();
    d.reset(s.info());
    expect(d.scan(chunksOf(s), s.shownCount, makeViews(s.info()), 0)).toBe(true);
    const strings = s.strings(0);
    expect(d.kills.map((k) => [k.guest, k.kind, strings[k.str]])).toEqual([
      [1, 'kill', 'bad DMA entry: 256@0x3f80'],
      [1, 'exit', 'bad DMA entry: 256@0x3f80'],
    ]);
    expect(d.stringsNeeded).toBeLessThanOrEqual(strings.length);
  });

  it('records each block request as it is stepped, and keeps them across a rewind', () => {
    const s = session('block');
    const d = new EventDigest();
    d.reset(s.info());
    s.typeInput(0, 'blk write 7 xyz\r');
    // Step one event at a time, scanning after each, as the page does while stepping.
    for (let k = 0; k < 400; k++) {
      const before = s.shownCount;
      s.step();
      if (s.shownCount === before) break;
      d.scan(chunksOf(s), s.shownCount, makeViews(s.info()), k);
    }
    expect(d.blockRequests.map((r) => ({ write: r.write, sector: r.sector, bytes: r.bytes, result: r.result }))).toEqual([{ write: true, sector: 7, bytes: 512, result: 1 }]);
    const at = d.blockRequests[0].index;
    // Back before the request: it is gone; forward again: it is back, as first seen.
    s.seek(at - 1);
    d.scan(chunksOf(s), s.shownCount, makeViews(s.info()), 0);
    expect(d.blockRequests).toEqual([]);
    s.seek(at + 5);
    d.scan(chunksOf(s), s.shownCount, makeViews(s.info()), 0);
    expect(d.blockRequests.map((r) => r.sector)).toEqual([7]);
  });

  it('flashes a receive entry only for transfers it saw arrive', () => {
    const s = session('net');
    const d = new EventDigest();
    d.reset(s.info());
    d.scan(chunksOf(s), s.shownCount, makeViews(s.info()), 0);
    s.typeInput(0, 'ping 1\r');
    s.runToEnd();
    d.scan(chunksOf(s), s.shownCount, makeViews(s.info()), 1000);
    expect(d.dmaTransfers).toBeGreaterThanOrEqual(2);
    // guest 1's first receive entry (lguest_dma[8] at 0x6000) got the echo request.
    expect(d.flashOf(1, 0x6000)?.at).toBe(1000);
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
