/**
 * What the panels need from the whole event history, kept by the worker as
 * events are recorded (issue #15: the bounded event log lets old events go,
 * so the page can no longer rescan them): kills and Launcher exits, Launcher
 * warnings, and block requests. Each fact carries its event index, so the
 * facts shown for the state after event #view-1 are those before `view`,
 * whichever way the view moved; a fork cuts them at its count.
 *
 * Block requests come from the BLOCK_IO event the block device records
 * (spec §4.3: type, sector, bytes asked, bytes moved, result) and the
 * LAUNCHER_OUTPUT that follows it (used_len), so each is exactly the request
 * handled, not a later reading of the block page. The most recent
 * BLOCK_KEEP are kept (a disk flood is millions of requests); the view says
 * from which event on the list is complete.
 */
import { EV, EVENT_CHUNK, EVENT_WORDS, EventKind } from '../hw/events.ts';
import type { EventLog } from '../hw/event-log.ts';

export interface KillFact {
  readonly index: number;
  readonly guest: number;
  /** KILL: the Host killed the guest; LAUNCHER_EXIT: its Launcher exited. */
  readonly kind: 'kill' | 'exit';
  /** Index into the event string table. */
  readonly str: number;
}

/** One kind of Launcher warning (warnx: printed and carried on) of one guest: how often before the view, and the last time. */
export interface WarnFact {
  readonly guest: number;
  readonly str: number;
  readonly count: number;
  readonly last: number;
}

export interface BlockFact {
  /** The LAUNCHER_OUTPUT event that handled it. */
  readonly index: number;
  readonly guest: number;
  readonly device: number;
  readonly write: boolean;
  readonly sector: number;
  readonly bytes: number;
  readonly moved: number;
  readonly result: number;
  readonly usedLen: number;
}

export interface FactsView {
  readonly kills: readonly KillFact[];
  readonly warnings: readonly WarnFact[];
  /** The last `limit` block requests before the view, oldest first. */
  readonly blockRequests: readonly BlockFact[];
  /** Requests handled before this event may be missing from the list (older than the kept ones). */
  readonly blockComplete: number;
  /** Highest string index a fact refers to, + 1. */
  readonly stringsNeeded: number;
  /**
   * The facts are the same for every view from this one up to `sameUntil`
   * (the index of the first fact at or after it), as long as no fact is
   * recorded (`seq` unchanged); -1: up to any view. The page then need not
   * ask again while a run moves the view forward.
   */
  readonly sameUntil: number;
}

/** Block requests kept (32 bytes each as numbers in objects: a few MB at most). */
export const BLOCK_KEEP = 65536;

interface Pending {
  write: boolean;
  sector: number;
  bytes: number;
  moved: number;
  result: number;
}

export class EventFacts {
  /** Events looked at: [0, done). */
  done = 0;
  /** Bumped whenever the facts change (the page refetches). */
  seq = 0;
  private kills: KillFact[] = [];
  /** Per warning kind: every event index it was printed at (warnings follow typed input: few). */
  private warns: { guest: number; str: number; at: number[] }[] = [];
  private blocks: BlockFact[] = [];
  private blockComplete = 0;
  private readonly pending: (Pending | null)[];

  /** `blockDevice[g]`: the device index of guest g's block device (-1: none). */
  constructor(private readonly blockDevice: readonly number[]) {
    this.pending = blockDevice.map(() => null);
  }

  /** Look at the recorded events not looked at yet (all still kept in `log`). */
  catchUp(log: EventLog): void {
    const to = log.recorded;
    let i = this.done;
    if (i >= to) return;
    let changed = false;
    while (i < to) {
      const c = log.chunkOf(i);
      if (!c) throw new RangeError(`event facts: event #${i} was let go before it was looked at`);
      const w = c.words;
      const end = Math.min(to, c.end);
      for (; i < end; i++) {
        const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
        const kind = w[at + EV.kind];
        if (kind === EventKind.HCALL || kind === EventKind.DMA || kind === EventKind.IRQ_RAISE || kind === EventKind.IRQ_DELIVER) continue;
        const guest = w[at + EV.guest];
        if (kind === EventKind.KILL || kind === EventKind.LAUNCHER_EXIT) {
          this.kills.push({ index: i, guest, kind: kind === EventKind.KILL ? 'kill' : 'exit', str: w[at + EV.a] });
          changed = true;
        } else if (kind === EventKind.LAUNCHER_WARN) {
          const str = w[at + EV.a];
          let k = this.warns.find((x) => x.guest === guest && x.str === str);
          if (!k) this.warns.push((k = { guest, str, at: [] }));
          k.at.push(i);
          changed = true;
        } else if (kind === EventKind.BLOCK_IO && guest < this.pending.length) {
          this.pending[guest] = { write: w[at + EV.a] !== 0, sector: w[at + EV.b], bytes: w[at + EV.c], moved: w[at + EV.d], result: w[at + EV.e] };
        } else if (kind === EventKind.LAUNCHER_OUTPUT && guest < this.pending.length) {
          const dev = this.blockDevice[guest];
          const p = this.pending[guest];
          this.pending[guest] = null;
          if (dev >= 0 && w[at + EV.d] === dev) {
            this.blocks.push({ index: i, guest, device: dev, write: p?.write ?? false, sector: p?.sector ?? 0, bytes: p?.bytes ?? 0, moved: p?.moved ?? 0, result: p?.result ?? 0, usedLen: w[at + EV.c] });
            if (this.blocks.length > 2 * BLOCK_KEEP) {
              this.blocks.splice(0, this.blocks.length - BLOCK_KEEP);
              this.blockComplete = this.blocks[0].index;
            }
            changed = true;
          }
        }
      }
    }
    this.done = i;
    if (changed) this.seq++;
  }

  /** The timeline forked at `count`: facts from there on belong to the old timeline. */
  rewind(count: number): void {
    if (count >= this.done) return;
    this.kills = this.kills.filter((k) => k.index < count);
    for (const w of this.warns) w.at = w.at.filter((i) => i < count);
    this.warns = this.warns.filter((w) => w.at.length > 0);
    this.blocks = this.blocks.filter((b) => b.index < count);
    // A BLOCK_IO left pending at the fork point would pair with the new timeline's output: forget it.
    this.pending.fill(null);
    this.done = count;
    this.seq++;
  }

  /** The facts of the state after event #view-1. */
  at(view: number, limit = 512): FactsView {
    const kills = this.kills.filter((k) => k.index < view);
    const warnings: WarnFact[] = [];
    for (const w of this.warns) {
      const n = countBelow(w.at, view);
      if (n > 0) warnings.push({ guest: w.guest, str: w.str, count: n, last: w.at[n - 1] });
    }
    const upTo = countBelow(this.blocks, view);
    const blockRequests = this.blocks.slice(Math.max(0, upTo - limit), upTo);
    let stringsNeeded = 0;
    for (const k of kills) stringsNeeded = Math.max(stringsNeeded, k.str + 1);
    for (const w of warnings) stringsNeeded = Math.max(stringsNeeded, w.str + 1);
    let sameUntil = Infinity;
    const k = countBelow(this.kills, view);
    if (k < this.kills.length) sameUntil = Math.min(sameUntil, this.kills[k].index);
    if (upTo < this.blocks.length) sameUntil = Math.min(sameUntil, this.blocks[upTo].index);
    for (const w of this.warns) {
      const n = countBelow(w.at, view);
      if (n < w.at.length) sameUntil = Math.min(sameUntil, w.at[n]);
    }
    return {
      kills,
      warnings,
      blockRequests,
      blockComplete: upTo - limit > 0 ? blockRequests[0].index : this.blockComplete,
      stringsNeeded,
      sameUntil: sameUntil === Infinity ? -1 : sameUntil,
    };
  }
}

/** How many of `xs` (sorted event indices, or facts sorted by index) are below `v`. */
function countBelow(xs: readonly (number | { readonly index: number })[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = xs[mid];
    if ((typeof x === 'number' ? x : x.index) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
