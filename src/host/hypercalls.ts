/**
 * Hypercall dispatch (drivers/lguest/hypercalls.c v2.6.23; spec §1.2).
 * Arguments arrive as the registers did: call in %eax, then %edx, %ebx, %ecx.
 * The returned number is %eax as the guest sees it afterwards: calls that do
 * not set it leave the call number there, as the real trap handler did.
 */
import * as abi from '../abi/constants.ts';
import * as events from '../hw/events.ts';
import { li, ptr } from '../base/printf.ts';
import * as dmaEngine from './dma-engine.ts';
import type { Host } from './host.ts';
import type { Lguest } from './lguest.ts';

// Module-local copies of imported constants and functions (see src/host/dma-engine.ts: an imported binding is
// reloaded and TDZ-checked at every use; a module's own const folds into the optimized code).
const {
  LHCALL_BIND_DMA,
  LHCALL_CRASH,
  LHCALL_FLUSH_ASYNC,
  LHCALL_FLUSH_TLB,
  LHCALL_GET_WALLCLOCK,
  LHCALL_HALT,
  LHCALL_LGUEST_INIT,
  LHCALL_LOAD_GDT,
  LHCALL_LOAD_IDT_ENTRY,
  LHCALL_LOAD_TLS,
  LHCALL_NEW_PGTABLE,
  LHCALL_RING_SIZE,
  LHCALL_SEND_DMA,
  LHCALL_SET_CLOCKEVENT,
  LHCALL_SET_PMD,
  LHCALL_SET_PTE,
  LHCALL_SET_STACK,
  LHCALL_TS,
  LGUEST_TRAP_ENTRY,
} = abi;
const { EventKind } = events;
const { bindDma, sendDma } = dmaEngine;

/** GET_WALLCLOCK's epoch: v2.6.23's release day (2007-10-09 UTC), plus virtual seconds. */
export const WALLCLOCK_EPOCH = 1191888000;
/** Virtual ticks per second (a tick is a microsecond of simulated time). */
export const TICKS_PER_SECOND = 1_000_000;
/** What LGUEST_INIT writes into lguest_data.reserve_mem (spec §1.3: 4 MiB). */
const RESERVE_MEM = 4 * 1024 * 1024;

/**
 * A guest trapped with a hypercall: do_hypercalls() runs the async ring, then
 * the direct call (spec §1.2 "Async calls are run before the direct call").
 * Returns %eax, or null when the direct call is still pending: an async
 * SEND_DMA to the Launcher stopped the ring, so the trap stays set and the
 * next read() runs the ring on and then the direct call (§3.2 loop step 1;
 * `resumeHypercall`). A guest killed by an async call runs nothing further:
 * it never executes again (a simplification of io.c, which would still run
 * the direct call of a guest it had just killed).
 */
export function hypercall(host: Host, g: Lguest, call: number, edx: number, ebx: number, ecx: number): number | null {
  call >>>= 0;
  edx >>>= 0;
  ebx >>>= 0;
  ecx >>>= 0;
  if (!g.initialized) {
    // initialize(): the first call must be LGUEST_INIT.
    const eax = lguestInit(host, g, call, edx);
    host.emit(EventKind.HCALL, g.index, call, edx, ebx, ecx, eax);
    return eax;
  }
  // The common case: nothing queued in the async ring and nothing pending. do_hypercalls() then runs
  // the direct call at once, exactly what resumeHypercall would do after an empty ring, without
  // parking the registers in a pendingHcall record first (one allocation per hypercall).
  if (g.pendingHcall === null && g.pendingDma === null && g.dead === null && g.mem.u8(g.lguestData + host.dataOff.hcallStatus + g.nextHcall) === 0xff) {
    // SEND_DMA, nearly every hypercall of a flood, is dispatched here: doHcall's switch is too big for V8
    // to inline along with the send (bench/README.md "Sixth pass"); the same call, the same record.
    let eax = call;
    if (call === LHCALL_SEND_DMA) sendDma(host, g, edx, ebx);
    else eax = doHcall(host, g, call, edx, ebx, ecx);
    host.events.push(EventKind.HCALL, g.index, host.clock.now, call, edx, ebx, ecx, eax);
    return eax;
  }
  g.pendingHcall = { call, edx, ebx, ecx };
  return resumeHypercall(host, g);
}

/** Run the trapped hypercall that is still pending: the ring first, then the direct call. */
export function resumeHypercall(host: Host, g: Lguest): number | null {
  const h = g.pendingHcall;
  if (h === null) return null;
  runAsyncRing(host, g);
  if (g.dead !== null) {
    g.pendingHcall = null;
    return h.call;
  }
  if (g.pendingDma !== null) return null;
  g.pendingHcall = null;
  const eax = doHcall(host, g, h.call, h.edx, h.ebx, h.ecx);
  host.emit(EventKind.HCALL, g.index, h.call, h.edx, h.ebx, h.ecx, eax);
  return eax;
}

function lguestInit(host: Host, g: Lguest, call: number, edx: number): number {
  if (call !== LHCALL_LGUEST_INIT) {
    host.kill(g, `hypercall ${li(call)} before LGUEST_INIT`);
    return call;
  }
  if (!g.addressOk(edx, host.data.size)) {
    host.kill(g, `bad guest page ${ptr(edx)}`);
    return call;
  }
  g.lguestData = edx;
  g.initialized = true;
  const m = g.mem;
  const F = host.data.fields;
  // The Host reads the guest's no-interrupt range once, here (spec §1.2, §6).
  g.noirqStart = m.u32(edx + F.noirq_start.offset);
  g.noirqEnd = m.u32(edx + F.noirq_end.offset);
  // The Host's side of the handshake: reserve_mem, tsc_khz (0: no reliable TSC here), guestid.
  m.setU32(edx + F.reserve_mem.offset, RESERVE_MEM);
  if (F.reserve_mem.elemSize === 8) m.setU32(edx + F.reserve_mem.offset + 4, 0);
  m.setU16(edx + F.guestid.offset, g.index);
  m.setU32(edx + F.tsc_khz.offset, 0);
  return call;
}

/** do_async_hcalls: run queued ring entries from the cursor while their status is not 0xFF. */
function runAsyncRing(host: Host, g: Lguest): void {
  const statusAt = g.lguestData + host.dataOff.hcallStatus;
  const ringAt = g.lguestData + host.dataOff.hcalls;
  for (let k = 0; k < LHCALL_RING_SIZE; k++) {
    const n = g.nextHcall;
    if (g.mem.u8(statusAt + n) === 0xff) break;
    g.nextHcall = (n + 1) % LHCALL_RING_SIZE;
    const R = host.ring;
    const at = ringAt + n * R.size;
    const call = g.mem.u32(at + R.eax);
    const edx = g.mem.u32(at + R.edx);
    const ebx = g.mem.u32(at + R.ebx);
    const ecx = g.mem.u32(at + R.ecx);
    const eax = doHcall(host, g, call, edx, ebx, ecx);
    host.emit(EventKind.HCALL, g.index, call, edx, ebx, ecx, eax);
    g.mem.setU8(statusAt + n, 0xff);
    if (g.pendingDma !== null || g.dead !== null) break;
  }
}

/** do_hcall(): one call. */
function doHcall(host: Host, g: Lguest, call: number, edx: number, ebx: number, ecx: number): number {
  // The I/O calls first: a switch over imported numbers is a chain of compares, and these two are
  // nearly every hypercall of a run (the order changes nothing else: the numbers are distinct).
  switch (call) {
    case LHCALL_SEND_DMA:
      sendDma(host, g, edx, ebx);
      return call;
    case LHCALL_BIND_DMA:
      return bindDma(host, g, edx, ebx, ecx);
    case LHCALL_FLUSH_ASYNC:
      return call; // Entering the Host already drained the ring.
    case LHCALL_LGUEST_INIT:
      host.kill(g, 'already have lguest_data');
      return call;
    case LHCALL_CRASH: {
      // lgread of the 128-byte message buffer, NUL at [127].
      if (!host.readOk(g, edx, 128)) return call;
      host.kill(g, `CRASH: ${g.mem.cstring(edx, 127)}`);
      return call;
    }
    case LHCALL_FLUSH_TLB:
    case LHCALL_NEW_PGTABLE:
    case LHCALL_LOAD_GDT:
    case LHCALL_SET_STACK:
    case LHCALL_TS:
    case LHCALL_SET_PTE:
    case LHCALL_SET_PMD:
    case LHCALL_LOAD_TLS:
    case LHCALL_SET_CLOCKEVENT:
      // Paging, segments and the clock are outside the I/O model: accepted and recorded.
      return call;
    case LHCALL_LOAD_IDT_ENTRY:
      loadIdtEntry(host, g, edx, ebx, ecx);
      return call;
    case LHCALL_HALT:
      g.halted = true;
      return call;
    case LHCALL_GET_WALLCLOCK:
      return (WALLCLOCK_EPOCH + Math.floor(host.clock.now / TICKS_PER_SECOND)) >>> 0;
    default:
      // The "\n" is part of lguest's reason string.
      host.kill(g, `Bad hypercall ${li(call)}\n`);
      return call;
  }
}

/**
 * load_guest_idt_entry (interrupts_and_traps.c): vectors 2, 8, 15 and the
 * trap entry are ignored; an entry without the present bit is cleared; a type
 * other than interrupt (0xE) or trap (0xF) gate kills. Only the 32 irq
 * vectors (32..63) matter to the I/O model (spec §6, §7.31).
 */
function loadIdtEntry(host: Host, g: Lguest, num: number, _lo: number, hi: number): void {
  if (num === 2 || num === 8 || num === 15 || num === LGUEST_TRAP_ENTRY) return;
  if (num >= 64) return;
  const present = (hi & 0x8000) !== 0;
  const type = (hi >>> 8) & 0xf;
  if (!present) {
    if (num >= 32) g.idtPresent = (g.idtPresent & ~(1 << (num - 32))) >>> 0;
    return;
  }
  if (type !== 0xe && type !== 0xf) {
    host.kill(g, `bad IDT type ${li(type)}`);
    return;
  }
  if (num < 32) return;
  const bit = 1 << (num - 32);
  g.idtPresent = (g.idtPresent | bit) >>> 0;
  g.idtTrapGate = type === 0xf ? (g.idtTrapGate | bit) >>> 0 : (g.idtTrapGate & ~bit) >>> 0;
}
