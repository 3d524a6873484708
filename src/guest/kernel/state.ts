/**
 * The kernel's control state: plain JSON, so `save()` is a deep copy and a
 * restored kernel continues bit for bit (src/hw/cpu.ts). Driver data
 * (buffers, lguest_dma structs, line editor, klog, counters) lives in guest
 * memory (layout.ts); what is here is only "where the CPU is":
 *
 * - `jobs`: a FIFO of pending work. Only the job at the front runs; each step
 *   either traps with one hypercall (and is stepped again on the next run(),
 *   with the result in %eax) or finishes. Interrupt handlers only append.
 * - `fg`: the foreground (boot sequence, or the shell and the command it is
 *   running). It advances only when the job queue is empty; when it has
 *   nothing to do the kernel HALTs.
 */
import type { Arch } from '../../abi/ctypes.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import type { Trap } from '../../hw/cpu.ts';
import type { KernelLayouts } from './layout.ts';

// ---- jobs ----------------------------------------------------------------

/** LHCALL_LGUEST_INIT (spec §1.2): phase 0 traps, phase 1 is done. */
export interface InitJob {
  op: 'init';
  phase: number;
}

/** Console output: ≤256-byte SEND_DMAs to key 0 (spec §5.2). */
export interface ConsoleWriteJob {
  op: 'console_write';
  text: string;
  /** Characters already sent. */
  pos: number;
}

/** Bus probe of one descriptor slot (spec §5.1): phase 0 handshake + BIND_DMA, phase 1 its result. */
export interface ProbeJob {
  op: 'probe';
  slot: number;
  phase: number;
  /** The BIND_DMA the driver asked for (phase 1 needs it back). */
  bind: BindRequest | null;
}

/** A driver probe's BIND_DMA (spec §2.3): a1 = key, a2 = array gpa, a3 = (num << 8) | irq. */
export interface BindRequest {
  key: number;
  array: number;
  num: number;
  irq: number;
}

/** One block request (spec §5.3): phase 0 sends, phase 1 is done (completion comes by irq). */
export interface BlkSubmitJob {
  op: 'blk_submit';
  write: boolean;
  sector: number;
  count: number;
  /** Write: the sector's text (then zeros). */
  text: string;
  phase: number;
}

/** One transmit (spec §5.4): a SEND_DMA per matching peer slot. */
export interface NetTxJob {
  op: 'net_tx';
  /** The Ethernet frame. */
  frame: number[];
  /** Whose result the shell waits for. */
  tag: 'ping' | 'send' | null;
  /** Next peer slot to consider. */
  next: number;
  /** Slot whose send is in flight, or -1. */
  pending: number;
  sent: number;
  delivered: number;
  /** Frame copied into NET_TX_BUF yet. */
  built: boolean;
}

/** `poke-dma`: one SEND_DMA to a key the user typed. */
export interface PokeJob {
  op: 'poke_dma';
  key: number;
  phase: number;
}

export type Job = InitJob | ConsoleWriteJob | ProbeJob | BlkSubmitJob | NetTxJob | PokeJob;

// ---- foreground ------------------------------------------------------------

export type BootPhase = 'start' | 'banner' | 'probe' | 'ready';

export type Fg =
  | { st: 'boot'; phase: BootPhase; slot: number }
  /** At the prompt: runs queued input lines, else waits. */
  | { st: 'prompt' }
  | { st: 'blk'; write: boolean; sector: number; count: number }
  /** `checked`: the transmit's outcome was looked at; `replied`: the echo reply came (set by the rx irq). */
  /**
   * `left`: echo requests still to send after this one (-1: until ^C, `ping -f`);
   * `sent`/`received` count the whole run; `quiet`: print only the summary.
   */
  | { st: 'ping'; guest: number; seq: number; checked: boolean; replied: boolean; replyBytes: number; left: number; sent: number; received: number; quiet: boolean }
  | { st: 'send'; guest: number; bytes: number }
  | { st: 'poke'; key: number };

// ---- devices (what each driver's probe found) -----------------------------

export interface ConsoleDev {
  index: number;
  irq: number;
}

export interface BlkRequest {
  write: boolean;
  sector: number;
  count: number;
}

export interface BlockDev {
  index: number;
  irq: number;
  /** pfn × 4096: the lguest_block_page and the key (spec §5.3). */
  phys: number;
  /** num_sectors at probe time. */
  capacity: number;
  name: string;
  /** One request in flight (spec §5.3). */
  inflight: BlkRequest | null;
  /** The completed request's outcome, until the shell prints it. */
  done: { ok: boolean; result: number } | null;
}

export interface NetDev {
  index: number;
  irq: number;
  /** features & (mapsize − 1) (spec §5.4). */
  me: number;
  /** pfn × 4096: the shared MAC table. */
  peer: number;
  /** MAC slots in the mapped pages. */
  slots: number;
  mac: number[];
}

export interface TxReport {
  sent: number;
  delivered: number;
}

export interface KernelState {
  format: 'lguest-kernel/1';
  arch: Arch;
  /** lguest_data.guestid, read after LGUEST_INIT. */
  guestid: number;
  jobs: Job[];
  fg: Fg;
  /** Completed input lines the shell has not run yet (the tty input queue). */
  lines: string[];
  con: ConsoleDev | null;
  blk: BlockDev | null;
  net: NetDev | null;
  /** Last echo-request sequence number used. */
  pingSeq: number;
  /** Outcome of the last tagged transmit. */
  lastTx: TxReport | null;
}

export function initialState(arch: Arch): KernelState {
  return {
    format: 'lguest-kernel/1',
    arch,
    guestid: 0,
    jobs: [],
    fg: { st: 'boot', phase: 'start', slot: 0 },
    lines: [],
    con: null,
    blk: null,
    net: null,
    pingSeq: 0,
    lastTx: null,
  };
}

/** What one run() works with; built afresh every run, never saved. */
export interface Ctx {
  readonly mem: GuestMemory;
  readonly s: KernelState;
  /** Result of the previous hypercall: valid for the job at the front when it resumes. */
  readonly eax: number;
  readonly ramBytes: number;
  readonly L: KernelLayouts;
}

export function hcall(call: number, a1 = 0, a2 = 0, a3 = 0): Trap {
  return { kind: 'hcall', call, a1: a1 >>> 0, a2: a2 >>> 0, a3: a3 >>> 0 };
}

