/**
 * Share links (issue #5): a recording in a URL fragment.
 *
 *   fragment = LINK_VERSION "." base64url(deflate-raw(compact JSON))
 *
 * The compact JSON spells the inputs so that a typed session costs about a
 * byte per keystroke before compression: inputs typed while every guest was
 * idle need no event index (they land at the next idle point, which
 * determinism pins), so runs of single-character idle inputs become one
 * string. Items of `i`:
 *   number n        → the following items are for guest n (starts at 0)
 *   "abc"           → three idle inputs "a", "b", "c" (one per code point)
 *   {"t": "text"}   → one idle input with several characters (a paste, an escape sequence)
 *   [delta, "text"] → an input that landed while guests were busy, at event
 *                     index = previous such index + delta
 *
 * Encoding lives here, apart from decoding (link.ts), because the worker
 * makes links of its own sessions from the start, while a link to decode
 * brings the recording schema and zod (issue #15: the worker's first load).
 */
import { deflateSync } from 'fflate';
import { toBase64Url } from '../base/base64.ts';
import type { Recording } from './recording.ts';

/** The link encoding's version (independent of the recording's `v`). */
export const LINK_VERSION = 1;
/** Decompressed payloads larger than this are refused (a hostile link could be a deflate bomb). */
export const MAX_LINK_PAYLOAD = 8 * 1024 * 1024;
/** Fragments longer than this are refused before decoding. */
export const MAX_FRAGMENT_CHARS = 4 * 1024 * 1024;

type CompactItem = number | string | { t: string } | [number, string];

interface CompactRecording {
  p?: string;
  s?: unknown;
  i: CompactItem[];
  v?: number;
  u?: unknown;
}

function compactInputs(inputs: Recording['inputs']): CompactItem[] {
  const out: CompactItem[] = [];
  let guest = 0;
  let lastAt = 0;
  for (const [at, g, text] of inputs) {
    if (g !== guest) {
      out.push(g);
      guest = g;
    }
    if (at !== null) {
      out.push([at - lastAt, text]);
      lastAt = at;
      continue;
    }
    const cps = Array.from(text);
    if (cps.length === 1) {
      const tail = out[out.length - 1];
      if (typeof tail === 'string') out[out.length - 1] = tail + text;
      else out.push(text);
    } else out.push({ t: text });
  }
  return out;
}

export function encodeLink(r: Recording): string {
  const c: CompactRecording = { i: compactInputs(r.inputs) };
  if (r.preset !== undefined) c.p = r.preset;
  else c.s = r.scenario;
  if (r.view !== undefined) c.v = r.view;
  if (r.ui !== undefined) c.u = r.ui;
  const json = new TextEncoder().encode(JSON.stringify(c));
  return `${LINK_VERSION}.${toBase64Url(deflateSync(json, { level: 9 }))}`;
}
