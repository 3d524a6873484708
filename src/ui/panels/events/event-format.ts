/**
 * How one event reads in the log, and what it touched (clicking it selects
 * that key, buffer or device). Text comes from the core's own JSON form
 * (eventToJson), so the log says what `--trace` says.
 */
import { LHCALL_BIND_DMA, LHCALL_SEND_DMA, LHREQ_GETDMA, PAGE_SHIFT, PAGE_SIZE } from '../../../abi/constants.ts';
import { EVENT_KIND_NAMES, EventKind, type SimEvent } from '../../../hw/events.ts';
import type { EventSource } from '../../client/event-window.ts';
import { hexAlt } from '../../../base/printf.ts';
import type { SelectionSlice } from '../../store/selection-slice.ts';
import type { FrameViews } from '../../client/frame-views.ts';
import { type BindingRow, decodeBindings } from '../../client/struct-decoders.ts';
import { eventWords, eventWordsText } from '../../../views/register-labels.ts';

export const kindName = (kind: number): string => EVENT_KIND_NAMES[kind] ?? `kind ${kind}`;

/** "call=BIND_DMA key=0x40000 …": the event's fields after index, time, kind and guest, with readable names (views/register-labels.ts). */
export function eventDetail(ev: SimEvent, strings: readonly string[]): string {
  return eventWordsText(eventWords(ev, strings));
}

/** The binding of `guest` whose array holds the struct at `entry`. */
export function bindingHolding(v: FrameViews, guest: number, entry: number): BindingRow | undefined {
  return decodeBindings(v, guest).find((b) => entry >= b.dmas && entry < b.dmas + b.num * v.dma.size);
}

const bindingOfKey = (v: FrameViews, guest: number, key: number): BindingRow | undefined => decodeBindings(v, guest).find((b) => b.key === key >>> 0);

/**
 * Who receives a send to `key` from `guest`: for a key in a shared page, the
 * most recent binding of the same futex key (object, offset) in another
 * guest (spec §2.2, §2.4). A private key has no receiver binding: the send
 * goes to the Launcher (isPrivateKey) and never looks at bindings.
 */
export function receiverOf(v: FrameViews, guest: number, key: number): BindingRow | undefined {
  const sp = v.guests[guest]?.sharedPages.get(key >>> PAGE_SHIFT);
  if (!sp) return undefined;
  const ident = sp.page * PAGE_SIZE + (key & (PAGE_SIZE - 1));
  let best: BindingRow | undefined;
  for (let g = 0; g < v.guests.length; g++) {
    if (g === guest) continue;
    for (const b of decodeBindings(v, g)) if (b.shared === sp.object + 1 && b.ident === ident && (!best || b.seq > best.seq)) best = b;
  }
  return best;
}

/**
 * A key outside every shared page is a private futex key: SEND_DMA on it
 * wakes the Launcher (read() returns the send) and never looks at bindings
 * (spec §2.4 step 2, §7.2; v2.6.23 send_dma: `if (!(key.shared.offset & 1))`).
 */
export function isPrivateKey(v: FrameViews, guest: number, key: number): boolean {
  return v.guests[guest]?.sharedPages.get(key >>> PAGE_SHIFT) === undefined;
}

/**
 * "→ Launcher (private key)" and where the Launcher handled the send: its
 * launcher_read and launcher_output events, looked for among the readable
 * events before `readable` (the search stops at the first event not in memory).
 */
export function launcherRoute(events: EventSource | null, readable: number, ev: SimEvent, key: number, dma: number): string {
  const found: string[] = [];
  const limit = Math.min(readable, ev.index + 4096);
  for (let i = ev.index; events && i < limit && found.length < 2; i++) {
    const e = events.read(i);
    if (!e) break;
    if (e.guest !== ev.guest || e.a !== key >>> 0 || e.b !== dma >>> 0) continue;
    if (e.kind === EventKind.LAUNCHER_READ && found.length === 0) found.push(`launcher_read #${i}`);
    else if (e.kind === EventKind.LAUNCHER_OUTPUT && found.length === 1) found.push(`launcher_output #${i}`);
  }
  return `guest ${ev.guest} key ${hexAlt(key)} → Launcher (private key)${found.length ? `: ${found.join(', ')}` : ''}`;
}

type Touched = Partial<Pick<SelectionSlice, 'selKey' | 'selDma' | 'selDevice' | 'selSection' | 'selNote'>>;

const keyRef = (b: BindingRow | undefined): Touched => ({ selKey: b ? { guest: b.guest, key: b.key, dmas: b.dmas } : null });

/** What an event touched, as a selection (bindings as they are in the shown state). */
export function touchedBy(ev: SimEvent, v: FrameViews, events: EventSource | null = null, readable = 0): Touched {
  switch (ev.kind) {
    case EventKind.DMA:
      // guest=sender, a=receiver, d=receiver entry: select the receiving buffer.
      return { ...keyRef(bindingHolding(v, ev.a, ev.d)), selDma: { guest: ev.a, gpa: ev.d }, selSection: null };
    case EventKind.DMA_FULL:
      return { ...keyRef(receiverOf(v, ev.guest, ev.b)), selDma: { guest: ev.guest, gpa: ev.c }, selSection: null };
    case EventKind.HCALL:
      if (ev.a === LHCALL_BIND_DMA) return { ...keyRef(bindingOfKey(v, ev.guest, ev.b)), selDma: { guest: ev.guest, gpa: ev.c }, selSection: null };
      if (ev.a === LHCALL_SEND_DMA) {
        if (isPrivateKey(v, ev.guest, ev.b)) return { selKey: null, selDma: { guest: ev.guest, gpa: ev.c }, selSection: null, selNote: launcherRoute(events, readable, ev, ev.b, ev.c) };
        return { ...keyRef(receiverOf(v, ev.guest, ev.b)), selDma: { guest: ev.guest, gpa: ev.c }, selSection: null };
      }
      return {};
    case EventKind.LAUNCHER_READ:
      // The Launcher's side of a send: the sender's struct, never a binding (spec §2.4 step 2).
      return { selKey: null, selDma: { guest: ev.guest, gpa: ev.b }, selSection: null, selNote: `guest ${ev.guest} key ${hexAlt(ev.a)} → Launcher (private key): read() returned the send` };
    case EventKind.LAUNCHER_OUTPUT:
      return {
        selKey: null,
        selNote: `guest ${ev.guest} key ${hexAlt(ev.a)} → Launcher (private key): its output handler wrote used_len ${ev.c}`,
        selDma: { guest: ev.guest, gpa: ev.b },
        selSection: null,
        ...(ev.d !== 0xffffffff ? { selDevice: { guest: ev.guest, index: ev.d } } : {}),
      };
    case EventKind.LHREQ: {
      const b = ev.a === LHREQ_GETDMA ? bindingOfKey(v, ev.guest, ev.b) : undefined;
      return b ? keyRef(b) : {};
    }
    case EventKind.STATUS:
      return { selDevice: { guest: ev.guest, index: ev.a } };
    case EventKind.CONSOLE_INPUT:
      return { ...keyRef(bindingHolding(v, ev.guest, ev.b)), selDma: { guest: ev.guest, gpa: ev.b }, selSection: null };
    default:
      return {};
  }
}
