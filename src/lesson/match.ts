/**
 * MATCH (issue #13 lesson format): a subset of the fields of an event as the
 * JSON-lines trace writes it (src/trace/jsonl.ts, `eventToJson`). Values
 * compare as the trace writes them, with one allowance the format makes for
 * numbers: a lesson may write a number as decimal or as a "0x…" string, so
 * `{"key": "0x0"}` matches the trace's `"key": "0"` and `{"ebx": 8192}`
 * matches `"ebx": "0x2000"`.
 */
import { EVENT_KIND_NAMES } from '../hw/events.ts';
import type { EventLog } from '../hw/event-log.ts';
import { eventToJson } from '../hw/event-json.ts';

export type MatchValue = string | number;
export type Match = Readonly<Record<string, MatchValue>>;
export type EventJson = Record<string, string | number>;

/** Every field name eventToJson writes, so a typo in a MATCH is an error, not a silent non-match. */
export const EVENT_FIELDS: readonly string[] = [
  'i', 't', 'kind', 'guest', 'call', 'edx', 'ebx', 'ecx', 'ret', 'to', 'key', 'src', 'dst', 'bytes', 'irq', 'source',
  'dma', 'used_len', 'device', 'req', 'arg', 'old', 'status', 'reason', 'message', 'type', 'sector', 'moved', 'result',
  'pid', 'waker',
];

export const EVENT_KINDS: readonly string[] = Object.values(EVENT_KIND_NAMES);

const NUMERIC = /^(0x[0-9a-f]+|\d+)$/i;

/** The number a trace or lesson value stands for, or null when it is a word. */
export function numericValue(v: MatchValue): number | null {
  if (typeof v === 'number') return v;
  return NUMERIC.test(v) ? Number(v) : null;
}

function sameValue(want: MatchValue, got: string | number | undefined): boolean {
  if (got === undefined) return false;
  const a = numericValue(want);
  const b = numericValue(got);
  if (a !== null && b !== null) return a === b;
  return String(want) === String(got);
}

export function matches(m: Match, ev: EventJson): boolean {
  for (const [k, v] of Object.entries(m)) if (!sameValue(v, ev[k])) return false;
  return true;
}

/** Event #i as the trace writes it. */
export function eventJson(log: EventLog, i: number): EventJson {
  return eventToJson(log.get(i), log.strings);
}

/** The latest event in [from, to) that matches, or -1. */
export function findLast(log: EventLog, m: Match, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (matches(m, eventJson(log, i))) return i;
  return -1;
}

/** The first event in [from, to) that matches, or -1. */
export function findFirst(log: EventLog, m: Match, from: number, to: number): number {
  for (let i = from; i < to; i++) if (matches(m, eventJson(log, i))) return i;
  return -1;
}

/** `{"kind":"hcall","call":"SEND_DMA"}`: how a check names its MATCH in a report line. */
export const showMatch = (m: Match): string => JSON.stringify(m);

/** `#12 {"i":12,…}` without the index and time repeated: what a report says it saw. */
export function showEvent(ev: EventJson): string {
  const { i, t: _t, ...rest } = ev;
  return `#${i} ${JSON.stringify(rest)}`;
}
