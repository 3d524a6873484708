import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ECHO_FRAME_BYTES,
  PKT_ECHO_REQUEST,
  PKT_ECHO_REPLY,
  PKT_PAYLOAD_MAX,
  PKT_TEXT,
  decodePacket,
  echoPayload,
  encodePacket,
  guestOfMac,
  isMulticast,
  macForGuest,
  macMatches,
  macString,
  type LabPacket,
} from './packet.ts';

const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 });
const packet: fc.Arbitrary<LabPacket> = fc.record({
  dst: mac,
  src: mac,
  op: fc.constantFrom(PKT_ECHO_REQUEST, PKT_ECHO_REPLY, PKT_TEXT),
  seq: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: PKT_PAYLOAD_MAX }),
});

describe('lguest-lab frames', () => {
  it('decode(encode(p)) = p', () => {
    fc.assert(
      fc.property(packet, (p) => {
        expect(decodePacket(encodePacket(p))).toEqual({ ok: true, pkt: p });
      }),
    );
  });

  it('tolerates trailing bytes (a receiver sees used_len, which may include padding)', () => {
    fc.assert(
      fc.property(packet, fc.uint8Array({ maxLength: 8 }), (p, pad) => {
        const f = encodePacket(p);
        const g = new Uint8Array(Math.min(1514, f.length + pad.length));
        g.set(f);
        g.set(pad.subarray(0, g.length - f.length), f.length);
        expect(decodePacket(g)).toEqual({ ok: true, pkt: p });
      }),
    );
  });

  it('rejects what is not ours', () => {
    const f = encodePacket({ dst: macForGuest(1), src: macForGuest(0), op: PKT_TEXT, seq: 0, payload: Uint8Array.from([65]) });
    expect(decodePacket(f.subarray(0, 19))).toEqual({ ok: false, error: 'short' });
    expect(decodePacket(f.subarray(0, 20))).toEqual({ ok: false, error: 'length' });
    const t = f.slice();
    t[12] = 0x08;
    t[13] = 0x00;
    expect(decodePacket(t)).toEqual({ ok: false, error: 'ethertype' });
    const o = f.slice();
    o[14] = 9;
    expect(decodePacket(o)).toEqual({ ok: false, error: 'op' });
  });

  it('makes 64-byte echo frames', () => {
    const f = encodePacket({ dst: macForGuest(1), src: macForGuest(0), op: PKT_ECHO_REQUEST, seq: 7, payload: echoPayload(7) });
    expect(f.length).toBe(ECHO_FRAME_BYTES);
    expect(Array.from(f.subarray(12, 14))).toEqual([0x88, 0xb5]);
  });

  it('builds MACs 02:00:LL:HH:00:00 and reads the guest back (spec §5.4)', () => {
    expect(macString(macForGuest(0x0102))).toBe('02:00:02:01:00:00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (g) => {
        expect(guestOfMac(macForGuest(g))).toBe(g);
      }),
    );
    expect(isMulticast(macForGuest(3))).toBe(false);
    expect(isMulticast([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(true);
    // The promisc bit (low bit of byte 0) is ignored when matching a slot.
    expect(macMatches([0x03, 0, 1, 0, 0, 0], macForGuest(1))).toBe(true);
    expect(macMatches(macForGuest(2), macForGuest(1))).toBe(false);
  });
});
