/**
 * What the panels need from the event history, gathered by one pass over the
 * shared event chunks as the shown count grows (not per event into React):
 * kill reasons, block requests, and the last transfer into each receive
 * buffer (to flash it). Events are read as raw words at the SIM_EVENT field
 * indices of the ABI table (`EV`), without allocating per event.
 *
 * Time travel: when the shown count goes back, the pass starts over from 0
 * (cheap: a few ms for a million events); facts read from memory at scan time
 * (block page fields) are cached by event index so a rescan keeps them, and
 * the cache is cut when the timeline forks.
 */
import { LGUEST_DEVICE_T_BLOCK } from '../../abi/constants.ts';
import { EV, EVENT_CHUNK, EVENT_WORDS, EventKind } from '../../hw/events.ts';
import type { SessionInfo } from '../../worker/api.ts';
import { decodeBlockPage } from './struct-decoders.ts';
import type { FrameViews } from './frame-views.ts';
import { bytesAsText } from '../../base/latin1.ts';

export interface KillRecord {
  readonly index: number;
  readonly guest: number;
  /** KILL: the Host killed the guest; LAUNCHER_EXIT: its Launcher exited. */
  readonly kind: 'kill' | 'exit';
  /** Index into the event string table. */
  readonly str: number;
}

/** One kind of Launcher warning (warnx: it printed and carried on), e.g. "console: no dma buffer!", per guest. */
export interface WarnRecord {
  readonly guest: number;
  /** Index into the event string table. */
  readonly str: number;
  /** How many times, and the last event that printed it. */
  readonly count: number;
  readonly last: number;
}

export interface BlockRequest {
  /** The LAUNCHER_OUTPUT event that handled it. */
  readonly index: number;
  readonly guest: number;
  readonly device: number;
  readonly write: boolean;
  readonly sector: number;
  readonly bytes: number;
  readonly result: number;
  readonly usedLen: number;
}

interface BlockDev {
  readonly index: number;
  readonly gpa: number;
}

/** guest → its first kill reason (the Host keeps only the first, spec §2.1), else its Launcher's exit message. */
export function killReasons(kills: readonly KillRecord[], strings: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  // The reason is the kernel's bytes: shown as a UTF-8 terminal shows them (src/base/byte-text.ts).
  for (const k of kills) if (k.kind === 'kill' && !out.has(k.guest)) out.set(k.guest, bytesAsText(strings[k.str] ?? '…'));
  for (const k of kills) if (k.kind === 'exit' && !out.has(k.guest)) out.set(k.guest, `launcher exited: ${bytesAsText(strings[k.str] ?? '…')}`);
  return out;
}

export class EventDigest {
  /** Events scanned so far ([0, scanned)). */
  scanned = 0;
  kills: KillRecord[] = [];
  warnings: WarnRecord[] = [];
  blockRequests: BlockRequest[] = [];
  dmaTransfers = 0;
  /** Highest string index a scanned event refers to (+1). */
  stringsNeeded = 0;
  /** `${guest}:${entry gpa}` → the last DMA into it and when the page saw it (performance.now()). */
  private readonly flashes = new Map<string, { event: number; at: number }>();
  private readonly blockCache = new Map<number, BlockRequest>();
  private blockDevs: (BlockDev | null)[] = [];

  /** A new session: forget everything. */
  reset(info: SessionInfo): void {
    this.scanned = 0;
    this.kills = [];
    this.warnings = [];
    this.blockRequests = [];
    this.dmaTransfers = 0;
    this.stringsNeeded = 0;
    this.flashes.clear();
    this.blockCache.clear();
    this.blockDevs = info.guests.map((g) => {
      const d = g.devices.find((x) => x.type === LGUEST_DEVICE_T_BLOCK);
      return d ? { index: d.index, gpa: d.gpa } : null;
    });
  }

  /** The timeline forked at `count`: cached facts about later events are stale. */
  forgetFrom(count: number): void {
    for (const k of this.blockCache.keys()) if (k >= count) this.blockCache.delete(k);
    for (const [k, f] of this.flashes) if (f.event >= count) this.flashes.delete(k);
  }

  /** Bring the digest to `to` events. Returns true if anything the panels show changed. */
  scan(chunks: readonly Uint32Array[], to: number, v: FrameViews, now: number): boolean {
    const avail = Math.min(to, chunks.length * EVENT_CHUNK);
    let live = true;
    if (avail < this.scanned) {
      // Shown count went back: start over (no flashes for history).
      this.forgetFlashesFrom(avail);
      this.scanned = 0;
      this.kills = [];
      this.warnings = [];
      this.blockRequests = [];
      this.dmaTransfers = 0;
      live = false;
    }
    if (avail === this.scanned) return !live;
    const kills = this.kills.slice();
    const reqs = this.blockRequests.slice();
    let warns: WarnRecord[] | null = null;
    let killsChanged = false;
    let reqsChanged = false;
    for (let i = this.scanned; i < avail; i++) {
      const w = chunks[Math.floor(i / EVENT_CHUNK)];
      const at = (i % EVENT_CHUNK) * EVENT_WORDS;
      const kind = w[at + EV.kind];
      if (kind === EventKind.DMA) {
        this.dmaTransfers++;
        if (live) this.flashes.set(`${w[at + EV.a]}:${w[at + EV.d]}`, { event: i, at: now });
      } else if (kind === EventKind.KILL || kind === EventKind.LAUNCHER_EXIT) {
        const str = w[at + EV.a];
        kills.push({ index: i, guest: w[at + EV.guest], kind: kind === EventKind.KILL ? 'kill' : 'exit', str });
        this.stringsNeeded = Math.max(this.stringsNeeded, str + 1);
        killsChanged = true;
      } else if (kind === EventKind.LAUNCHER_WARN) {
        const str = w[at + EV.a];
        const guest = w[at + EV.guest];
        warns ??= this.warnings.slice();
        const k = warns.findIndex((x) => x.guest === guest && x.str === str);
        if (k < 0) warns.push({ guest, str, count: 1, last: i });
        else warns[k] = { guest, str, count: warns[k].count + 1, last: i };
        this.stringsNeeded = Math.max(this.stringsNeeded, str + 1);
      } else if (kind === EventKind.LAUNCHER_OUTPUT) {
        const guest = w[at + EV.guest];
        const dev = this.blockDevs[guest];
        if (dev && w[at + EV.d] === dev.index) {
          reqs.push(this.blockRequest(i, guest, dev, w[at + EV.c], v));
          reqsChanged = true;
        }
      }
    }
    this.scanned = avail;
    if (killsChanged) this.kills = kills;
    if (warns) this.warnings = warns;
    if (reqsChanged) this.blockRequests = reqs;
    return true;
  }

  /**
   * The request a LAUNCHER_OUTPUT on the block key handled. The event carries
   * no sector, so the fields come from the block page as this frame sees it:
   * exact when stepping, the latest request's when several ran in one frame.
   */
  private blockRequest(index: number, guest: number, dev: BlockDev, usedLen: number, v: FrameViews): BlockRequest {
    const cached = this.blockCache.get(index);
    if (cached) return cached;
    const p = decodeBlockPage(v, guest, dev.gpa);
    const r: BlockRequest = {
      index,
      guest,
      device: dev.index,
      write: (p?.type ?? 0) !== 0,
      sector: p?.sector ?? 0,
      bytes: p?.bytes ?? 0,
      result: p?.result ?? 0,
      usedLen,
    };
    this.blockCache.set(index, r);
    return r;
  }

  private forgetFlashesFrom(count: number): void {
    for (const [k, f] of this.flashes) if (f.event >= count) this.flashes.delete(k);
  }

  /** The last transfer into a receive entry, if the page saw it arrive. */
  flashOf(guest: number, entry: number): { event: number; at: number } | undefined {
    return this.flashes.get(`${guest}:${entry}`);
  }
}
