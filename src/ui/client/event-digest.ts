/**
 * What the panels need from the event history. Kills, Launcher warnings and
 * block requests are the worker's facts (src/worker/event-facts.ts: it sees
 * every event before the bounded log lets it go, and a block request is the
 * BLOCK_IO event itself, not a later reading of the block page), fetched by
 * the client for the shown count (`setFacts`). The page only gathers the last
 * transfer into each receive buffer (to flash it) from the readable recent
 * events as the shown count grows, reading raw words at the SIM_EVENT field
 * indices of the ABI table (`EV`) without allocating per event.
 */
import { EV, EVENT_CHUNK, EVENT_WORDS, EventKind } from '../../hw/events.ts';
import type { BlockFact, FactsView, KillFact, WarnFact } from '../../worker/event-facts.ts';
import type { EventWindow } from './event-window.ts';
import { bytesAsText } from '../../base/latin1.ts';

export type KillRecord = KillFact;
/** One kind of Launcher warning (warnx: it printed and carried on), e.g. "console: no dma buffer!", per guest. */
export type WarnRecord = WarnFact;
export type BlockRequest = BlockFact;

/** guest → its first kill reason (the Host keeps only the first, spec §2.1), else its Launcher's exit message. */
export function killReasons(kills: readonly KillRecord[], strings: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  // The reason is the kernel's bytes: shown as a UTF-8 terminal shows them (src/base/byte-text.ts).
  for (const k of kills) if (k.kind === 'kill' && !out.has(k.guest)) out.set(k.guest, bytesAsText(strings[k.str] ?? '…'));
  for (const k of kills) if (k.kind === 'exit' && !out.has(k.guest)) out.set(k.guest, `launcher exited: ${bytesAsText(strings[k.str] ?? '…')}`);
  return out;
}

export class EventDigest {
  /** Events looked at for flashes ([.., scanned)). */
  scanned = 0;
  kills: readonly KillRecord[] = [];
  warnings: readonly WarnRecord[] = [];
  blockRequests: readonly BlockRequest[] = [];
  /** Requests handled before this event may be missing from `blockRequests` (older than the worker keeps). */
  blockComplete = 0;
  /** The shown count the facts are of (-1: none yet). */
  factsView = -1;
  /** Highest string index a fact refers to (+1). */
  stringsNeeded = 0;
  /** `${guest}:${entry gpa}` → the last DMA into it and when the page saw it (performance.now()). */
  private readonly flashes = new Map<string, { event: number; at: number }>();

  /** A new session: forget everything. */
  reset(): void {
    this.scanned = 0;
    this.kills = [];
    this.warnings = [];
    this.blockRequests = [];
    this.blockComplete = 0;
    this.factsView = -1;
    this.stringsNeeded = 0;
    this.flashes.clear();
  }

  /** The timeline forked at `count`: flashes of later events are stale. */
  forgetFrom(count: number): void {
    this.forgetFlashesFrom(count);
    this.scanned = Math.min(this.scanned, count);
  }

  /** The worker's facts of the state after event #view-1 (api.facts(view)). */
  setFacts(f: FactsView, view: number): void {
    this.kills = f.kills;
    this.warnings = f.warnings;
    this.blockRequests = f.blockRequests;
    this.blockComplete = f.blockComplete;
    this.stringsNeeded = f.stringsNeeded;
    this.factsView = view;
  }

  /**
   * Bring the flashes to `to` shown events, over the readable events of
   * `win`. Going back forgets the flashes after it (no flashes for history);
   * a jump forward flashes only what is still readable. Returns true if a
   * flash changed.
   */
  scan(win: EventWindow, to: number, now: number): boolean {
    if (to < this.scanned) {
      this.forgetFlashesFrom(to);
      this.scanned = to;
      return true;
    }
    let i = Math.max(this.scanned, win.keptFrom(to));
    let changed = false;
    while (i < to) {
      const s = win.slotOf(i);
      if (s < 0) {
        i = Math.min(to, win.nextKept(i));
        continue;
      }
      const w = win.words(s);
      const end = Math.min(to, win.end(s));
      for (; i < end; i++) {
        const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
        if (w[at + EV.kind] !== EventKind.DMA) continue;
        this.flashes.set(`${w[at + EV.a]}:${w[at + EV.d]}`, { event: i, at: now });
        changed = true;
      }
    }
    this.scanned = Math.max(this.scanned, to);
    return changed;
  }

  private forgetFlashesFrom(count: number): void {
    for (const [k, f] of this.flashes) if (f.event >= count) this.flashes.delete(k);
  }

  /** The last transfer into a receive entry, if the page saw it arrive. */
  flashOf(guest: number, entry: number): { event: number; at: number } | undefined {
    return this.flashes.get(`${guest}:${entry}`);
  }
}
