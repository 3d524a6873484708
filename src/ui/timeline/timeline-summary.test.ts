/** The timeline's binning over a Session's event chunks: lanes as the Chrome trace files them, summary = direct read, rewinds. */
import { describe, expect, it } from 'vitest';
import { EventKind, readEvent } from '../../hw/events.ts';
import { guestTid, HOST_TID, launcherTid, trackOf } from '../../trace/chrome-trace.ts';
import { Session, type SessionHost } from '../../worker/session.ts';
import { BLOCK, categoryBit, laneLabels, laneOf, TIMELINE_CATEGORIES, TimelineSummary } from './timeline-summary.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };

function session(preset: string, input?: string): Session {
  const s = new Session(host);
  const r = s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  if (input !== undefined) {
    s.typeInput(0, input);
    s.runToEnd();
  }
  return s;
}

const chunksOf = (s: Session): Uint32Array[] => s.eventChunks(0).map((b) => new Uint32Array(b));

/** The lane a track id is drawn in (guests, Host, launchers). */
const laneOfTrack = (tid: number, guests: number): number => (tid === HOST_TID ? guests : tid >= launcherTid(0) ? guests + 1 + (tid - launcherTid(0)) : tid - guestTid(0));

describe('TimelineSummary', () => {
  it('puts every event in the lane of its Chrome trace track, and every kind in one category', () => {
    const s = session('net', 'ping 1\r');
    const chunks = chunksOf(s);
    const guests = s.info().guests.length;
    expect(laneLabels(guests)).toEqual(['guest 0', 'guest 1', 'Host', 'launcher 0', 'launcher 1']);
    for (let i = 0; i < s.shownCount; i++) {
      const ev = readEvent(chunks, i);
      expect(laneOf(ev.kind, ev.guest, guests)).toBe(laneOfTrack(trackOf(ev.kind, ev.guest), guests));
    }
    for (const k of Object.values(EventKind)) {
      expect(TIMELINE_CATEGORIES.filter((c) => (c.kinds as readonly number[]).includes(k))).toHaveLength(1);
      expect(categoryBit(k)).not.toBe(0);
    }
  });

  it('bins from the block summary exactly as from the events when columns hold whole blocks', () => {
    const s = session('net', 'ping 1 40\r');
    const chunks = chunksOf(s);
    const sum = new TimelineSummary(s.info().guests.length);
    // Arrive in uneven pieces, as chunks do while the worker runs.
    for (let to = 0; to < s.shownCount; to += 997) sum.update(chunks, to);
    sum.update(chunks, s.shownCount);
    expect(sum.done).toBe(s.shownCount);
    const cols = Math.floor(s.shownCount / BLOCK);
    const fromBlocks = new Uint8Array(cols * sum.lanes);
    sum.bin(chunks, 0, BLOCK, cols, fromBlocks);
    // The same columns, read event by event (a column of BLOCK - 0.5 events reads directly).
    const direct = new Uint8Array(cols * sum.lanes);
    for (let c = 0; c < cols; c++) {
      for (let i = c * BLOCK; i < (c + 1) * BLOCK; i++) {
        const ev = readEvent(chunks, i);
        direct[laneOf(ev.kind, ev.guest, sum.guests) * cols + c] |= categoryBit(ev.kind);
      }
    }
    expect(Array.from(fromBlocks)).toEqual(Array.from(direct));
    expect(fromBlocks.some((m) => m !== 0)).toBe(true);
  });

  it('zoomed in, marks each event in its own columns with a gap', () => {
    const s = session('console', 'echo one\r');
    const chunks = chunksOf(s);
    const sum = new TimelineSummary(1);
    sum.update(chunks, s.shownCount);
    const cols = 40;
    const out = new Uint8Array(cols * sum.lanes);
    // Four columns per event: events 10..19.
    sum.bin(chunks, 10, 0.25, cols, out);
    for (let k = 0; k < 10; k++) {
      const ev = readEvent(chunks, 10 + k);
      const row = laneOf(ev.kind, ev.guest, 1) * cols;
      expect(Array.from(out.subarray(row + 4 * k, row + 4 * k + 4))).toEqual([categoryBit(ev.kind), categoryBit(ev.kind), categoryBit(ev.kind), 0]);
    }
  });

  it('after a fork, summarizes the rewritten events again', () => {
    const s = session('console', 'echo one two three\r');
    const sum = new TimelineSummary(1);
    sum.update(chunksOf(s), s.shownCount);
    const fork = Math.floor(s.shownCount / 2) + 3;
    s.seek(fork);
    s.typeInput(0, 'help\r');
    s.runToEnd();
    sum.rewind(fork);
    expect(sum.done).toBeLessThanOrEqual(fork);
    sum.update(chunksOf(s), s.shownCount);
    const fresh = new TimelineSummary(1);
    fresh.update(chunksOf(s), s.shownCount);
    const cols = 64;
    const a = new Uint8Array(cols * sum.lanes);
    const b = new Uint8Array(cols * sum.lanes);
    const per = Math.ceil(s.shownCount / cols / BLOCK) * BLOCK;
    sum.bin(chunksOf(s), 0, per, cols, a);
    fresh.bin(chunksOf(s), 0, per, cols, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('finds the first event of a lane in a range', () => {
    const s = session('console', 'echo one\r');
    const chunks = chunksOf(s);
    const sum = new TimelineSummary(1);
    sum.update(chunks, s.shownCount);
    const host = sum.findInLane(chunks, 1, 0, s.shownCount);
    expect(host).toBeGreaterThanOrEqual(0);
    const ev = readEvent(chunks, host);
    expect(trackOf(ev.kind, ev.guest)).toBe(HOST_TID);
  });
});
