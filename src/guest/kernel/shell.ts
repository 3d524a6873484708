/**
 * The shell on the console: command parsing (pure) and execution. A command
 * either finishes at once (its output queued, then a new prompt) or puts the
 * foreground into a waiting state (block I/O, ping, send, poke-dma) that
 * `shellStep` finishes once its jobs are done and its interrupt has come.
 *
 * Output formats (lines end "\r\n"; every command ends with "lguest# "):
 *   echo TEXT         TEXT
 *   blk size          lgba: N sectors, B bytes
 *   blk read S        the sector as text (trailing NULs trimmed, non-printables '.')
 *   blk read S C      one "S: text" line per sector
 *   blk write S T     blk: wrote 512 bytes to sector S
 *   blk errors        blk: no block device | blk: COUNT must be 1..16 |
 *                     blk: sector N is beyond the disk (C sectors) |
 *                     blk: I/O error at sector S (result R)
 *   ping G            PING guest G (MAC): 64 bytes, seq=Q
 *                     64 bytes: reply from guest G seq=Q  |  ping: guest G unreachable
 *   send G T          send: B bytes to guest G  |  send: guest G unreachable
 *   send all T        send: B bytes broadcast, delivered to D of S peers
 *   received text     "\r\n[net] from guest G: TEXT\r\n", then prompt + half-typed line
 *   poke-dma A        poke-dma: SEND_DMA key A, lguest_dma at 0x3300
 *                     poke-dma: back from SEND_DMA, used_len N   (unless the Host kills us)
 *   net missing       net: no network device
 *   unknown           sh: CMD: command not found
 */
import { DEVICE_FEATURE_BITS, DEVICE_STATUS_BITS, LGUEST_DEVICE_T_NET, LGUEST_MAX_DEVICES, PAGE_SIZE, SECTOR_SIZE } from '../../abi/constants.ts';
import { bitNames } from '../../abi/bits.ts';
import { BLK_MAX_SECTORS, blkData } from './block-driver.ts';
import { readDesc, typeName } from './bus.ts';
import { latin1Bytes } from '../../base/latin1.ts';
import { klogRead } from './klog.ts';
import { POKE_DMA } from './layout.ts';
import { netStat, netTransmit, slotKey } from './net-driver.ts';
import { BROADCAST_MAC, PKT_ECHO_REQUEST, PKT_PAYLOAD_MAX, PKT_TEXT, echoPayload, encodePacket, macForGuest, macString } from './packet.ts';
import { pokeUsedLen } from './poke-dma.ts';
import type { Ctx } from './state.ts';
import { pingSummary } from './ping-summary.ts';
import { hex, printable, prompt, putText, puts } from './tty.ts';
import { hexPad } from '../../base/printf.ts';

export type Command =
  | { readonly cmd: 'empty' }
  | { readonly cmd: 'help' }
  | { readonly cmd: 'echo'; readonly text: string }
  | { readonly cmd: 'dmesg' }
  | { readonly cmd: 'devices' }
  | { readonly cmd: 'blk-size' }
  | { readonly cmd: 'blk-read'; readonly sector: number; readonly count: number }
  | { readonly cmd: 'blk-write'; readonly sector: number; readonly text: string }
  | { readonly cmd: 'ifconfig' }
  /** count: echo requests to send (0: until ^C). */
  | { readonly cmd: 'ping'; readonly guest: number; readonly count: number }
  | { readonly cmd: 'send'; readonly guest: number | 'all'; readonly text: string }
  | { readonly cmd: 'poke-dma'; readonly key: number }
  | { readonly cmd: 'usage'; readonly text: string }
  | { readonly cmd: 'unknown'; readonly name: string };

export const HELP: readonly string[] = [
  'commands:',
  '  help                      this list',
  '  echo TEXT                 print TEXT',
  '  dmesg                     the kernel log',
  '  devices                   the device descriptor table as this guest sees it',
  '  blk size                  disk size',
  `  blk read SECTOR [COUNT]   read COUNT (1..${BLK_MAX_SECTORS}) sectors, print them as text`,
  '  blk write SECTOR TEXT     write TEXT (then zeros) to one sector',
  '  ifconfig                  network interface and counters',
  '  ping GUEST [COUNT]        echo requests to guest number GUEST (default 1)',
  '  ping -f GUEST             flood ping until ^C, then a summary',
  '  send GUEST|all TEXT       text message to a guest (or to every guest)',
  '  poke-dma ADDR             SEND_DMA to key ADDR (a bad key kills this guest)',
  '  ^C                        cancel the line or a waiting ping',
];

const USAGE_BLK = 'usage: blk size | blk read SECTOR [COUNT] | blk write SECTOR TEXT';

/** Decimal, or hex with 0x; 0..0xffffffff. */
export function parseNumber(s: string): number | null {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^[0-9]+$/.test(s)) v = parseInt(s, 10);
  else return null;
  return v <= 0xffffffff ? v : null;
}

function parseGuest(s: string | undefined): number | null {
  if (s === undefined) return null;
  const v = parseNumber(s);
  // guestid is a u16 (lguest_data.guestid), and the MAC carries exactly its two bytes.
  return v !== null && v <= 0xffff ? v : null;
}

export function parseCommand(line: string): Command {
  const toks: { t: string; at: number }[] = [];
  for (const m of line.matchAll(/\S+/g)) toks.push({ t: m[0], at: m.index ?? 0 });
  /** The rest of the line from token k, as typed. */
  const rest = (k: number): string => (k < toks.length ? line.slice(toks[k].at).trimEnd() : '');
  if (toks.length === 0) return { cmd: 'empty' };
  const name = toks[0].t;
  const arg = (k: number): string | undefined => toks[k]?.t;
  switch (name) {
    case 'help':
      return { cmd: 'help' };
    case 'echo':
      return { cmd: 'echo', text: rest(1) };
    case 'dmesg':
      return { cmd: 'dmesg' };
    case 'devices':
      return { cmd: 'devices' };
    case 'ifconfig':
      return { cmd: 'ifconfig' };
    case 'blk': {
      const sub = arg(1);
      if (sub === 'size' && toks.length === 2) return { cmd: 'blk-size' };
      if (sub === 'read' && (toks.length === 3 || toks.length === 4)) {
        const sector = parseNumber(arg(2) ?? '');
        const count = toks.length === 4 ? parseNumber(arg(3) ?? '') : 1;
        if (sector !== null && count !== null) return { cmd: 'blk-read', sector, count };
        return { cmd: 'usage', text: 'usage: blk read SECTOR [COUNT]' };
      }
      if (sub === 'write' && toks.length >= 4) {
        const sector = parseNumber(arg(2) ?? '');
        if (sector !== null) return { cmd: 'blk-write', sector, text: rest(3) };
        return { cmd: 'usage', text: 'usage: blk write SECTOR TEXT' };
      }
      return { cmd: 'usage', text: USAGE_BLK };
    }
    case 'ping': {
      const usage: Command = { cmd: 'usage', text: 'usage: ping GUEST [COUNT] | ping -f GUEST (GUEST a guest number, 0..65535)' };
      if (arg(1) === '-f') {
        const guest = parseGuest(arg(2));
        return guest !== null && toks.length === 3 ? { cmd: 'ping', guest, count: 0 } : usage;
      }
      const guest = parseGuest(arg(1));
      const count = toks.length === 3 ? parseNumber(arg(2) ?? '') : 1;
      return guest !== null && count !== null && count >= 1 && toks.length <= 3 ? { cmd: 'ping', guest, count } : usage;
    }
    case 'send': {
      const g = arg(1);
      const guest = g === 'all' ? 'all' : parseGuest(g);
      return guest !== null && toks.length >= 3 ? { cmd: 'send', guest, text: rest(2) } : { cmd: 'usage', text: 'usage: send GUEST|all TEXT' };
    }
    case 'poke-dma': {
      const key = parseNumber(arg(1) ?? '');
      return key !== null && toks.length === 2 ? { cmd: 'poke-dma', key } : { cmd: 'usage', text: 'usage: poke-dma ADDR (0x hex or decimal)' };
    }
    default:
      return { cmd: 'unknown', name };
  }
}

/** Names of the set bits, '|'-joined ('-' for none). */
/** `devices`: one row per non-empty descriptor, as read from the descriptor page now. */
export function devicesTable(ctx: Ctx): string[] {
  const rows = ['idx type     features                  pages pfn      status'];
  for (let i = 0; i < LGUEST_MAX_DEVICES; i++) {
    const d = readDesc(ctx, i);
    if (d.type === 0) continue;
    const names = bitNames(d.features, DEVICE_FEATURE_BITS);
    // A net descriptor's low bits are the guest's slot in the MAC table (spec §1.1, §4.4).
    if (d.type === LGUEST_DEVICE_T_NET) names.push(`slot=${d.features & (Math.max(1, d.numPages) * PAGE_SIZE - 1)}`);
    const feat = `0x${hexPad(d.features, 4)} ${names.join('|')}`;
    const status = bitNames(d.status, DEVICE_STATUS_BITS).join('|') || '-';
    rows.push(`${String(i).padStart(3)} ${typeName(d.type).padEnd(8)} ${feat.padEnd(25)} ${String(d.numPages).padStart(5)} ${hex(d.pfn).padEnd(8)} ${status}`);
  }
  if (rows.length === 1) rows.push('(no devices)');
  return rows;
}

/** A sector's bytes as text: trailing NULs trimmed, non-printables as '.'. */
export function sectorText(data: Uint8Array): string {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return printable(data.subarray(0, end));
}

/** Run one input line. */
export function runLine(ctx: Ctx, line: string): void {
  const s = ctx.s;
  const c = parseCommand(line);
  switch (c.cmd) {
    case 'empty':
      break;
    case 'help':
      for (const l of HELP) puts(ctx, l);
      break;
    case 'echo':
      puts(ctx, c.text);
      break;
    case 'dmesg':
      putText(ctx, klogRead(ctx.mem, ctx.L));
      break;
    case 'devices':
      for (const l of devicesTable(ctx)) puts(ctx, l);
      break;
    case 'blk-size': {
      const b = s.blk;
      if (b === null) puts(ctx, 'blk: no block device');
      else puts(ctx, `${b.name}: ${b.capacity} sectors, ${b.capacity * SECTOR_SIZE} bytes`);
      break;
    }
    case 'blk-read':
    case 'blk-write': {
      const b = s.blk;
      const write = c.cmd === 'blk-write';
      const count = c.cmd === 'blk-read' ? c.count : 1;
      if (b === null) puts(ctx, 'blk: no block device');
      else if (count < 1 || count > BLK_MAX_SECTORS) puts(ctx, `blk: COUNT must be 1..${BLK_MAX_SECTORS}`);
      else if (c.sector + count > b.capacity) puts(ctx, `blk: sector ${c.sector + count - 1} is beyond the disk (${b.capacity} sectors)`);
      else {
        // A bad offset would terminate the Launcher (spec §7.36): checked above, so only good requests go out.
        s.jobs.push({ op: 'blk_submit', write, sector: c.sector, count, text: c.cmd === 'blk-write' ? c.text : '', phase: 0 });
        s.fg = { st: 'blk', write, sector: c.sector, count };
        return;
      }
      break;
    }
    case 'ifconfig': {
      const n = s.net;
      if (n === null) {
        puts(ctx, 'net: no network device');
        break;
      }
      puts(ctx, `eth0      HWaddr ${macString(n.mac)}  slot ${n.me}  irq ${n.irq}`);
      puts(ctx, `          MAC table at ${hex(n.peer)} (${n.slots} slots), rx key ${hex(slotKey(n, n.me))}`);
      puts(ctx, `          RX packets:${netStat(ctx, 'rx_packets')} bytes:${netStat(ctx, 'rx_bytes')} dropped:${netStat(ctx, 'rx_dropped')}`);
      puts(ctx, `          TX packets:${netStat(ctx, 'tx_packets')} bytes:${netStat(ctx, 'tx_bytes')} carrier:${netStat(ctx, 'tx_carrier_errors')}`);
      break;
    }
    case 'ping': {
      const n = s.net;
      if (n === null) {
        puts(ctx, 'net: no network device');
        break;
      }
      const quiet = c.count === 0 || c.count > 10;
      const seq = sendEcho(ctx, c.guest, !quiet || c.count === 0);
      s.fg = { st: 'ping', guest: c.guest, seq, checked: false, replied: false, replyBytes: 0, left: c.count === 0 ? -1 : c.count - 1, sent: 1, received: 0, quiet };
      return;
    }
    case 'send': {
      const n = s.net;
      if (n === null) {
        puts(ctx, 'net: no network device');
        break;
      }
      const dst = c.guest === 'all' ? [...BROADCAST_MAC] : macForGuest(c.guest);
      const frame = encodePacket({ dst, src: n.mac, op: PKT_TEXT, seq: 0, payload: latin1Bytes(c.text).subarray(0, PKT_PAYLOAD_MAX) });
      s.lastTx = null;
      netTransmit(ctx, frame, 'send');
      s.fg = { st: 'send', guest: c.guest === 'all' ? -1 : c.guest, bytes: frame.length };
      return;
    }
    case 'poke-dma':
      puts(ctx, `poke-dma: SEND_DMA key ${hex(c.key)}, lguest_dma at ${hex(POKE_DMA)}`);
      s.jobs.push({ op: 'poke_dma', key: c.key, phase: 0 });
      s.fg = { st: 'poke', key: c.key };
      return;
    case 'usage':
      puts(ctx, c.text);
      break;
    case 'unknown':
      puts(ctx, `sh: ${c.name}: command not found`);
      break;
  }
  prompt(ctx);
}

/** Back to the prompt after a waiting command. */
/** Transmit one echo request to `guest`; returns its sequence number. */
function sendEcho(ctx: Ctx, guest: number, announce: boolean): number {
  const s = ctx.s;
  const n = s.net!;
  s.pingSeq = (s.pingSeq % 0xffff) + 1;
  const seq = s.pingSeq;
  const dst = macForGuest(guest);
  const frame = encodePacket({ dst, src: n.mac, op: PKT_ECHO_REQUEST, seq, payload: echoPayload(seq) });
  if (announce) puts(ctx, `PING guest ${guest} (${macString(dst)}): ${frame.length} bytes, seq=${seq}`);
  s.lastTx = null;
  netTransmit(ctx, frame, 'ping');
  return seq;
}

function finish(ctx: Ctx): 'progress' {
  ctx.s.fg = { st: 'prompt' };
  prompt(ctx);
  return 'progress';
}

/**
 * Advance the shell (called only with the job queue empty). 'wait' means
 * nothing can happen until an interrupt: the kernel HALTs.
 */
export function shellStep(ctx: Ctx): 'wait' | 'progress' {
  const s = ctx.s;
  const fg = s.fg;
  switch (fg.st) {
    case 'boot':
      return 'progress';
    case 'prompt': {
      const line = s.lines.shift();
      if (line === undefined) return 'wait';
      runLine(ctx, line);
      return 'progress';
    }
    case 'blk': {
      const b = s.blk;
      if (b === null) return finish(ctx);
      if (b.done === null) return 'wait';
      const done = b.done;
      b.done = null;
      if (!done.ok) puts(ctx, `blk: I/O error at sector ${fg.sector} (result ${done.result})`);
      else if (fg.write) puts(ctx, `blk: wrote ${SECTOR_SIZE} bytes to sector ${fg.sector}`);
      else {
        const data = blkData(ctx, fg.count);
        if (fg.count === 1) puts(ctx, sectorText(data));
        else for (let k = 0; k < fg.count; k++) puts(ctx, `${fg.sector + k}: ${sectorText(data.subarray(k * SECTOR_SIZE, (k + 1) * SECTOR_SIZE))}`);
      }
      return finish(ctx);
    }
    case 'ping': {
      if (!fg.checked) {
        fg.checked = true;
        // spec §5.4: the sender learns only from used_len; nothing delivered means nobody will answer.
        if (s.lastTx === null || s.lastTx.delivered === 0) {
          puts(ctx, `ping: guest ${fg.guest} unreachable`);
          if (fg.sent > 1) puts(ctx, pingSummary(fg));
          return finish(ctx);
        }
      }
      if (!fg.replied) return 'wait';
      fg.received++;
      if (!fg.quiet) puts(ctx, `${fg.replyBytes} bytes: reply from guest ${fg.guest} seq=${fg.seq}`);
      if (fg.left !== 0) {
        // The next request of a counted or flood ping (spec §5.4 transmit, once per reply).
        if (fg.left > 0) fg.left--;
        fg.seq = sendEcho(ctx, fg.guest, !fg.quiet);
        fg.sent++;
        fg.checked = false;
        fg.replied = false;
        return 'progress';
      }
      if (fg.sent > 1) puts(ctx, pingSummary(fg));
      return finish(ctx);
    }
    case 'send': {
      const tx = s.lastTx ?? { sent: 0, delivered: 0 };
      if (fg.guest < 0) puts(ctx, `send: ${fg.bytes} bytes broadcast, delivered to ${tx.delivered} of ${tx.sent} peers`);
      else if (tx.delivered > 0) puts(ctx, `send: ${fg.bytes} bytes to guest ${fg.guest}`);
      else puts(ctx, `send: guest ${fg.guest} unreachable`);
      return finish(ctx);
    }
    case 'poke':
      puts(ctx, `poke-dma: back from SEND_DMA, used_len ${pokeUsedLen(ctx)}`);
      return finish(ctx);
  }
}
