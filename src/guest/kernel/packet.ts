/**
 * The frames the built-in kernel puts on the --sharenet wire: Ethernet II
 * with the IEEE "local experimental" ethertype 0x88B5, carrying a tiny
 * protocol of lguest-lab's own. Multi-byte fields are big-endian (network
 * order).
 *
 * byte  0..5   destination MAC
 * byte  6..11  source MAC
 * byte 12..13  ethertype 0x88B5
 * byte 14      op: 1 echo request, 2 echo reply, 3 text
 * byte 15      version (1)
 * byte 16..17  seq (echo: chosen by the requester, copied into the reply; text: 0)
 * byte 18..19  payload length
 * byte 20..    payload (echo: 44 pattern bytes, so a frame is 64 bytes; text: the message)
 *
 * The header is struct lab_packet_header in the ABI table (src/abi/structs.ts).
 */
import { encodeStruct, readElem } from '../../abi/access.ts';
import { layoutOf } from '../../abi/layout.ts';
import { LAB_PACKET_HEADER } from '../../abi/structs.ts';

export const ETH_ALEN = 6;
export const ETH_HLEN = 14;
/** ETH_HLEN + ETH_DATA_LEN: the largest frame a receive buffer holds (spec §5.4). */
export const ETH_FRAME_MAX = 1514;
export const ETH_P_LGUEST_LAB = 0x88b5;

export const PKT_ECHO_REQUEST = 1;
export const PKT_ECHO_REPLY = 2;
export const PKT_TEXT = 3;
export const PKT_VERSION = 1;

/** The header's layout, from the ABI table (struct lab_packet_header: __be16 fields, no padding on either ABI). */
const H = layoutOf(LAB_PACKET_HEADER, 'i386');
const F = H.fields;
/** Header bytes before the payload. */
export const PKT_HLEN = H.size;
export const PKT_PAYLOAD_MAX = ETH_FRAME_MAX - PKT_HLEN;
/** An echo frame's total size. */
export const ECHO_FRAME_BYTES = 64;
export const ECHO_PAYLOAD_BYTES = ECHO_FRAME_BYTES - PKT_HLEN;

export type PacketOp = typeof PKT_ECHO_REQUEST | typeof PKT_ECHO_REPLY | typeof PKT_TEXT;

export interface LabPacket {
  readonly dst: readonly number[];
  readonly src: readonly number[];
  readonly op: PacketOp;
  readonly seq: number;
  readonly payload: Uint8Array;
}

export type DecodeError = 'short' | 'ethertype' | 'version' | 'op' | 'length';
export type DecodeResult = { readonly ok: true; readonly pkt: LabPacket } | { readonly ok: false; readonly error: DecodeError };

export function encodePacket(p: LabPacket): Uint8Array {
  if (p.payload.length > PKT_PAYLOAD_MAX) throw new RangeError(`payload of ${p.payload.length} bytes; at most ${PKT_PAYLOAD_MAX} fit a frame`);
  const f = new Uint8Array(PKT_HLEN + p.payload.length);
  const v = new DataView(f.buffer);
  encodeStruct(v, 0, H, {
    dst: p.dst.slice(0, ETH_ALEN).map((b) => b & 0xff),
    src: p.src.slice(0, ETH_ALEN).map((b) => b & 0xff),
    ethertype: ETH_P_LGUEST_LAB,
    op: p.op,
    version: PKT_VERSION,
    seq: p.seq & 0xffff,
    len: p.payload.length,
  });
  f.set(p.payload, PKT_HLEN);
  return f;
}

export function decodePacket(f: Uint8Array): DecodeResult {
  if (f.length < PKT_HLEN) return { ok: false, error: 'short' };
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  if (readElem(v, 0, F.ethertype) !== ETH_P_LGUEST_LAB) return { ok: false, error: 'ethertype' };
  if (readElem(v, 0, F.version) !== PKT_VERSION) return { ok: false, error: 'version' };
  const op = readElem(v, 0, F.op);
  if (op !== PKT_ECHO_REQUEST && op !== PKT_ECHO_REPLY && op !== PKT_TEXT) return { ok: false, error: 'op' };
  const len = readElem(v, 0, F.len);
  if (PKT_HLEN + len > f.length) return { ok: false, error: 'length' };
  return {
    ok: true,
    pkt: {
      dst: Array.from(f.subarray(F.dst.offset, F.dst.offset + ETH_ALEN)),
      src: Array.from(f.subarray(F.src.offset, F.src.offset + ETH_ALEN)),
      op,
      seq: readElem(v, 0, F.seq),
      payload: f.slice(PKT_HLEN, PKT_HLEN + len),
    },
  };
}

/** The echo pattern: "abc…z" repeating, offset by seq so replies are checkable. */
export function echoPayload(seq: number): Uint8Array {
  const p = new Uint8Array(ECHO_PAYLOAD_BYTES);
  for (let i = 0; i < p.length; i++) p[i] = 0x61 + ((i + seq) % 26);
  return p;
}

// ---- MAC addresses (spec §5.4, checklist §7.38) ---------------------------

/** 02:00:<guestid low>:<guestid high>:00:00 — locally administered, unicast. */
export function macForGuest(guestid: number): number[] {
  return [0x02, 0x00, guestid & 0xff, (guestid >> 8) & 0xff, 0x00, 0x00];
}

/** The guest index a lguest MAC encodes. */
export function guestOfMac(mac: readonly number[]): number {
  return mac[2] | (mac[3] << 8);
}

export const BROADCAST_MAC: readonly number[] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** Low bit of byte 0: multicast/broadcast for a destination, "promiscuous" in a MAC slot (spec §5.4). */
export function isMulticast(mac: readonly number[]): boolean {
  return (mac[0] & 1) !== 0;
}

/** Equal ignoring the promisc bit (low bit of byte 0). */
export function macMatches(slot: readonly number[], dst: readonly number[]): boolean {
  if ((slot[0] & ~1) !== (dst[0] & ~1)) return false;
  for (let i = 1; i < ETH_ALEN; i++) if (slot[i] !== dst[i]) return false;
  return true;
}

export { macString } from '../../base/printf.ts';
