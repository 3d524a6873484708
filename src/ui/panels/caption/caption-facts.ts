/**
 * CaptionFacts over what the page holds: the events in memory (event-window.ts) and the
 * shared-memory views (the guest's page map, its descriptor page, a struct's
 * lengths). The caption module never reaches further than these.
 */
import { PAGE_SHIFT } from '../../../abi/constants.ts';
import type { CaptionFacts } from '../../../views/caption-context.ts';
import type { KeyPage } from '../../../views/caption-types.ts';
import { type FrameViews, liveAt } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { decodeDescriptors, decodeDma } from '../../client/struct-decoders.ts';

/** Which page a gpa of `guest` is in: a shared object's (the guest's page map says so), its own, or past its top. */
export function keyPageOf(v: FrameViews, guest: number, gpa: number): KeyPage {
  const g = v.guests[guest];
  if (!g || gpa + 4 > g.info.top) return 'unmapped';
  return g.sharedPages.has(gpa >>> PAGE_SHIFT) ? 'shared' : 'private';
}

export function captionFacts(v: FrameViews, client: SimClient): CaptionFacts {
  const view = liveAt(v, 'view');
  // Paused, memory is the state right after the newest shown event; running, it may be ahead of it.
  const newest = liveAt(v, 'running') === 0 ? liveAt(v, 'view') - 1 : -1;
  return {
    // An event not in memory reads as unknown: the caption says less rather than guess.
    event: (i) => (i >= 0 && i < view ? client.events.read(i) : undefined),
    strings: client.strings,
    keyPage: (guest, gpa) => keyPageOf(v, guest, gpa),
    deviceType: (guest, index) => {
      const row = decodeDescriptors(v, guest)[index];
      return row && row.type !== 0 ? row.typeName : undefined;
    },
    // A sender's lengths are only known to be as sent for the newest event, and only while paused.
    sentBytes: (guest, gpa, eventIndex) => {
      if (eventIndex !== newest) return undefined;
      const d = decodeDma(v, guest, gpa);
      if (d.usedLen === null) return undefined;
      let total = 0;
      for (const s of d.sections) {
        if (s.len === 0) break;
        total += s.len;
      }
      return total;
    },
  };
}
