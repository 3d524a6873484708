/** The JSON-lines event log (`--trace FILE`): one eventToJson object per line. */
import { eventToJson, type EventLog } from '../core/events.ts';

export function* jsonLines(log: EventLog, from = 0, to = log.count): Iterable<string> {
  for (let i = from; i < to; i++) yield JSON.stringify(eventToJson(log.get(i), log.strings));
}

export function toJsonLines(log: EventLog): string {
  let out = '';
  for (const line of jsonLines(log)) out += line + '\n';
  return out;
}
