/**
 * The DMA benchmarks' machine: two scripted guests that map one shared page
 * (as the 'bad-dma' preset does, src/scenario/presets.ts). Guest 0, the
 * receiver, binds two arrays on keys in that page with a script (spec §2.3):
 *
 * - BULK_KEY: one lguest_dma entry of 16 sections × 4096 bytes (irq 3);
 * - SMALL_KEY: one entry of one 64-byte section (irq 4).
 *
 * Guest 1, the sender, writes the matching send structs and its payload with
 * a script. Both scripts run on the real Machine until idle; the benchmarks
 * then call the Host's SEND_DMA path directly (spec §2.4) in a tight loop.
 * Keys in a shared page are shared futex keys (§2.2), so every send is a
 * guest-to-guest dma_transfer, never a Launcher hand-off.
 *
 * Guest memory (both guests: 512 KiB RAM, lguest_data in page 0):
 *
 *   0x2000  bulk lguest_dma          0x10000..0x20000  receiver's 16 bulk pages
 *   0x2100  small lguest_dma         0x30000..0x40000  sender's 16 bulk pages
 *   0x3000  small 64-byte buffer     0x100000          the shared page (keys)
 */
import { LGUEST_MAX_DMA_SECTIONS, LHCALL_SEND_DMA, PAGE_SIZE, X86_EFLAGS_IF } from '../src/abi/constants.ts';
import { EventKind } from '../src/hw/events.ts';
import { Machine } from '../src/machine/machine.ts';
import type { GuestMemory } from '../src/hw/memory.ts';
import { validateScenario, type Scenario, type ScenarioInput } from '../src/scenario/scenario.ts';
import { packBind, hcall, writeDma, type Section } from '../src/guest/script-builders.ts';
import { ScriptGuest } from '../src/guest/script-guest.ts';
import type { ScriptStep } from '../src/guest/script-step.ts';
import type { DmaLayout, Host } from '../src/host/host.ts';
import { hypercall } from '../src/host/hypercalls.ts';
import { maybeDoInterrupt } from '../src/host/interrupts.ts';
import type { Lguest } from '../src/host/lguest.ts';

export const RAM_BYTES = 0x80000;
export const SHARED_GPA = 0x100000;
export const BULK_KEY = SHARED_GPA;
export const SMALL_KEY = SHARED_GPA + 4;
export const BULK_IRQ = 3;
export const SMALL_IRQ = 4;
export const BULK_DMA = 0x2000;
export const SMALL_DMA = 0x2100;
export const SMALL_BUF = 0x3000;
export const SMALL_BYTES = 64;
export const RX_BULK_DATA = 0x10000;
export const TX_BULK_DATA = 0x30000;
export const BULK_SECTIONS = LGUEST_MAX_DMA_SECTIONS;
/** Bytes one bulk SEND_DMA moves: 16 sections × one page. */
export const BULK_BYTES = BULK_SECTIONS * PAGE_SIZE;

const pages = (base: number): Section[] => Array.from({ length: BULK_SECTIONS }, (_, i) => ({ addr: base + i * PAGE_SIZE, len: PAGE_SIZE }));

/** The payload word at index i: distinct per word, so a misplaced page shows. */
const payloadWord = (i: number): number => Math.imul(i + 1, 0x9e3779b1) >>> 0;

export function dmaScenario(): Scenario {
  const receiver: ScriptStep[] = [
    ...writeDma(BULK_DMA, pages(RX_BULK_DATA)),
    hcall('BIND_DMA', BULK_KEY, BULK_DMA, packBind(1, BULK_IRQ)),
    ...writeDma(SMALL_DMA, [{ addr: SMALL_BUF, len: SMALL_BYTES }]),
    hcall('BIND_DMA', SMALL_KEY, SMALL_DMA, packBind(1, SMALL_IRQ)),
  ];
  const sender: ScriptStep[] = [
    { op: 'write', addr: TX_BULK_DATA, u32: Array.from({ length: BULK_BYTES / 4 }, (_, i) => payloadWord(i)) },
    { op: 'write', addr: SMALL_BUF, u32: Array.from({ length: SMALL_BYTES / 4 }, (_, i) => payloadWord(i)) },
    ...writeDma(BULK_DMA, pages(TX_BULK_DATA)),
    ...writeDma(SMALL_DMA, [{ addr: SMALL_BUF, len: SMALL_BYTES }]),
  ];
  const input: ScenarioInput = {
    name: 'bench-dma',
    description: 'bench/: guest 0 binds a 16-page and a 64-byte receive buffer on shared keys; guest 1 sends to them.',
    guests: [
      { kernel: 'script', memory: RAM_BYTES, script: receiver },
      { kernel: 'script', memory: RAM_BYTES, script: sender },
    ],
    shared: [{ pages: 1, map: [{ guest: 0, gpa: SHARED_GPA }, { guest: 1, gpa: SHARED_GPA }] }],
  };
  const r = validateScenario(input);
  if (!r.ok) throw new Error(`bench dma scenario: ${r.error.message}`);
  return r.value;
}

export interface DmaFixture {
  readonly machine: Machine;
  readonly host: Host;
  readonly receiver: Lguest;
  readonly sender: Lguest;
  readonly rxMem: GuestMemory;
  readonly txMem: GuestMemory;
  readonly dma: DmaLayout;
  /** gpa of the receiver's lguest_data.irq_enabled. */
  readonly rxIrqEnabled: number;
}

/** Build the machine and run both scripts until idle; throws if a binding failed. */
export function buildDmaFixture(): DmaFixture {
  const machine = new Machine(dmaScenario());
  machine.runUntilIdle(10_000);
  const host = machine.host;
  const receiver = host.guests[0];
  const sender = host.guests[1];
  if (!receiver || !sender) throw new Error('bench dma fixture: guests missing');
  for (const g of [receiver, sender]) if (g.dead !== null) throw new Error(`bench dma fixture: guest ${g.index} died: ${g.dead}`);
  const rx = machine.programs[0];
  if (!(rx instanceof ScriptGuest)) throw new Error('bench dma fixture: guest 0 is not scripted');
  const binds = rx.results.filter((r, i) => rx.steps[i].op === 'hcall' && r !== null).map((r) => r?.ret);
  if (binds.length !== 2 || binds.some((v) => v !== 1)) throw new Error(`bench dma fixture: BIND_DMA returned ${JSON.stringify(binds)}`);
  return {
    machine,
    host,
    receiver,
    sender,
    rxMem: receiver.mem,
    txMem: sender.mem,
    dma: host.dma,
    rxIrqEnabled: host.dataAddr(receiver, 'irq_enabled'),
  };
}

/**
 * The sender's trap registers for SEND_DMA (%eax, %edx, %ebx, %ecx), read by the loops on every
 * round as the Machine reads a guest's: arguments that were constants in the loop would let V8 fold
 * the dispatch and the key checks into it once it inlines the hypercall there, which no run can.
 */
function guestRegisters(key: number, dma: number): Uint32Array {
  return Uint32Array.of(LHCALL_SEND_DMA, key, dma, 0);
}

/** One bulk send as the hot loop does it: re-arm the receiver's entry (used_len := 0), then SEND_DMA. */
export function bulkSendLoop(f: DmaFixture): (n: number) => void {
  const { host, sender, rxMem } = f;
  const rxUsed = BULK_DMA + f.dma.usedLen;
  // A closure copy of the imported function, as the bare loop has its values: an imported binding is
  // reloaded and checked for the TDZ hole at every use (bench/README "Third pass"), which is the
  // loop's cost, not the Host's.
  const call = hypercall;
  const regs = guestRegisters(BULK_KEY, BULK_DMA);
  // Named, so a CPU profile can be cut to this loop (bench/profile-summary.ts --under bulkSend).
  function bulkSend(n: number): void {
    for (let k = 0; k < n; k++) {
      rxMem.setU32(rxUsed, 0);
      call(host, sender, regs[0], regs[1], regs[2], regs[3]);
    }
  }
  return bulkSend;
}

/**
 * One small round: re-arm, SEND_DMA of 64 bytes (which raises irq 4), the
 * Host delivering that interrupt to the receiver (maybe_do_interrupt, spec
 * §6), and the receiver's iret turning interrupts back on.
 */
export function smallRoundLoop(f: DmaFixture): (n: number) => void {
  const { host, sender, receiver, rxMem, rxIrqEnabled } = f;
  const rxUsed = SMALL_DMA + f.dma.usedLen;
  // As in bulkSendLoop: the imported names as closure constants, the registers read each round.
  const [call, deliver, IF] = [hypercall, maybeDoInterrupt, X86_EFLAGS_IF];
  const regs = guestRegisters(SMALL_KEY, SMALL_DMA);
  function smallRound(n: number): void {
    for (let k = 0; k < n; k++) {
      rxMem.setU32(rxUsed, 0);
      call(host, sender, regs[0], regs[1], regs[2], regs[3]);
      deliver(host, receiver);
      rxMem.setU32(rxIrqEnabled, IF);
    }
  }
  return smallRound;
}

/**
 * The bare loop a small round can never beat (issue #15): what one round
 * must do at the least, with no checks, no lookup and no events: read two
 * words of the sender's lguest_dma (its first section's addr and len), copy
 * those 64 bytes into the receiver's buffer with TypedArray.set (one
 * subarray view, as the engine needs), and set the irq bit. The words come
 * from the sender's memory on every round, so the copy cannot be hoisted.
 */
export function bareRoundLoop(f: DmaFixture): (n: number) => void {
  const tx = f.txMem.bytes;
  const rx = f.rxMem.bytes;
  const txView = f.txMem.view;
  const lenAt = SMALL_DMA + f.dma.len;
  const addrAt = SMALL_DMA + f.dma.addr;
  const receiver = f.receiver;
  const bit = 1 << SMALL_IRQ;
  function bareRound(n: number): void {
    for (let k = 0; k < n; k++) {
      const addr = txView.getUint32(addrAt, true);
      const len = txView.getUint32(lenAt, true) & 0xffff;
      rx.set(tx.subarray(addr, addr + len), SMALL_BUF);
      receiver.pendingIrqs = (receiver.pendingIrqs | bit) >>> 0;
    }
  }
  return bareRound;
}

/** Run the bare loop once and prove it moved the 64 bytes and set the bit. */
export function verifyBareRound(f: DmaFixture): void {
  f.rxMem.bytes.fill(0, SMALL_BUF, SMALL_BUF + SMALL_BYTES);
  f.receiver.pendingIrqs = 0;
  bareRoundLoop(f)(1);
  for (let i = 0; i < SMALL_BYTES / 4; i++) check(`bare payload word ${i} differs`, f.rxMem.u32(SMALL_BUF + 4 * i) === payloadWord(i));
  check(`bare loop did not set irq ${SMALL_IRQ}`, f.receiver.pendingIrqs === 1 << SMALL_IRQ);
  f.receiver.pendingIrqs = 0;
}

/**
 * The memcpy baseline: the same 16 × 4096 bytes between the same buffers
 * with one TypedArray.prototype.set, the least a copy of them can be (the
 * bytes are contiguous on both sides). Issue #15's third pass made the engine
 * move contiguous pieces as one run; a baseline of 16 page copies (what the
 * engine did before) would flatter it, so the baseline is the single copy.
 */
export function bulkMemcpyLoop(f: DmaFixture): (n: number) => void {
  const src = f.txMem.bytes;
  const dst = f.rxMem.bytes;
  function bulkMemcpy(n: number): void {
    for (let k = 0; k < n; k++) dst.set(src.subarray(TX_BULK_DATA, TX_BULK_DATA + BULK_BYTES), RX_BULK_DATA);
  }
  return bulkMemcpy;
}

function check(what: string, ok: boolean): void {
  if (!ok) throw new Error(`bench dma fixture: ${what}`);
}

/** Run one bulk send and prove it moved the payload (a benchmark of a no-op would be worthless). */
export function verifyBulkSend(f: DmaFixture): void {
  f.rxMem.bytes.fill(0, RX_BULK_DATA, RX_BULK_DATA + BULK_BYTES);
  const before = f.machine.events.count;
  bulkSendLoop(f)(1);
  check(`sender used_len ${f.txMem.u32(BULK_DMA)} != ${BULK_BYTES}`, f.txMem.u32(BULK_DMA + f.dma.usedLen) === BULK_BYTES);
  check(`receiver used_len ${f.rxMem.u32(BULK_DMA)} != ${BULK_BYTES}`, f.rxMem.u32(BULK_DMA + f.dma.usedLen) === BULK_BYTES);
  for (let i = 0; i < BULK_BYTES / 4; i++) check(`payload word ${i} differs`, f.rxMem.u32(RX_BULK_DATA + 4 * i) === payloadWord(i));
  check('no events recorded', f.machine.events.count > before);
  check(`irq ${BULK_IRQ} not raised`, (f.receiver.pendingIrqs & (1 << BULK_IRQ)) !== 0);
  check('a guest died', f.receiver.dead === null && f.sender.dead === null);
}

/** Run one small round and prove the 64 bytes moved and the interrupt was delivered. */
export function verifySmallRound(f: DmaFixture): void {
  f.rxMem.bytes.fill(0, SMALL_BUF, SMALL_BUF + SMALL_BYTES);
  f.receiver.pendingIrqs = 0;
  smallRoundLoop(f)(1);
  check('receiver used_len != 64', f.rxMem.u32(SMALL_DMA + f.dma.usedLen) === SMALL_BYTES);
  for (let i = 0; i < SMALL_BYTES / 4; i++) check(`small payload word ${i} differs`, f.rxMem.u32(SMALL_BUF + 4 * i) === payloadWord(i));
  const last = f.machine.events.get(f.machine.events.count - 1);
  check(`last event is not IRQ_DELIVER of irq ${SMALL_IRQ}`, last.kind === EventKind.IRQ_DELIVER && last.guest === 0 && last.a === SMALL_IRQ && f.receiver.pendingIrqs === 0);
  check('a guest died', f.receiver.dead === null && f.sender.dead === null);
}
