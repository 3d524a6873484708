/**
 * Chrome trace-event JSON (the format Perfetto UI and chrome://tracing open):
 * one process, one track per guest, one for the Host and one per Launcher.
 * Events are instants ('i') at their virtual time in µs (one tick = 1 µs).
 */
import { EventKind, type SimEvent } from '../hw/events.ts';
import type { EventLog } from '../hw/event-log.ts';
import { eventToJson } from '../hw/event-json.ts';

export interface ChromeEvent {
  name: string;
  ph: 'i' | 'M';
  ts?: number;
  pid: number;
  tid: number;
  s?: 't';
  cat?: string;
  args?: Record<string, string | number>;
}

export const HOST_TID = 100;
export const launcherTid = (guest: number): number => 200 + guest;
export const guestTid = (guest: number): number => 1 + guest;

/** Which track an event belongs on: the guest did it, the Host did it, or its Launcher did. */
export function trackOf(kind: EventKind, guest: number): number {
  switch (kind) {
    case EventKind.HCALL:
    case EventKind.IRQ_DELIVER:
    case EventKind.STATUS:
    case EventKind.HALT:
      return guestTid(guest);
    case EventKind.DMA:
    case EventKind.DMA_FULL:
    case EventKind.IRQ_RAISE:
    case EventKind.KILL:
      return HOST_TID;
    default:
      return launcherTid(guest === 0xffffffff ? 0 : guest);
  }
}

/** One event as a trace instant on its track. */
function instantOf(ev: SimEvent, strings: EventLog['strings']): ChromeEvent {
  const j = eventToJson(ev, strings);
  const name = j.kind === 'hcall' ? `hcall ${j.call}` : String(j.kind);
  const { i: _i, t: _t, kind: _k, ...args } = j;
  return { name, ph: 'i', s: 't', ts: ev.time, pid: 1, tid: trackOf(ev.kind, ev.guest), cat: String(j.kind), args: { ...args, event: ev.index } };
}

const HEAD: readonly ChromeEvent[] = [
  { name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name: 'lguest-lab' } },
  { name: 'thread_name', ph: 'M', pid: 1, tid: HOST_TID, args: { name: 'Host' } },
];

/** The guest and launcher track names, for the guests that have events. */
function tailOf(guests: ReadonlySet<number>): ChromeEvent[] {
  const out: ChromeEvent[] = [];
  for (const g of [...guests].sort((a, b) => a - b)) {
    out.push({ name: 'thread_name', ph: 'M', pid: 1, tid: guestTid(g), args: { name: `guest ${g}` } });
    out.push({ name: 'thread_name', ph: 'M', pid: 1, tid: launcherTid(g), args: { name: `launcher ${g}` } });
  }
  return out;
}

export function toChromeTrace(log: EventLog): { traceEvents: ChromeEvent[]; displayTimeUnit: 'ns' } {
  const out: ChromeEvent[] = [...HEAD];
  const guests = new Set<number>();
  for (let i = 0; i < log.count; i++) {
    const ev = log.get(i);
    if (ev.guest !== 0xffffffff) guests.add(ev.guest);
    out.push(instantOf(ev, log.strings));
  }
  out.push(...tailOf(guests));
  return { traceEvents: out, displayTimeUnit: 'ns' };
}

/**
 * The document of toChromeTrace, written as the events come (the CLI's
 * streamed `--trace`, issue #15): `head()`, then `events(log, from, to)` for
 * consecutive ranges, then `end()`. Concatenated, the pieces are exactly
 * JSON.stringify(toChromeTrace(log)).
 */
export class ChromeTraceStream {
  private readonly guests = new Set<number>();

  head(): string {
    return `{"traceEvents":[${HEAD.map((e) => JSON.stringify(e)).join(',')}`;
  }

  events(log: EventLog, from: number, to: number): string {
    let part = '';
    for (let i = from; i < to; i++) {
      const ev = log.get(i);
      if (ev.guest !== 0xffffffff) this.guests.add(ev.guest);
      part += `,${JSON.stringify(instantOf(ev, log.strings))}`;
    }
    return part;
  }

  end(): string {
    let part = '';
    for (const e of tailOf(this.guests)) part += `,${JSON.stringify(e)}`;
    return `${part}],"displayTimeUnit":"ns"}`;
  }
}

/**
 * The same document as JSON.stringify(toChromeTrace(log)), as a run of text
 * pieces of about `eventsPerPart` events each, so a million-event export is
 * never one object graph or one ~200 MB string (the page saves the pieces as
 * one Blob). Concatenated, they parse to exactly toChromeTrace(log).
 */
export function* chromeTraceParts(log: EventLog, eventsPerPart = 8192, to = log.count): Generator<string> {
  const stream = new ChromeTraceStream();
  let part = stream.head();
  // `to` may reach past the shown count up to what the timeline recorded (an export of "everything").
  for (let from = 0; from < to; from += eventsPerPart) {
    const end = Math.min(to, from + eventsPerPart);
    part += stream.events(log, from, end);
    if (end % eventsPerPart === 0) {
      yield part;
      part = '';
    }
  }
  yield part + stream.end();
}
