import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeLink, encodeLink, fromBase64Url, LINK_VERSION, toBase64Url } from './link.ts';
import { RECORDING_VERSION, type Recording } from './recording.ts';
import { deflateSync } from 'fflate';

const inputArb = fc.oneof(
  fc.tuple(fc.constant(null), fc.integer({ min: 0, max: 3 }), fc.string({ minLength: 1, maxLength: 3, unit: 'grapheme' })),
  fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }), fc.string({ minLength: 1, maxLength: 20 })),
);

const recordingArb: fc.Arbitrary<Recording> = fc
  .record({
    preset: fc.constantFrom('console', 'block', 'net', 'bad-dma'),
    inputs: fc.array(inputArb, { maxLength: 40 }),
    view: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  })
  .map(({ preset, inputs, view }) => {
    // Stamped inputs come in event order.
    let last = 0;
    const ordered = inputs.map(([at, g, t]) => {
      if (at === null) return [null, g, t] as [null, number, string];
      last += at % 1000;
      return [last, g, t] as [number, number, string];
    });
    const r: Recording = { v: RECORDING_VERSION, preset, inputs: ordered };
    if (view !== undefined) r.view = view;
    return r;
  });

describe('share links', () => {
  it('base64url round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(Array.from(fromBase64Url(toBase64Url(b))!)).toEqual(Array.from(b));
      }),
    );
  });

  it('decode(encode(recording)) is the recording', () => {
    fc.assert(
      fc.property(recordingArb, (r) => {
        const d = decodeLink(encodeLink(r));
        expect(d.ok).toBe(true);
        if (d.ok) expect(d.value).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts the fragment bare, with #, or inside a whole URL', () => {
    const frag = encodeLink({ v: RECORDING_VERSION, preset: 'net', inputs: [[null, 0, 'ping 1\r']] });
    for (const s of [frag, `#${frag}`, `http://127.0.0.1:4173/?x=1#${frag}`]) expect(decodeLink(s).ok).toBe(true);
  });

  it('says what is wrong with malformed, truncated, tampered and future-version links', () => {
    const frag = encodeLink({ v: RECORDING_VERSION, preset: 'console', inputs: [[null, 0, 'echo hi\r']] });
    const msg = (s: string) => {
      const d = decodeLink(s);
      return d.ok ? 'ok' : d.error.message;
    };
    expect(msg('')).toBe('link: the fragment is empty');
    expect(msg('hello')).toMatch(/not an lguest-lab link/);
    expect(msg(`${LINK_VERSION + 1}.${frag.slice(2)}`)).toMatch(/newer lguest-lab \(link version 2\)/);
    expect(msg(frag.slice(0, frag.length - 6))).toMatch(/does not decompress|not valid JSON/);
    expect(msg(`${frag}!!`)).toMatch(/not base64url/);
    const json = (o: unknown) => `1.${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(o))))}`;
    expect(msg(json({ p: 'nope', i: [] }))).toMatch(/^link: preset: /);
    expect(msg(json({ p: 'console', i: [[-1, 'x']] }))).toMatch(/i\[0\]: expected \[event delta, text\]/);
    expect(msg(json({ p: 'console', i: [], extra: 1 }))).toBe('link: unknown field "extra"');
    expect(msg(json({ s: { guests: [{ kernel: 'script', script: [{ op: 'write', addr: 'x', u8: [1] }] }] }, i: [] }))).toMatch(/scenario\.guests\[0\]\.script\[0\]\.addr/);
  });

  it('refuses a deflate bomb without unpacking it', () => {
    const bomb = `1.${toBase64Url(deflateSync(new Uint8Array(20 * 1024 * 1024).fill(32)))}`;
    const d = decodeLink(bomb);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.code).toBe('compression');
  });

  it('fuzz: thousands of random and mutated fragments never throw and end in a recording or a message', () => {
    const seedFrags = [
      encodeLink({ v: RECORDING_VERSION, preset: 'console', inputs: [[null, 0, 'echo hi\r'], [12, 0, 'x']] }),
      encodeLink({ v: RECORDING_VERSION, preset: 'net', inputs: [[null, 0, 'p'], [null, 0, 'i'], [null, 1, 'send 0 hi\r']], view: 30 }),
    ];
    let ok = 0;
    let errors = 0;
    const mutated = fc.tuple(fc.constantFrom(...seedFrags), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 127 }), fc.constantFrom('set', 'del', 'ins')), { maxLength: 6 })).map(([f, edits]) => {
      let s = f;
      for (const [pos, code, op] of edits) {
        const at = pos % (s.length + 1);
        const ch = String.fromCharCode(code);
        s = op === 'set' ? s.slice(0, at) + ch + s.slice(at + 1) : op === 'del' ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + ch + s.slice(at);
      }
      return s;
    });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => `1.${toBase64Url(b)}`)), (frag) => {
        const d = decodeLink(frag);
        if (d.ok) ok++;
        else {
          errors++;
          expect(d.error.message).toMatch(/^link: /);
        }
      }),
      { numRuns: 4000 },
    );
    expect(ok + errors).toBe(4000);
  });
});
