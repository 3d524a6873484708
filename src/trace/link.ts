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
 * Decoding never throws: every failure is a Result naming what was wrong,
 * and the decoded recording is validated by RecordingSchema (zod).
 */
import { deflateSync } from 'fflate';
import { inflateCapped } from './inflate-capped.ts';
import type { Result } from '../scenario/scenario.ts';
import { RECORDING_VERSION, validateRecording, type Recording } from './recording.ts';
import { fromBase64Url, toBase64Url } from '../base/base64.ts';
export { fromBase64Url, toBase64Url };

/** The link encoding's version (independent of the recording's `v`). */
export const LINK_VERSION = 1;
/** Decompressed payloads larger than this are refused (a hostile link could be a deflate bomb). */
export const MAX_LINK_PAYLOAD = 8 * 1024 * 1024;
/** Fragments longer than this are refused before decoding. */
export const MAX_FRAGMENT_CHARS = 4 * 1024 * 1024;

export interface LinkError {
  readonly code: 'empty' | 'version' | 'encoding' | 'compression' | 'json' | 'invalid';
  readonly message: string;
}

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

function expandInputs(items: unknown): Result<Recording['inputs'], LinkError> {
  if (!Array.isArray(items)) return { ok: false, error: { code: 'invalid', message: 'link: "i" must be a list of inputs' } };
  const out: Recording['inputs'] = [];
  let guest = 0;
  let lastAt = 0;
  for (let k = 0; k < items.length; k++) {
    const it: unknown = items[k];
    if (typeof it === 'number') {
      if (!Number.isInteger(it) || it < 0 || it > 15) return bad(`i[${k}]: guest ${it} is not 0..15`);
      guest = it;
    } else if (typeof it === 'string') {
      for (const ch of it) out.push([null, guest, ch]);
    } else if (Array.isArray(it)) {
      const [d, text] = it as unknown[];
      if (!Number.isInteger(d) || (d as number) < 0 || typeof text !== 'string' || it.length !== 2) return bad(`i[${k}]: expected [event delta, text]`);
      lastAt += d as number;
      out.push([lastAt, guest, text]);
    } else if (it !== null && typeof it === 'object' && typeof (it as { t?: unknown }).t === 'string' && Object.keys(it).length === 1) {
      out.push([null, guest, (it as { t: string }).t]);
    } else return bad(`i[${k}]: not an input`);
  }
  return { ok: true, value: out };
}

const bad = (message: string): { ok: false; error: LinkError } => ({ ok: false, error: { code: 'invalid', message: `link: ${message}` } });


// ---- encode / decode -----------------------------------------------------------

export function encodeLink(r: Recording): string {
  const c: CompactRecording = { i: compactInputs(r.inputs) };
  if (r.preset !== undefined) c.p = r.preset;
  else c.s = r.scenario;
  if (r.view !== undefined) c.v = r.view;
  if (r.ui !== undefined) c.u = r.ui;
  const json = new TextEncoder().encode(JSON.stringify(c));
  return `${LINK_VERSION}.${toBase64Url(deflateSync(json, { level: 9 }))}`;
}

/** Accepts a bare fragment, one with a leading '#', or a whole URL. */
export function decodeLink(input: string): Result<Recording, LinkError> {
  let frag = input.trim();
  const hash = frag.indexOf('#');
  if (hash >= 0) frag = frag.slice(hash + 1);
  if (frag.length === 0) return { ok: false, error: { code: 'empty', message: 'link: the fragment is empty' } };
  if (frag.length > MAX_FRAGMENT_CHARS) return { ok: false, error: { code: 'encoding', message: `link: ${frag.length} characters is more than a link may hold (${MAX_FRAGMENT_CHARS})` } };
  const dot = frag.indexOf('.');
  const ver = dot > 0 ? Number(frag.slice(0, dot)) : NaN;
  if (!Number.isInteger(ver)) return { ok: false, error: { code: 'encoding', message: 'link: not an lguest-lab link (expected VERSION.DATA after #)' } };
  if (ver !== LINK_VERSION)
    return {
      ok: false,
      error: { code: 'version', message: ver > LINK_VERSION ? `link: made by a newer lguest-lab (link version ${ver}); this page reads version ${LINK_VERSION}` : `link: unknown link version ${ver}` },
    };
  const bytes = fromBase64Url(frag.slice(dot + 1));
  if (!bytes) return { ok: false, error: { code: 'encoding', message: 'link: the data is not base64url (was the link cut or altered?)' } };
  // Streaming, checked slice by slice: a deflate bomb is refused within one slice of the cap.
  const inflated = inflateCapped(bytes, MAX_LINK_PAYLOAD);
  if (inflated.kind === 'too-large') return { ok: false, error: { code: 'compression', message: `link: the recording unpacks to more than ${MAX_LINK_PAYLOAD} bytes` } };
  if (inflated.kind === 'corrupt') return { ok: false, error: { code: 'compression', message: 'link: the data does not decompress (was the link cut or altered?)' } };
  const raw = inflated.bytes;
  let c: unknown;
  try {
    c = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return { ok: false, error: { code: 'json', message: 'link: the recording is not valid JSON' } };
  }
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return bad('the recording is not an object');
  const o = c as Record<string, unknown>;
  const unknownKey = Object.keys(o).find((k) => !['p', 's', 'i', 'v', 'u'].includes(k));
  if (unknownKey !== undefined) return bad(`unknown field "${unknownKey}"`);
  const inputs = expandInputs(o.i);
  if (!inputs.ok) return inputs;
  const rec: Record<string, unknown> = { v: RECORDING_VERSION, inputs: inputs.value };
  if (o.p !== undefined) rec.preset = o.p;
  if (o.s !== undefined) rec.scenario = o.s;
  if (o.v !== undefined) rec.view = o.v;
  if (o.u !== undefined) rec.ui = o.u;
  const r = validateRecording(rec);
  if (!r.ok) return { ok: false, error: { code: 'invalid', message: `link: ${r.error.message}` } };
  return { ok: true, value: r.value };
}
