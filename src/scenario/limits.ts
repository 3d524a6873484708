/**
 * Checks the page makes on a file before reading it (issue #7: "too large:
 * state the limit"). A file past a limit is refused from its size alone, so a
 * 2 GB mistake never gets read into a string or sent to the worker. The
 * worker checks again (src/scenario/scenario.ts) against the same numbers,
 * from sizes.ts (which, unlike scenario.ts, brings no zod into the page).
 */
import { SECTOR_SIZE } from '../abi/constants.ts';
import { MAX_DISK_BYTES, MAX_SCENARIO_CHARS } from './sizes.ts';

export { MAX_DISK_BYTES };
/** The largest scenario file: the worker's limit in characters (the page counts bytes, which are never fewer). */
export const MAX_SCENARIO_BYTES = MAX_SCENARIO_CHARS;

export interface FileFacts {
  readonly name: string;
  readonly size: number;
}

/** Why a scenario file is refused before reading it, or null. */
export function scenarioFileProblem(f: FileFacts): string | null {
  if (f.size > MAX_SCENARIO_BYTES) return `${f.name}: scenario files are limited to 100 MiB (${MAX_SCENARIO_BYTES} bytes); this file is ${f.size} bytes`;
  if (f.size === 0) return `${f.name}: the file is empty; a scenario is a JSON object with a "guests" list`;
  return null;
}

/** Why a disk image is refused before reading it, or null. */
export function diskImageProblem(f: FileFacts): string | null {
  if (f.size > MAX_DISK_BYTES) return `${f.name}: disk images are limited to 64 MiB (${MAX_DISK_BYTES} bytes); this file is ${f.size} bytes`;
  if (f.size === 0) return `${f.name}: the file is empty; a disk image needs at least one ${SECTOR_SIZE}-byte sector`;
  return null;
}

/** The disk size for an image: whole sectors (the last one zero-filled). */
export const diskBytesFor = (imageBytes: number): number => Math.max(SECTOR_SIZE, Math.ceil(imageBytes / SECTOR_SIZE) * SECTOR_SIZE);

/**
 * src/trace/recording.ts: one recorded input holds at most this many
 * characters. A longer paste goes to the worker as several inputs, so the
 * recording stays one that loads again (a restart, a recovery, a link); the
 * guest sees the same bytes in the same order (the terminal queue is one stream).
 */
export const MAX_INPUT_CHARS = 1_000_000;

/** `text` in pieces of at most `max` UTF-16 units, never splitting a surrogate pair. */
export function splitInput(text: string, max = MAX_INPUT_CHARS): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + max);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff && end - 1 > at) end--;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}
