/** The JSON-lines event log (`--trace FILE`): one eventToJson object per line. */
import type { EventLog } from '../hw/event-log.ts';
import { eventToJson } from '../hw/event-json.ts';

export function* jsonLines(log: EventLog, from = 0, to = log.count): Iterable<string> {
  for (let i = from; i < to; i++) yield JSON.stringify(eventToJson(log.get(i), log.strings));
}

export function toJsonLines(log: EventLog): string {
  let out = '';
  for (const line of jsonLines(log)) out += line + '\n';
  return out;
}

/** The lines of events [from, to), each ending in a newline (a piece of a streamed trace). */
export function jsonLinesText(log: EventLog, from: number, to: number): string {
  let out = '';
  for (const line of jsonLines(log, from, to)) out += line + '\n';
  return out;
}

/** toJsonLines(log) in pieces of `linesPerPart` lines (a big export is never one string). */
export function* jsonLinesParts(log: EventLog, linesPerPart = 8192, to = log.count): Generator<string> {
  for (let from = 0; from < to; from += linesPerPart) yield jsonLinesText(log, from, Math.min(to, from + linesPerPart));
}
