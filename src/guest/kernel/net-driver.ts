/**
 * lguest_net (spec §5.4) on a --sharenet device: the device page is the MAC
 * table every guest maps (slot i at 6·i), and slot i receives on key
 * page + 4·i.
 *
 * probe + open: MAC = 02:00:LL:HH:00:00 from lguest_data.guestid; me =
 * features & (mapsize − 1); own MAC into slot me (promisc bit clear); 8
 * receive buffers of 1514 bytes, each an lguest_dma (two sections when the
 * buffer crosses a page), bound at peer_phys + 4·me with irq = index + 1.
 * transmit: one SEND_DMA per other non-empty slot that should see the frame;
 * used_len ≠ frame length counts a carrier error.
 * receive irq: every entry with used_len ≠ 0 is taken and refilled at once;
 * lengths outside 14..1514 are dropped.
 */
import { LGUEST_DEVICE_T_NET, LHCALL_SEND_DMA, PAGE_SIZE } from '../../abi/constants.ts';
import type { Trap } from '../../hw/cpu.ts';
import { type DeviceDesc, type Driver, deviceIrq } from './bus.ts';
import { gatherDma, pageSections, usedLen, writeDma } from './dma.ts';
import { getField, setField, zeroStruct } from './guest-struct.ts';
import { LGUEST_DATA_GPA, NET_BUF_BYTES, NET_RX_BUFFERS, NET_RX_BUFS, NET_RX_DMAS, NET_STATS_GPA, NET_TX_BUF, NET_TX_DMA, type KernelLayouts } from './layout.ts';
import {
  ETH_ALEN,
  ETH_FRAME_MAX,
  ETH_HLEN,
  PKT_ECHO_REPLY,
  PKT_ECHO_REQUEST,
  PKT_TEXT,
  decodePacket,
  encodePacket,
  guestOfMac,
  isMulticast,
  macForGuest,
  macMatches,
  macString,
} from './packet.ts';
import { printk } from './printk.ts';
import { type BindRequest, type Ctx, type NetDev, type NetTxJob, hcall } from './state.ts';
import { asyncMessage, hex, printable } from './tty.ts';

export type NetStat = 'rx_packets' | 'rx_bytes' | 'rx_dropped' | 'tx_packets' | 'tx_bytes' | 'tx_carrier_errors';

export function netStat(ctx: Ctx, name: NetStat): number {
  return getField(ctx.mem, NET_STATS_GPA, ctx.L.stats, name);
}

function bump(ctx: Ctx, name: NetStat, by = 1): void {
  setField(ctx.mem, NET_STATS_GPA, ctx.L.stats, name, (netStat(ctx, name) + by) >>> 0);
}

function slotGpa(n: NetDev, L: KernelLayouts, slot: number): number {
  return n.peer + slot * L.net.size;
}

/** The MAC in slot i of the shared table. */
export function slotMac(ctx: Ctx, n: NetDev, slot: number): number[] {
  const at = slotGpa(n, ctx.L, slot);
  const mac: number[] = [];
  for (let k = 0; k < ETH_ALEN; k++) mac.push(getField(ctx.mem, at, ctx.L.net, 'mac', k));
  return mac;
}

function writeSlotMac(ctx: Ctx, n: NetDev, slot: number, mac: readonly number[]): void {
  const at = slotGpa(n, ctx.L, slot);
  for (let k = 0; k < ETH_ALEN; k++) setField(ctx.mem, at, ctx.L.net, 'mac', mac[k], k);
}

/** Receive entry i: buffer i, cut at page boundaries; used_len = 0 last (spec §5.4). */
function fillRx(ctx: Ctx, i: number): void {
  writeDma(ctx.mem, ctx.L.dma, NET_RX_DMAS + i * ctx.L.dma.size, pageSections(NET_RX_BUFS + i * NET_BUF_BYTES, NET_BUF_BYTES));
}

/** The key slot i receives on (spec §4.4). */
export function slotKey(n: NetDev, slot: number): number {
  return n.peer + 4 * slot;
}

export const netDriver: Driver = {
  type: LGUEST_DEVICE_T_NET,
  name: 'lguest_net',
  prepare(ctx: Ctx, d: DeviceDesc) {
    if (ctx.s.net !== null) return { error: `lguest_net: device ${d.index}: only one network device is supported` };
    if (d.numPages < 1 || d.pfn === 0) return { error: `lguest_net: device ${d.index}: no MAC table page` };
    const mapsize = d.numPages * PAGE_SIZE;
    const slots = Math.floor(mapsize / ctx.L.net.size);
    const me = d.features & (mapsize - 1);
    if (me >= slots) return { error: `lguest_net: device ${d.index}: slot ${me} is outside the ${slots}-slot table` };
    // spec §5.4: the MAC comes from lguest_data.guestid as the Host wrote it at LGUEST_INIT.
    const guestid = getField(ctx.mem, LGUEST_DATA_GPA, ctx.L.data, 'guestid');
    const n: NetDev = { index: d.index, irq: deviceIrq(d.index), me, peer: d.pfn * PAGE_SIZE, slots, mac: macForGuest(guestid) };
    // open: own MAC into slot me, promisc bit clear (we are neither promiscuous nor allmulti).
    writeSlotMac(ctx, n, me, n.mac);
    for (let i = 0; i < NET_RX_BUFFERS; i++) fillRx(ctx, i);
    zeroStruct(ctx.mem, NET_STATS_GPA, ctx.L.stats);
    // Registered before the bind returns: a frame may arrive in the same entry as the BIND_DMA result.
    ctx.s.net = n;
    return { key: slotKey(n, me), array: NET_RX_DMAS, num: NET_RX_BUFFERS, irq: n.irq };
  },
  bound(ctx: Ctx, d: DeviceDesc, req: BindRequest, ok: boolean) {
    const n = ctx.s.net;
    if (n === null) return;
    if (!ok) {
      // close: zero our MAC slot so nobody sends to us.
      writeSlotMac(ctx, n, n.me, [0, 0, 0, 0, 0, 0]);
      ctx.s.net = null;
      printk(ctx, `lguest_net: device ${d.index}: BIND_DMA of the receive buffers failed`);
      return;
    }
    printk(ctx, `lguest_net: eth0: ${macString(n.mac)}, slot ${n.me}, irq ${req.irq}, ${NET_RX_BUFFERS} rx buffers bound at key ${hex(req.key)}`);
  },
};

/** Queue a frame for transmission. */
export function netTransmit(ctx: Ctx, frame: Uint8Array, tag: NetTxJob['tag']): void {
  ctx.s.jobs.push({ op: 'net_tx', frame: Array.from(frame), tag, next: 0, pending: -1, sent: 0, delivered: 0, built: false });
}

/** Does slot i get a copy of a frame to `dst`? (spec §5.4, checklist §7.37) */
function wants(slot: readonly number[], dst: readonly number[]): boolean {
  if (slot[0] === 0) return false;
  return isMulticast(dst) || (slot[0] & 1) !== 0 || macMatches(slot, dst);
}

export function stepNetTx(ctx: Ctx, job: NetTxJob): Trap | null {
  const n = ctx.s.net;
  if (n === null) return null;
  const len = job.frame.length;
  if (!job.built) {
    ctx.mem.write(NET_TX_BUF, Uint8Array.from(job.frame));
    job.built = true;
  }
  if (job.pending >= 0) {
    // Each send's own count: anything short of the frame is a carrier error (peer dead, full or absent).
    if (usedLen(ctx.mem, ctx.L.dma, NET_TX_DMA) !== len) bump(ctx, 'tx_carrier_errors');
    else {
      bump(ctx, 'tx_packets');
      bump(ctx, 'tx_bytes', len);
      job.delivered++;
    }
    job.pending = -1;
  }
  const dst = job.frame.slice(0, ETH_ALEN);
  for (let i = job.next; i < n.slots; i++) {
    // An empty slot's first MAC byte is 0 (wants() says no): one byte read instead of six by name.
    if (i === n.me || ctx.mem.u8(slotGpa(n, ctx.L, i)) === 0 || !wants(slotMac(ctx, n, i), dst)) continue;
    job.next = i + 1;
    job.pending = i;
    job.sent++;
    writeDma(ctx.mem, ctx.L.dma, NET_TX_DMA, [{ addr: NET_TX_BUF, len }]);
    return hcall(LHCALL_SEND_DMA, slotKey(n, i), NET_TX_DMA);
  }
  job.next = n.slots;
  if (job.tag !== null) ctx.s.lastTx = { sent: job.sent, delivered: job.delivered };
  return null;
}

/** The net irq: take every filled entry, refill it, hand good frames up. */
export function netIrq(ctx: Ctx): void {
  const n = ctx.s.net;
  if (n === null) return;
  for (let i = 0; i < NET_RX_BUFFERS; i++) {
    const e = NET_RX_DMAS + i * ctx.L.dma.size;
    const len = usedLen(ctx.mem, ctx.L.dma, e);
    if (len === 0) continue;
    const frame = gatherDma(ctx.mem, ctx.L.dma, e, Math.min(len, NET_BUF_BYTES));
    fillRx(ctx, i);
    if (len < ETH_HLEN || len > ETH_FRAME_MAX) {
      bump(ctx, 'rx_dropped');
      printk(ctx, `lguest_net: eth0: dropped a ${len}-byte frame`, false);
      continue;
    }
    bump(ctx, 'rx_packets');
    bump(ctx, 'rx_bytes', len);
    receive(ctx, n, frame);
  }
}

function receive(ctx: Ctx, n: NetDev, frame: Uint8Array): void {
  const r = decodePacket(frame);
  if (!r.ok) return; // not lguest-lab's protocol: nothing up the stack wants it
  const p = r.pkt;
  if (!isMulticast(p.dst) && !macMatches(n.mac, p.dst)) return;
  const from = guestOfMac(p.src);
  switch (p.op) {
    case PKT_ECHO_REQUEST:
      netTransmit(ctx, encodePacket({ dst: p.src, src: n.mac, op: PKT_ECHO_REPLY, seq: p.seq, payload: p.payload }), null);
      return;
    case PKT_ECHO_REPLY: {
      const fg = ctx.s.fg;
      if (fg.st === 'ping' && fg.seq === p.seq && fg.guest === from) {
        fg.replied = true;
        fg.replyBytes = frame.length;
      }
      return;
    }
    case PKT_TEXT:
      asyncMessage(ctx, `[net] from guest ${from}: ${printable(p.payload)}`);
      return;
  }
}
