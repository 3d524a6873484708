/**
 * Share links (issue #5): decoding a fragment back into a recording. The
 * format, its constants and the encoder are in link-encode.ts.
 *
 * Decoding never throws: every failure is a Result naming what was wrong,
 * and the decoded recording is validated by RecordingSchema (zod).
 */
import { inflateCapped } from './inflate-capped.ts';
import type { Result } from '../scenario/scenario.ts';
import { validateRecording, type Recording } from './recording.ts';
import { RECORDING_VERSION } from './make-recording.ts';
import { fromBase64Url, toBase64Url } from '../base/base64.ts';
import { LINK_VERSION, MAX_FRAGMENT_CHARS, MAX_LINK_PAYLOAD } from './link-encode.ts';
export { fromBase64Url, toBase64Url };
export { encodeLink, LINK_VERSION, MAX_FRAGMENT_CHARS, MAX_LINK_PAYLOAD } from './link-encode.ts';

export interface LinkError {
  readonly code: 'empty' | 'version' | 'encoding' | 'compression' | 'json' | 'invalid';
  readonly message: string;
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
