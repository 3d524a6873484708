/**
 * Issue #15: the page's session keeps a window of events and regenerates the
 * rest from checkpoints. Against a session that kept everything (same
 * scenario, same inputs): a seek into a regenerated stretch shows exactly the
 * events and hash the live run had; the export after eviction is the whole
 * trace; the timeline bins equal bins computed from the full event list; a
 * search back and the panels' facts find the same things.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_CHUNK, readEventAt, type SimEvent } from '../hw/events.ts';
import { KIND_BIT, laneOf } from '../trace/timeline-lanes.ts';
import { BINS_HEADER_WORDS } from '../trace/timeline-bins.ts';
import { liveWord } from './live-block.ts';
import { Session, type SessionHost, type SessionKeep } from './session.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };
/** A small window (3 slots, chunk 0 pinned) and checkpoints thinned early: eviction and sparse stretches in a short run. */
const SMALL: SessionKeep = { eventSlots: 3, timelineBins: 64, thinning: { dense: 4 * 16384, sparse: 65536 } };
const ALL: SessionKeep = { eventSlots: Infinity, timelineBins: 64, thinning: null };

async function open(preset: string, input: string, keep: SessionKeep): Promise<Session> {
  const s = new Session(host, (n) => new ArrayBuffer(n), keep);
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  s.typeInput(0, input);
  s.runToEnd();
  return s;
}

/** The page's view of the events (the slots and the live block's directory, as they are now): event i, or null if not kept. */
function pageReader(s: Session): (i: number) => SimEvent | null {
  const live = new Uint32Array(s.info().live);
  const dir = live.subarray(liveWord('event_dir'), liveWord('event_dir') + 48);
  const slots = s.eventSlots(0).map((b) => new Uint32Array(b));
  return (i) => {
    for (let k = 0; k < slots.length; k++) {
      if (dir[3 * k] === (i >>> 16) + 1 && i >= dir[3 * k + 1] && i < dir[3 * k + 2]) return readEventAt(slots[k], i);
    }
    return null;
  };
}
const pageEvent = (s: Session, i: number): SimEvent | null => pageReader(s)(i);

const recorded = (s: Session): number => new Uint32Array(s.info().live)[liveWord('recorded')];

// Built once, at collection (top-level await: loading a session is async).
  // ~300k events: more than the 3 slots hold.
  const input = 'ping 1 30000\r';
  const small = await open('net', input, SMALL);
  const full = await open('net', input, ALL);
  const n = recorded(full);

describe('a session that keeps a window of events (issue #15)', () => {

  it('ran the same timeline and let old events go', () => {
    expect(recorded(small)).toBe(n);
    expect(n).toBeGreaterThan(4 * EVENT_CHUNK);
    expect(small.hash()).toBe(full.hash());
    expect(pageEvent(small, 2 * EVENT_CHUNK)).toBeNull();
    expect(pageEvent(full, 2 * EVENT_CHUNK)).not.toBeNull();
    expect(small.eventSlots(0).length).toBeLessThanOrEqual(3);
  });

  it('a seek into a regenerated stretch shows exactly the events and hash the live run had', () => {
    const start = full.info().start;
    let regenerated = 0;
    fc.assert(
      fc.property(fc.integer({ min: start, max: n - 1 }), (k) => {
        if (pageEvent(small, k) === null) regenerated++;
        small.goToEvent(k);
        full.goToEvent(k);
        expect(small.shownCount).toBe(k + 1);
        expect(small.hash()).toBe(full.hash());
        // The log's rows above the shown event are readable, and are the live run's.
        const [a, b] = [pageReader(small), pageReader(full)];
        for (let i = Math.max(start, k - 300); i <= k; i += 7) expect(a(i)).toEqual(b(i));
      }),
      { numRuns: 25, seed: 15 },
    );
    expect(regenerated).toBeGreaterThan(5);
  });

  it('export after eviction equals the export of a run that kept everything, and leaves the shown state alone', () => {
    small.goToEvent(123_456);
    const hash = small.hash();
    full.goToEvent(123_456);
    for (const [format, range] of [['jsonl', 'all'], ['chrome', 'shown']] as const) {
      expect(small.traceParts(format, range).join('') === full.traceParts(format, range).join('')).toBe(true);
    }
    expect(small.shownCount).toBe(123_457);
    expect(small.hash()).toBe(hash);
  });

  it('the timeline bins equal bins computed from the full event list, also after a fork', async () => {
    const a = await open('net', input, SMALL);
    a.goToEvent(150_000);
    a.typeInput(1, 'x');
    a.runToEnd();
    // The same timeline, everything kept: the recording replays the fork's input where it landed.
    const b = new Session(host, (m) => new ArrayBuffer(m), ALL);
    const r = await b.load({ kind: 'recording', recording: a.recording() });
    if (!r.ok) throw new Error(r.error);
    expect(b.hash()).toBe(a.hash());
    const total = recorded(b);
    const info = a.info();
    const header = new Uint32Array(info.timeline, 0, BINS_HEADER_WORDS);
    const [shift, done, , capacity] = header;
    expect(done).toBe(total);
    expect(capacity).toBe(64);
    expect(total >>> shift).toBeLessThan(capacity);
    const guests = info.guests.length;
    const lanes = 2 * guests + 1;
    const want = new Uint8Array(capacity * lanes);
    const read = pageReader(b);
    for (let i = 0; i < total; i++) {
      const ev = read(i)!;
      const lane = laneOf(ev.kind, ev.guest, guests);
      if (lane >= 0) want[(i >>> shift) * lanes + lane] |= KIND_BIT[ev.kind];
    }
    expect([...new Uint8Array(info.timeline, BINS_HEADER_WORDS * 4, capacity * lanes)]).toEqual([...want]);
  });

  it('a search back past the window regenerates and finds what a full log finds', () => {
    small.goToEnd();
    full.goToEnd();
    // The typed command reached the Launcher once, near the start.
    const a = small.goToMatch({ kind: 'input' }, 'prev');
    const b = full.goToMatch({ kind: 'input' }, 'prev');
    expect(a).toBe(b);
    expect(a).toBeGreaterThan(0);
    expect(small.hash()).toBe(full.hash());
  });
});

describe('the panels\' facts come from the worker, the same with a window or without', () => {
  it('block requests, kills and warnings before any view', async () => {
    // ~12 events a command: more than the 2 slots (chunk 0 pinned, one more) hold.
    const input = 'blk write 5 abc\r' + 'blk read 0 16\r'.repeat(12_000);
    const small = await open('block', input, { ...SMALL, eventSlots: 2 });
    const full = await open('block', input, ALL);
    const n = recorded(full);
    expect(recorded(small)).toBe(n);
    expect(n).toBeGreaterThan(2 * EVENT_CHUNK);
    const views = [full.info().start, 1000, Math.floor(n / 3), Math.floor(n / 2), n];
    for (const v of views) expect(small.facts(v)).toEqual(full.facts(v));
    const last = full.facts(n);
    expect(last.blockRequests.length).toBe(512);
    expect(last.blockRequests.at(-1)!.write).toBe(false);
    // The write of sector 5 happened first: exactly the request handled (BLOCK_IO), not a later page.
    let v = 0;
    while (full.facts(v).blockRequests.length === 0) v += 1000;
    const first = full.facts(v).blockRequests;
    expect(first[0]).toMatchObject({ write: true, sector: 5, bytes: 512, moved: 512, result: 1 });
  });

  it('a kill is a fact from its event on', async () => {
    const s = new Session(host, (m) => new ArrayBuffer(m), SMALL);
    await s.load({ kind: 'preset', name: 'bad-dma' });
    s.runToEnd();
    const end = s.shownCount;
    const kills = s.facts(end).kills;
    expect(kills.length).toBeGreaterThan(0);
    expect(s.facts(kills[0].index).kills).toEqual([]);
    expect(s.facts(kills[0].index + 1).kills[0]).toEqual(kills[0]);
    // sameUntil: the facts hold for every view up to the next fact (the page skips asking meanwhile).
    const early = s.facts(s.info().start);
    expect(early.sameUntil).toBeGreaterThanOrEqual(s.info().start);
    const { sameUntil: _a, ...held } = early;
    const { sameUntil: _b, ...atEdge } = s.facts(early.sameUntil);
    expect(atEdge).toEqual(held);
    expect(s.facts(early.sameUntil + 1)).not.toEqual(s.facts(early.sameUntil));
    expect(s.facts(end).sameUntil).toBe(-1);
  });
});
