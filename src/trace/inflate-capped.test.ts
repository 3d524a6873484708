import fc from 'fast-check';
import { Deflate, deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeLink, MAX_LINK_PAYLOAD, toBase64Url } from './link.ts';
import { INFLATE_SLICE, inflateCapped } from './inflate-capped.ts';

/** Raw deflate of `mib` MiB of spaces, made by streaming one reused MiB (the test never holds the whole). */
function bomb(mib: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const d = new Deflate({ level: 6 }, (c) => void parts.push(c));
  const block = new Uint8Array(1024 * 1024).fill(32);
  for (let i = 0; i < mib; i++) d.push(block, i === mib - 1);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

/** Deflate never expands more than this per compressed byte (RFC 1951: 258 bytes from a ~2-bit code). */
const MAX_RATIO = 1032;

describe('inflateCapped', () => {
  it('gives back exactly what was deflated, in any slice size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20000 }), fc.integer({ min: 1, max: 5000 }), (data, slice) => {
        const r = inflateCapped(deflateSync(data), 1 << 20, slice);
        expect(r.kind).toBe('ok');
        if (r.kind === 'ok') expect(Buffer.from(r.bytes).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('stops a 256 MiB bomb within one slice of the cap: it never inflates the rest', () => {
    const b = bomb(256);
    const r = inflateCapped(b, MAX_LINK_PAYLOAD);
    expect(r.kind).toBe('too-large');
    if (r.kind !== 'too-large') return;
    expect(r.produced).toBeGreaterThan(MAX_LINK_PAYLOAD);
    // At most one slice's worth past the cap — a small fraction of the 256 MiB it holds.
    expect(r.produced).toBeLessThanOrEqual(MAX_LINK_PAYLOAD + INFLATE_SLICE * MAX_RATIO);
    expect(r.produced).toBeLessThan(256 * 1024 * 1024 / 8);
  });

  it('a link holding a bomb is refused with the cap in the message', () => {
    const d = decodeLink(`1.${toBase64Url(bomb(64))}`);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.message).toBe(`link: the recording unpacks to more than ${MAX_LINK_PAYLOAD} bytes`);
  });

  it('refuses cut or altered streams as corrupt, never throws', () => {
    const full = deflateSync(new TextEncoder().encode('{"p":"console","i":[]}'.repeat(50)));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: full.length - 1 }), (cut) => {
        expect(inflateCapped(full.subarray(0, cut), 1 << 20).kind).toBe('corrupt');
      }),
    );
    expect(inflateCapped(Uint8Array.from([0xff, 0xff, 0xff]), 1 << 20).kind).toBe('corrupt');
  });
});
