/**
 * What the page fetches of the run's history (issue #15: the worker keeps a
 * window of events and builds the overview and the facts itself), once per
 * changed frame, one call of each kind in flight, answers for an older
 * session dropped:
 *  - the event slots the window lacks (event-window.ts `wanted`), under the
 *    live block's `event_dir` of this frame;
 *  - the worker's kills, warnings and block requests of the shown state
 *    (api.facts) when `facts_seq` or the shown count changed;
 *  - not cross-origin isolated: a copy of the timeline bins when `bins_seq` changed.
 */
import type * as Comlink from 'comlink';
import type { SessionInfo, SimApi } from '../../worker/api.ts';
import type { EventDigest } from './event-digest.ts';
import { DIR_SLOTS, EventWindow } from './event-window.ts';
import { type FrameViews, liveAt } from './frame-views.ts';
import { liveWord } from '../../worker/live-block.ts';

const DIR_AT = liveWord('event_dir');

export class HistoryFeed {
  readonly events = new EventWindow();
  /** The timeline bins: the worker's buffer when shared, else the last copy (null: none yet). */
  timeline: ArrayBufferLike | null = null;
  private shared = true;
  private slotsInFlight = false;
  private factsInFlight = false;
  private factsKey = '';
  /** The facts the page holds: for which view and facts_seq, and up to which view they stay the same. */
  private factsHeld: { view: number; seq: number; sameUntil: number } | null = null;
  private timelineInFlight = false;
  private timelineSeq = -1;

  constructor(private readonly digest: EventDigest) {}

  reset(info: SessionInfo): void {
    this.shared = info.shared;
    this.events.reset(info.shared);
    this.timeline = info.shared ? info.timeline : null;
    this.timelineSeq = -1;
    this.factsKey = '';
    this.factsHeld = null;
    this.slotsInFlight = this.factsInFlight = this.timelineInFlight = false;
  }

  /** Take this frame's directory and ask for what changed; `current` says the session is still the one asked about, `arrived` marks the frame dirty. */
  poll(api: Comlink.Remote<SimApi>, v: FrameViews, current: () => boolean, arrived: () => void): void {
    this.events.setDirectory(v.live.subarray(DIR_AT, DIR_AT + 3 * DIR_SLOTS));
    this.fetchSlots(api, liveAt(v, 'chunk_count'), current, arrived);
    this.fetchFacts(api, liveAt(v, 'view'), liveAt(v, 'facts_seq'), current, arrived);
    if (!this.shared) this.fetchTimeline(api, liveAt(v, 'bins_seq'), current, arrived);
  }

  private fetchSlots(api: Comlink.Remote<SimApi>, slotCount: number, current: () => boolean, arrived: () => void): void {
    if (this.slotsInFlight) return;
    const want = this.events.wanted(slotCount);
    if (!want) return;
    const asked = this.events.directory();
    this.slotsInFlight = true;
    const done = (): void => {
      if (!current()) return;
      this.slotsInFlight = false;
      arrived();
    };
    api.eventSlots(want[0], want[1]).then((bufs) => {
      if (current()) this.events.adopt(want[0], bufs, asked);
      done();
    }, done);
  }

  private fetchFacts(api: Comlink.Remote<SimApi>, view: number, seq: number, current: () => boolean, arrived: () => void): void {
    const key = `${view}:${seq}`;
    if (this.factsInFlight || key === this.factsKey) return;
    // A run moving the view forward past no new fact: the facts are the ones the page has (no round trip, no redraw).
    const h = this.factsHeld;
    if (h && h.seq === seq && view >= h.view && (h.sameUntil < 0 || view <= h.sameUntil)) return;
    this.factsInFlight = true;
    this.factsKey = key;
    const done = (): void => {
      if (!current()) return;
      this.factsInFlight = false;
      arrived();
    };
    api.facts(view).then((f) => {
      if (current()) {
        this.digest.setFacts(f, view);
        this.factsHeld = { view, seq, sameUntil: f.sameUntil };
      }
      done();
    }, done);
  }

  private fetchTimeline(api: Comlink.Remote<SimApi>, seq: number, current: () => boolean, arrived: () => void): void {
    if (this.timelineInFlight || seq === this.timelineSeq) return;
    this.timelineInFlight = true;
    const done = (): void => {
      if (!current()) return;
      this.timelineInFlight = false;
      arrived();
    };
    api.timelineCopy().then((buf) => {
      if (!current()) return;
      this.timeline = buf;
      this.timelineSeq = seq;
      done();
    }, done);
  }
}
