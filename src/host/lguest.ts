/**
 * One guest as the Host sees it: drivers/lguest/lg.h `struct lguest`, reduced
 * to what the I/O model needs (spec §1.3, §2, §3, §6). Its binding table is a
 * Uint32Array laid out by the SIM_BINDING struct of the ABI table, so the
 * worker can hand it to the UI as shared memory.
 */
import { LGUEST_MAX_DMA, PAGE_SIZE } from '../abi/constants.ts';
import { layoutOf } from '../abi/layout.ts';
import { SIM_BINDING } from '../abi/structs.ts';
import type { GuestMemory } from '../hw/memory.ts';
import type { Allocator } from '../hw/shared-object.ts';
import type { Gpa } from '../base/units.ts';

const BL = layoutOf(SIM_BINDING, 'i386');
/** u32 words per binding slot, and the word index of each field (from the ABI table). */
export const BINDING_WORDS = BL.size / 4;
export const BW = {
  key: BL.fields.key.offset / 4,
  dmas: BL.fields.dmas.offset / 4,
  numDmas: BL.fields.num_dmas.offset / 4,
  nextDma: BL.fields.next_dma.offset / 4,
  interrupt: BL.fields.interrupt.offset / 4,
  shared: BL.fields.shared.offset / 4,
  ident: BL.fields.ident.offset / 4,
  seq: BL.fields.seq.offset / 4,
} as const;

/**
 * Everything of a Lguest that changes while it runs, as plain data (a
 * checkpoint's share of it). `ownerPid` is left out: it is fixed at
 * LHREQ_INITIALIZE, before any checkpoint.
 */
export interface LguestState {
  lguestData: number;
  initialized: boolean;
  dead: string | null;
  halted: boolean;
  pendingIrqs: number;
  idtPresent: number;
  idtTrapGate: number;
  pendingDma: PendingDma | null;
  pendingHcall: { readonly call: number; readonly edx: number; readonly ebx: number; readonly ecx: number } | null;
  breakOut: boolean;
  nextHcall: number;
  noirqStart: number;
  noirqEnd: number;
  eax: number;
  bindings: Uint32Array;
}

/** A SEND_DMA waiting for the Launcher (spec §2.4 step 2). */
export interface PendingDma {
  readonly dma: Gpa;
  readonly key: Gpa;
}

export class Lguest {
  /** gpa of lguest_data, 0 until LHCALL_LGUEST_INIT (spec §1.2). */
  lguestData = 0;
  initialized = false;
  /** First kill reason; null while alive (spec §2.1: later reasons are discarded). */
  dead: string | null = null;
  halted = false;
  /** irqs_pending bitmap (LGUEST_IRQS = 32 bits). */
  pendingIrqs = 0;
  /** Per irq line: its IDT vector (32+irq) is present. */
  idtPresent = 0xffffffff;
  /** Per irq line: its IDT vector is a trap gate (0xF) rather than an interrupt gate (0xE). */
  idtTrapGate = 0;
  pendingDma: PendingDma | null = null;
  /** The trapped hypercall not yet run: an async send to the Launcher came first (lg->regs->trapnum still set). */
  pendingHcall: { readonly call: number; readonly edx: number; readonly ebx: number; readonly ecx: number } | null = null;
  breakOut = false;
  /**
   * lg->noirq_start/end: read from lguest_data once, at LHCALL_LGUEST_INIT
   * (spec §1.2); no interrupt is delivered while eip is in [start, end) (§6).
   */
  noirqStart = 0;
  noirqEnd = 0;
  /** lg->next_hcall: the async ring cursor. */
  nextHcall = 0;
  /** Launcher-side: the process that did LHREQ_INITIALIZE (spec §3.1 EPERM rule). */
  ownerPid = 0;
  /** lg->dma[LGUEST_MAX_DMA]: one SIM_BINDING record per slot. */
  readonly bindings: Uint32Array;
  /** %eax as the guest will see it on its next entry. */
  eax = 0;

  constructor(
    readonly index: number,
    readonly mem: GuestMemory,
    alloc: Allocator,
  ) {
    this.bindings = new Uint32Array(alloc(LGUEST_MAX_DMA * BINDING_WORDS * 4));
    this.limitBytes = mem.pfnLimit * PAGE_SIZE;
  }

  /** pfn_limit in bytes, for addressOk. */
  private readonly limitBytes: number;

  get pfnLimit(): number {
    return this.mem.pfnLimit;
  }

  save(): LguestState {
    return {
      lguestData: this.lguestData,
      initialized: this.initialized,
      dead: this.dead,
      halted: this.halted,
      pendingIrqs: this.pendingIrqs,
      idtPresent: this.idtPresent,
      idtTrapGate: this.idtTrapGate,
      pendingDma: this.pendingDma,
      pendingHcall: this.pendingHcall,
      breakOut: this.breakOut,
      nextHcall: this.nextHcall,
      noirqStart: this.noirqStart,
      noirqEnd: this.noirqEnd,
      eax: this.eax,
      bindings: this.bindings.slice(),
    };
  }

  /** Back to a saved state; the Host's key index must be rebuilt after (Host.restore does). */
  restore(st: LguestState): void {
    this.lguestData = st.lguestData;
    this.initialized = st.initialized;
    this.dead = st.dead;
    this.halted = st.halted;
    this.pendingIrqs = st.pendingIrqs;
    this.idtPresent = st.idtPresent;
    this.idtTrapGate = st.idtTrapGate;
    this.pendingDma = st.pendingDma;
    this.pendingHcall = st.pendingHcall;
    this.breakOut = st.breakOut;
    this.nextHcall = st.nextHcall;
    this.noirqStart = st.noirqStart;
    this.noirqEnd = st.noirqEnd;
    this.eax = st.eax;
    this.bindings.set(st.bindings);
  }

  /**
   * lguest_address_ok() (spec §2.1): (addr+len)/PAGE_SIZE < pfn_limit and no 32-bit
   * wrap. The off-by-one is deliberate: a range ending exactly at the limit fails.
   */
  addressOk(addr: number, len: number): boolean {
    const end = addr + len;
    // floor(end / PAGE_SIZE) < pfn_limit  <=>  end < pfn_limit * PAGE_SIZE (pfn_limit is whole): no division.
    return end <= 0xffffffff && end < this.limitBytes;
  }
}
