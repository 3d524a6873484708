/** The auditor's model types, helpers and the physical map (which gpa of which guest is which byte of which backing). */
import { LGUEST_MAX_DMA_SECTIONS, LHCALL_RING_SIZE, PAGE_SIZE } from '../../abi/constants.ts';
import { Machine } from '../../machine/machine.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import type { Scenario } from '../../scenario/scenario.ts';

// ---------------------------------------------------------------------------
// The auditor: a spec model of the Host plus byte-level write accounting

export const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
export const callText = (t: TrapCall): string => `${t.call}(${hex(t.a1)}, ${hex(t.a2)}, ${hex(t.a3)})`;
export const sameCall = (x: TrapCall, y: TrapCall): boolean => x.call >>> 0 === y.call >>> 0 && x.a1 >>> 0 === y.a1 >>> 0 && x.a2 >>> 0 === y.a2 >>> 0 && x.a3 >>> 0 === y.a3 >>> 0;
/**
 * `%p` as the Launcher prints it: it is a userspace program (warnx from
 * glibc), so 0x-prefixed hex, and "(nil)" for a null pointer.
 */
export const userPtr = (v: number): string => ((v >>> 0) === 0 ? '(nil)' : hex(v));
/**
 * The kernel's `%p` (8 zero-padded hex digits). The property accepts the
 * "Pending dma" warning with either rendering as long as the values are
 * right; the exact wording has its own test below (`counterexamples`).
 */
export const kernelPtr = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
export const ENOENT_RET = -2 >>> 0;
export const EINVAL_RET = -22 >>> 0;

/** A piece of physical memory: a range of a guest's private bytes or of a shared object. */
export interface Seg {
  readonly arr: Uint8Array;
  readonly off: number;
  readonly len: number;
}

export type Phase = 'script' | 'host';

export interface WriteRec {
  readonly g: number;
  readonly gpa: number;
  readonly len: number;
  /** Index of the next event pushed after this write (the event that should explain it). */
  readonly ev: number;
  readonly seq: number;
  readonly phase: Phase;
  readonly segs: readonly Seg[];
  /** Bytes before the write (host writes only), to rebuild the state an operation saw. */
  readonly before: readonly Uint8Array[] | null;
  /** The async-ring completion byte of the slot just run (hcall_status[n] := 0xFF after the call: spec §1.2). */
  readonly status: boolean;
  explained: boolean;
}

export interface BindModel {
  readonly key: number;
  readonly dmas: number;
  readonly num: number;
  readonly irq: number;
  readonly shared: number;
  readonly ident: number;
  readonly id: string;
  readonly seq: number;
  next: number;
}

export interface TrapCall {
  readonly call: number;
  readonly a1: number;
  readonly a2: number;
  readonly a3: number;
}

/**
 * One do_hypercalls() of a guest in progress (spec §1.2, §3.2 step 1): after
 * its trap, or on the entry after the Launcher handled a send that stopped it.
 */
export interface HcallSession {
  /** The trapped direct call. */
  readonly trap: TrapCall;
  /** The guest's very first call: initialize(), no ring. */
  readonly init: boolean;
  /** Ring entries run so far in this do_async_hcalls (at most LHCALL_RING_SIZE). */
  iter: number;
  /** Index in `writes` from which host writes belong to the call now running. */
  from: number;
  /** A call did not match the model: stop predicting (the first failure says why). */
  broken: boolean;
  /** This is the entry after the Launcher handled a send that stopped the Host. */
  readonly resumed: boolean;
}

/** A read() that returned a Launcher-bound send: what handle_output must do with it (spec §4.1). */
export interface OutputModel {
  readonly g: number;
  readonly key: number;
  readonly dma: number;
  /** Index of the device watching the key, -1: none ("Pending dma %p, key %p"). */
  readonly dev: number;
  /** The first pointer the Launcher's check rejects (it must exit), or null. */
  readonly badPtr: string | null;
  warned: boolean;
}

/** The console input handler at work in this quantum (spec §4.2). */
export interface ConsoleInModel {
  readonly g: number;
  /** The model found a buffer (GETDMA did not fail: a gpa can look like -ENOENT as a u32). */
  readonly found: boolean;
  /** GETDMA's result: the buffer's gpa. */
  readonly udma: number;
  /** The irq GETDMA handed back in used_len (-1: none). */
  readonly irq: number;
  readonly badPtr: string | null;
  warned: 'none' | 'nobuf' | 'failed';
  delivered: boolean;
  irqSent: boolean;
}

export interface Sections {
  readonly len: readonly number[];
  readonly addr: readonly number[];
}

/** Our own page map (from the scenario, not from GuestMemory): gpa → physical bytes. */
export class PhysMap {
  readonly tops: number[] = [];
  private readonly priv: Uint8Array[] = [];
  private readonly shared: Map<number, { readonly arr: Uint8Array; readonly base: number; readonly region: number }>[] = [];

  constructor(m: Machine, sc: Scenario) {
    for (const L of m.launchers) {
      this.priv.push(L.memory.bytes);
      this.tops.push(L.memory.top);
      this.shared.push(new Map());
    }
    (sc.shared ?? []).forEach((r, ri) => {
      const obj = m.sharedObjects[ri];
      if (!obj || obj.pages !== r.pages || obj.id !== ri) throw new Error(`harness: shared object ${ri} does not match the scenario region`);
      for (const mp of r.map) for (let p = 0; p < r.pages; p++) this.shared[mp.guest].set((mp.gpa >>> 12) + p, { arr: obj.bytes, base: p * PAGE_SIZE, region: ri });
    });
  }

  segs(g: number, gpa: number, len: number): Seg[] {
    const out: Seg[] = [];
    let at = gpa;
    const end = gpa + len;
    while (at < end) {
      const pfn = Math.floor(at / PAGE_SIZE);
      const o = at % PAGE_SIZE;
      const n = Math.min(end - at, PAGE_SIZE - o);
      const sh = this.shared[g].get(pfn);
      out.push(sh ? { arr: sh.arr, off: sh.base + o, len: n } : { arr: this.priv[g], off: at, len: n });
      at += n;
    }
    return out;
  }

  read(g: number, gpa: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let o = 0;
    for (const s of this.segs(g, gpa, len)) {
      out.set(s.arr.subarray(s.off, s.off + s.len), o);
      o += s.len;
    }
    return out;
  }

  u32(g: number, gpa: number): number {
    const b = this.read(g, gpa, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  /** lguest_address_ok (spec §2.1): (addr+len)/4096 < pfn_limit and no 32-bit wrap. */
  addressOk(g: number, addr: number, len: number): boolean {
    const end = addr + len;
    return end <= 0xffffffff && Math.floor(end / PAGE_SIZE) < this.tops[g] / PAGE_SIZE;
  }

  /** The futex key of spec §2.2: null when unaligned or outside guest memory. */
  keyOf(g: number, key: number): { shared: number; ident: number; id: string } | null {
    if (key % 4 !== 0 || key + 4 > this.tops[g]) return null;
    const sh = this.shared[g].get(Math.floor(key / PAGE_SIZE));
    if (!sh) return { shared: 0, ident: key, id: `p${g}:${key}` };
    const ident = sh.base + (key % PAGE_SIZE);
    return { shared: 1 + sh.region, ident, id: `s${sh.region}:${ident}` };
  }

  backings(): Uint8Array[] {
    const out = [...this.priv];
    for (const m of this.shared) for (const v of m.values()) if (!out.includes(v.arr)) out.push(v.arr);
    return out;
  }
}

export const le32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
export const le16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
export const inside = (w: { gpa: number; len: number }, lo: number, n: number): boolean => w.gpa >= lo && w.gpa + w.len <= lo + n;
export const sectionTotal = (s: Sections): number => {
  let t = 0;
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) t += s.len[i];
  return t;
};
