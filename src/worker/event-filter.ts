/**
 * Event filters for navigation (issue #10): "the next hypercall", "the
 * previous DMA transfer", "the next event of guest 1", "run until the Host
 * kills someone". A filter names fields of the JSON-lines form of an event
 * (eventToJson, what `--trace` writes) and the values they must have, so a
 * lesson can say `{ kind: 'hcall', call: 'SEND_DMA' }` exactly as the trace
 * reads. Pure and DOM-free: used by the Session and by tests.
 */
import { EVENT_KIND_NAMES, type SimEvent } from '../hw/events.ts';
import type { EventLog } from '../hw/event-log.ts';
import { eventToJson } from '../hw/event-json.ts';

/** One value a field must equal, or a list of values it may equal. */
export type FilterValue = string | number | readonly (string | number)[];
/**
 * Fields of the JSON-lines form (`i` excepted) and their wanted values; every
 * field named must match. Numbers also match the trace's %#x strings of the
 * same value (`key: 0x2000` matches `"key":"0x2000"`, `key: 0` matches `"0"`). `{}` matches every event.
 */
export type EventFilter = Readonly<Record<string, FilterValue>>;

const KIND_CODES = new Map(Object.entries(EVENT_KIND_NAMES).map(([code, name]) => [name, Number(code)]));

function valueMatches(want: string | number, got: string | number | undefined): boolean {
  if (got === undefined) return false;
  if (want === got) return true;
  // The trace writes addresses and keys as printf's %#x: "0x2000", and "0" for zero.
  if (typeof want === 'number' && typeof got === 'string') return /^0x[0-9a-f]+$/i.test(got) ? parseInt(got, 16) === want : /^-?\d+$/.test(got) && Number(got) === want;
  if (typeof want === 'string' && typeof got === 'number') return want === String(got);
  return false;
}

const anyOf = (want: FilterValue): readonly (string | number)[] => (Array.isArray(want) ? want : [want as string | number]);

/**
 * A predicate on raw events. `kind` and `guest` are compared on the stored
 * words (cheap enough to test every event of a fast run); other fields go
 * through eventToJson.
 */
export function compileFilter(filter: EventFilter, strings: readonly string[]): (ev: SimEvent) => boolean {
  let kinds: Set<number> | null = null;
  let guests: Set<number> | null = null;
  const rest: [string, readonly (string | number)[]][] = [];
  for (const [field, want] of Object.entries(filter)) {
    const list = anyOf(want);
    if (field === 'kind') kinds = new Set(list.map((k) => (typeof k === 'number' ? k : (KIND_CODES.get(k) ?? -1))));
    else if (field === 'guest') guests = new Set(list.map((g) => Number(g)));
    else rest.push([field, list]);
  }
  return (ev) => {
    if (kinds && !kinds.has(ev.kind)) return false;
    if (guests && !guests.has(ev.guest)) return false;
    if (rest.length === 0) return true;
    const j = eventToJson(ev, strings);
    return rest.every(([field, list]) => list.some((w) => valueMatches(w, j[field])));
  };
}

/** The event kinds a filter allows (null: it does not name `kind`, any kind may match). */
export function filterKinds(filter: EventFilter): number[] | null {
  const want = filter.kind;
  if (want === undefined) return null;
  return anyOf(want).map((k) => (typeof k === 'number' ? k : (KIND_CODES.get(k) ?? -1)));
}

/**
 * Index of the first event matching `match` in [from, to) searching forward,
 * or in [to, from) searching backward from from-1 (direction -1); -1 if none.
 */
export function findEvent(log: EventLog, match: (ev: SimEvent) => boolean, from: number, to: number, direction: 1 | -1): number {
  if (direction === 1) {
    for (let i = Math.max(0, from); i < to; i++) if (match(log.get(i))) return i;
  } else {
    for (let i = from - 1; i >= Math.max(0, to); i--) if (match(log.get(i))) return i;
  }
  return -1;
}
