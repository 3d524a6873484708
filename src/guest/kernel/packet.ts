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
 */

export const ETH_ALEN = 6;
export const ETH_HLEN = 14;
/** ETH_HLEN + ETH_DATA_LEN: the largest frame a receive buffer holds (spec §5.4). */
export const ETH_FRAME_MAX = 1514;
export const ETH_P_LGUEST_LAB = 0x88b5;

export const PKT_ECHO_REQUEST = 1;
export const PKT_ECHO_REPLY = 2;
export const PKT_TEXT = 3;
export const PKT_VERSION = 1;

const OFF_DST = 0;
const OFF_SRC = 6;
const OFF_TYPE = 12;
const OFF_OP = 14;
const OFF_VERSION = 15;
const OFF_SEQ = 16;
const OFF_LEN = 18;
/** Header bytes before the payload. */
export const PKT_HLEN = 20;
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
  for (let i = 0; i < ETH_ALEN; i++) {
    f[OFF_DST + i] = p.dst[i] & 0xff;
    f[OFF_SRC + i] = p.src[i] & 0xff;
  }
  f[OFF_TYPE] = ETH_P_LGUEST_LAB >> 8;
  f[OFF_TYPE + 1] = ETH_P_LGUEST_LAB & 0xff;
  f[OFF_OP] = p.op;
  f[OFF_VERSION] = PKT_VERSION;
  f[OFF_SEQ] = (p.seq >> 8) & 0xff;
  f[OFF_SEQ + 1] = p.seq & 0xff;
  f[OFF_LEN] = p.payload.length >> 8;
  f[OFF_LEN + 1] = p.payload.length & 0xff;
  f.set(p.payload, PKT_HLEN);
  return f;
}

export function decodePacket(f: Uint8Array): DecodeResult {
  if (f.length < PKT_HLEN) return { ok: false, error: 'short' };
  if (((f[OFF_TYPE] << 8) | f[OFF_TYPE + 1]) !== ETH_P_LGUEST_LAB) return { ok: false, error: 'ethertype' };
  if (f[OFF_VERSION] !== PKT_VERSION) return { ok: false, error: 'version' };
  const op = f[OFF_OP];
  if (op !== PKT_ECHO_REQUEST && op !== PKT_ECHO_REPLY && op !== PKT_TEXT) return { ok: false, error: 'op' };
  const len = (f[OFF_LEN] << 8) | f[OFF_LEN + 1];
  if (PKT_HLEN + len > f.length) return { ok: false, error: 'length' };
  return {
    ok: true,
    pkt: {
      dst: Array.from(f.subarray(OFF_DST, OFF_DST + ETH_ALEN)),
      src: Array.from(f.subarray(OFF_SRC, OFF_SRC + ETH_ALEN)),
      op,
      seq: (f[OFF_SEQ] << 8) | f[OFF_SEQ + 1],
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

export function macString(mac: readonly number[]): string {
  return mac.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
