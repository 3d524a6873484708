/**
 * The CaptionContext of an event, worked out from what the page can see: the
 * recorded events around it and the shared-memory views (which page a key is
 * in, a descriptor's type, a struct's lengths). Nothing here asks the Host.
 *
 * The events of one hypercall are recorded before the HCALL event itself
 * (dma_transfer's DMA / DMA_FULL / IRQ_RAISE, a KILL), and nothing else runs
 * while a hypercall does, so "this call's events" are those between the
 * previous event of another sort and the HCALL.
 */
import { EventKind, type SimEvent } from '../hw/events.ts';
import type { CaptionContext, Delivery, KeyPage } from './caption-types.ts';
import { LHCALL_BIND_DMA, LHCALL_SEND_DMA, LHREQ_GETDMA } from '../abi/constants.ts';

export interface CaptionFacts {
  /** Event `i` of the shown timeline, or undefined when it cannot be read. */
  event(i: number): SimEvent | undefined;
  readonly strings: readonly string[];
  /** Which page `gpa` of `guest` is in, from the guest's page map. */
  keyPage(guest: number, gpa: number): KeyPage;
  /** The type name of descriptor `index` of `guest` ('console', 'block', 'net'), if readable. */
  deviceType?(guest: number, index: number): string | undefined;
  /**
   * The total section length of the lguest_dma at `gpa`, if readable and still
   * as it was at the event (the caller knows: e.g. only for the newest event).
   */
  sentBytes?(guest: number, gpa: number, eventIndex: number): number | undefined;
}

/** How far back one call's own events can reach: 2 tries × (DMA_FULL + IRQ_RAISE) + kills, with room to spare. */
const CALL_WINDOW = 16;
const IN_CALL: ReadonlySet<number> = new Set([EventKind.DMA, EventKind.DMA_FULL, EventKind.IRQ_RAISE, EventKind.KILL]);
const NO_DEVICE = 0xffffffff;
const ENOENT = 2;

/** The events the call recorded just before event `index`, newest first. */
function callEvents(index: number, facts: CaptionFacts): SimEvent[] {
  const out: SimEvent[] = [];
  for (let j = index - 1; j >= 0 && index - j <= CALL_WINDOW; j--) {
    const e = facts.event(j);
    if (!e || !IN_CALL.has(e.kind)) break;
    out.push(e);
  }
  return out;
}

function deliveryOf(ev: SimEvent, own: readonly SimEvent[], facts: CaptionFacts): Delivery {
  const mine = (e: SimEvent): boolean => e.guest === ev.guest && e.b === ev.b >>> 0 && e.c === ev.c >>> 0;
  const copied = own.find((e) => e.kind === EventKind.DMA && mine(e));
  if (copied) return { kind: 'copied', to: copied.a, bytes: copied.e, entry: copied.d };
  const victim = own.find((e) => e.kind === EventKind.KILL && e.guest !== ev.guest);
  if (victim) return { kind: 'receiver-killed', to: victim.guest, reason: facts.strings[victim.a] ?? '' };
  const full = own.filter((e) => e.kind === EventKind.DMA_FULL && mine(e));
  if (full.length > 0) return { kind: 'full', to: full[0].a, tries: full.length };
  return { kind: 'nobody' };
}

export function captionContext(ev: SimEvent, facts: CaptionFacts): CaptionContext {
  switch (ev.kind) {
    case EventKind.HCALL: {
      const own = callEvents(ev.index, facts);
      const kill = own.find((e) => e.kind === EventKind.KILL && e.guest === ev.guest);
      const killedFor = kill ? (facts.strings[kill.a] ?? '') : null;
      if (ev.a !== LHCALL_SEND_DMA && ev.a !== LHCALL_BIND_DMA) return { killedFor };
      const keyPage = facts.keyPage(ev.guest, ev.b);
      if (ev.a === LHCALL_SEND_DMA && keyPage === 'shared' && killedFor === null) return { killedFor, keyPage, delivery: deliveryOf(ev, own, facts) };
      return { killedFor, keyPage };
    }
    case EventKind.DMA: {
      const sent = facts.sentBytes?.(ev.guest, ev.c, ev.index);
      return sent === undefined ? {} : { sentBytes: sent };
    }
    case EventKind.DMA_FULL: {
      // send_dma's first try and its one retry each record a DMA_FULL for the same (sender, key, struct).
      const earlier = callEvents(ev.index, facts).filter((e) => e.kind === EventKind.DMA_FULL && e.guest === ev.guest && e.b === ev.b && e.c === ev.c);
      return { attempt: earlier.length + 1 };
    }
    case EventKind.LAUNCHER_OUTPUT: {
      const t = ev.d !== NO_DEVICE ? facts.deviceType?.(ev.guest, ev.d) : undefined;
      return t === undefined ? {} : { deviceType: t };
    }
    case EventKind.STATUS: {
      const t = facts.deviceType?.(ev.guest, ev.a);
      return t === undefined ? {} : { deviceType: t };
    }
    case EventKind.LHREQ: {
      // GETDMA with a bad key kills the guest (spec §2.5) just before the write returns ENOENT.
      const prev = facts.event(ev.index - 1);
      const killedFor = prev && prev.kind === EventKind.KILL && prev.guest === ev.guest ? (facts.strings[prev.a] ?? '') : null;
      // ENOENT from anything but GETDMA (no binding) means the guest is dead (spec §3.1).
      return { guestDead: (ev.c | 0) === -ENOENT && ev.a !== LHREQ_GETDMA, killedFor };
    }
    default:
      return {};
  }
}
