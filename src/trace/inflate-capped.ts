/**
 * Bounded inflate for share links and recordings (issue #11). fflate's
 * streaming `Inflate` decodes all the input one push() holds before it hands
 * out any output, so one push of a 3.5 MB deflate bomb would allocate
 * gigabytes before a size check saw it. The input goes in small slices
 * instead: deflate expands at most ~1032:1, so a slice yields at most about
 * a megabyte per KiB, and the output is checked after every slice — the
 * inflater stops within one slice of passing the cap.
 */
import { Inflate } from 'fflate';

/** Compressed bytes per push: at most ~1032 × this much output between two checks. */
export const INFLATE_SLICE = 1024;

export type Inflated =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  /** More than `cap` bytes came out; `produced` is how far the inflater got before it was stopped. */
  | { readonly kind: 'too-large'; readonly produced: number }
  /** Not a complete raw-deflate stream. */
  | { readonly kind: 'corrupt' };

export function inflateCapped(data: Uint8Array, cap: number, slice = INFLATE_SLICE): Inflated {
  // No bytes is no stream (fflate would call it an empty one).
  if (data.length === 0) return { kind: 'corrupt' };
  const parts: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inf = new Inflate((chunk, final) => {
    total += chunk.length;
    // Past the cap nothing more is kept; the loop below stops pushing.
    if (total <= cap) parts.push(chunk);
    if (final) done = true;
  });
  try {
    for (let at = 0; at < data.length; at += slice) {
      const end = Math.min(data.length, at + slice);
      inf.push(data.subarray(at, end), end === data.length);
      if (total > cap) return { kind: 'too-large', produced: total };
    }
  } catch {
    return { kind: 'corrupt' };
  }
  if (!done) return { kind: 'corrupt' };
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { kind: 'ok', bytes: out };
}
