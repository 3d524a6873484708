/**
 * The timeline's binning from the worker's bins and the events in memory:
 * lanes as the Chrome trace files them; zoomed out, a session that let events
 * go bins exactly as the full event list of the same run does; zoomed in,
 * kept events are exact and the stretches let go show their bins; forks.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CHUNK, EventKind } from '../../hw/events.ts';
import type { EventLog } from '../../hw/event-log.ts';
import type { Machine } from '../../machine/machine.ts';
import { guestTid, HOST_TID, launcherTid, trackOf } from '../../trace/chrome-trace.ts';
import { FIRST_SHIFT } from '../../trace/timeline-bins.ts';
import { liveWord } from '../../worker/live-block.ts';
import { Session, type SessionHost } from '../../worker/session.ts';
import { DIR_SLOTS, EventWindow } from '../client/event-window.ts';
import { categoryBit, laneLabels, laneOf, TIMELINE_CATEGORIES, TimelineSummary } from './timeline-summary.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };
/** An event of chunk 1: let go by the flood (chunk 0 holds the construction and stays). */
const EVENT_CHUNK_1 = EVENT_CHUNK + 1000;
const machineOf = (s: Session): Machine => (s as unknown as { machine: Machine }).machine;

/** Load a preset and type its inputs; `keepAll`: the session's log keeps every event (the reference). */
async function session(preset: string, inputs: string[] = [], keepAll = false): Promise<Session> {
  const s = new Session(host);
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  if (keepAll) machineOf(s).events.capacity = Infinity;
  s.runToEnd();
  for (const text of inputs) {
    s.typeInput(0, text);
    s.runToEnd();
  }
  return s;
}

/** What a cross-origin isolated page reads: the worker's slots under its directory, and its bins. */
function pageOf(s: Session): { win: EventWindow; sum: TimelineSummary; recorded: number } {
  const info = s.info();
  const live = new Uint32Array(info.live);
  const win = new EventWindow(true);
  win.setDirectory(live.subarray(liveWord('event_dir'), liveWord('event_dir') + 3 * DIR_SLOTS));
  win.adopt(0, s.eventSlots(0));
  const sum = new TimelineSummary(info.guests.length);
  sum.setBins(info.timeline);
  return { win, sum, recorded: live[liveWord('recorded')] };
}

/** The reference: columns binned event by event from a log that kept them all. */
function direct(log: EventLog, guests: number, start: number, perCol: number, cols: number, recorded: number): Uint8Array {
  const out = new Uint8Array(cols * (2 * guests + 1));
  for (let c = 0; c < cols; c++) {
    const end = Math.min(recorded, start + (c + 1) * perCol);
    for (let i = start + c * perCol; i < end; i++) {
      const ev = log.get(i);
      const lane = laneOf(ev.kind, ev.guest, guests);
      if (lane >= 0) out[lane * cols + c] |= categoryBit(ev.kind);
    }
  }
  return out;
}

/** The lane a track id is drawn in (guests, Host, launchers). */
const laneOfTrack = (tid: number, guests: number): number => (tid === HOST_TID ? guests : tid >= launcherTid(0) ? guests + 1 + (tid - launcherTid(0)) : tid - guestTid(0));

describe('timeline lanes', () => {
  it('puts every event in the lane of its Chrome trace track, and every kind in one category', async () => {
    const s = await session('net', ['ping 1\r']);
    const { win, recorded } = pageOf(s);
    const guests = s.info().guests.length;
    expect(laneLabels(guests)).toEqual(['guest 0', 'guest 1', 'Host', 'launcher 0', 'launcher 1']);
    for (let i = 0; i < recorded; i++) {
      const ev = win.read(i)!;
      expect(laneOf(ev.kind, ev.guest, guests)).toBe(laneOfTrack(trackOf(ev.kind, ev.guest), guests));
    }
    for (const k of Object.values(EventKind)) {
      expect(TIMELINE_CATEGORIES.filter((c) => (c.kinds as readonly number[]).includes(k))).toHaveLength(1);
      expect(categoryBit(k)).not.toBe(0);
    }
  });
});

// Built once, at collection (top-level await: loading a session is async).
  // ~900k events (10 per ping): more than the 12 chunks the page's session keeps.
  const flood = ['ping 1 90000\r'];
  const s = await session('net', flood);
  const full = machineOf(await session('net', flood, true)).events;
  const { win, sum, recorded } = pageOf(s);
  const guests = sum.guests;

describe('TimelineSummary over a session that let events go', () => {

  it('zoomed out, bins exactly as the full event list of the same run, for columns of whole bins', () => {
    expect(full.recorded).toBe(recorded);
    // The run outgrew the window: some events are not in memory, yet the bins cover them all.
    expect(win.has(EVENT_CHUNK_1)).toBe(false);
    expect(sum.done).toBe(recorded);
    const w = sum.binWidth;
    expect(w).toBe(2 ** FIRST_SHIFT);
    for (const [start, perCol] of [
      [0, w],
      [0, 16 * w],
      [37 * w, 5 * w],
    ]) {
      const cols = Math.ceil((recorded - start) / perCol);
      const out = new Uint8Array(cols * sum.lanes);
      const coarse = new Uint8Array(cols);
      sum.bin(win, start, perCol, cols, recorded, out, coarse);
      expect(Array.from(out)).toEqual(Array.from(direct(full, guests, start, perCol, cols, recorded)));
      expect(coarse.every((x) => x === 0)).toBe(true);
    }
  });

  it('zoomed in, draws the events in memory exactly and the stretch let go from its bins', () => {
    const cols = 40;
    // Kept (the newest events): four columns per event, the last one a gap.
    const kept = recorded - 100;
    const out = new Uint8Array(cols * sum.lanes);
    const coarse = new Uint8Array(cols);
    sum.bin(win, kept, 0.25, cols, recorded, out, coarse);
    for (let k = 0; k < 10; k++) {
      const ev = full.get(kept + k);
      const row = laneOf(ev.kind, ev.guest, guests) * cols;
      const bit = categoryBit(ev.kind);
      expect(Array.from(out.subarray(row + 4 * k, row + 4 * k + 4))).toEqual([bit, bit, bit, 0]);
    }
    expect(coarse.every((x) => x === 0)).toBe(true);
    // Let go: every column shows its bin's OR, marked coarse; the bin is the full list's OR.
    const gone = EVENT_CHUNK_1 + 640;
    sum.bin(win, gone, 2, cols, recorded, out, coarse);
    expect(coarse.every((x) => x === 1)).toBe(true);
    const w = sum.binWidth;
    for (let c = 0; c < cols; c++) {
      const bin = Math.floor((gone + 2 * c) / w);
      const ref = direct(full, guests, bin * w, w, 1, recorded);
      for (let l = 0; l < sum.lanes; l++) expect(out[l * cols + c]).toBe(ref[l]);
    }
  });

  it('finds the first event of a lane only among the events in memory', () => {
    const hostLane = guests;
    const i = sum.findInLane(win, hostLane, recorded - 500, recorded);
    expect(i).toBeGreaterThanOrEqual(recorded - 500);
    const ev = full.get(i);
    expect(trackOf(ev.kind, ev.guest)).toBe(HOST_TID);
    expect(sum.findInLane(win, hostLane, EVENT_CHUNK_1, EVENT_CHUNK_1 + 1000)).toBe(-1);
    // But the bins know the Host lane is busy there (the readout offers to regenerate it).
    expect(sum.maskOf(hostLane, EVENT_CHUNK_1, EVENT_CHUNK_1 + 1000)).not.toBe(0);
  });
});

describe('TimelineSummary after a fork', () => {
  it('bins the new timeline, as its own full event list does', async () => {
    const s = await session('console', ['echo one two three\r']);
    const fork = Math.floor(s.shownCount / 2) + 3;
    s.seek(fork);
    s.typeInput(0, 'help\r');
    s.runToEnd();
    const { win, sum, recorded } = pageOf(s);
    const log = machineOf(s).events;
    const perCol = sum.binWidth;
    const cols = Math.ceil(recorded / perCol);
    const out = new Uint8Array(cols * sum.lanes);
    sum.bin(win, 0, perCol, cols, recorded, out);
    expect(Array.from(out)).toEqual(Array.from(direct(log, 1, 0, perCol, cols, recorded)));
  });
});
