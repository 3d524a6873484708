/**
 * The Host: the hypervisor half of lguest (drivers/lguest, spec §2, §3, §6).
 * It owns the guest table, the index of DMA bindings by futex key, the kill
 * rule, and the checked guest-memory helpers whose failures kill with
 * lguest's own reason strings. Hypercalls, the DMA engine and interrupt
 * delivery live in their own modules and act on this object.
 */
import { LGUEST_DATA, LGUEST_DMA } from '../abi/structs.ts';
import { field, layoutOf, type StructLayout } from '../abi/layout.ts';
import type { Arch } from '../abi/ctypes.ts';
import { LGUEST_MAX_DMA, MAX_LGUEST_GUESTS, PAGE_SIZE } from '../abi/constants.ts';
import { EventKind } from '../hw/events.ts';
import type { EventLog } from '../hw/event-log.ts';
import { hexAlt, u32 } from '../base/printf.ts';
import type { Clock } from '../hw/clock.ts';
import { BINDING_WORDS, BW, Lguest, type LguestState } from './lguest.ts';

/** Offsets of struct lguest_dma for the machine's ABI, read once from the table. */
export interface DmaLayout {
  readonly size: number;
  readonly usedLen: number;
  readonly len: number;
  readonly addr: number;
  /** sizeof(unsigned long): 4 on i386, 8 on x86_64. */
  readonly addrSize: number;
  /** sizeof(__u16): one element of len[]. */
  readonly lenSize: number;
}

export function dmaLayout(arch: Arch): DmaLayout {
  const l = layoutOf(LGUEST_DMA, arch);
  return { size: l.size, usedLen: l.fields.used_len.offset, len: l.fields.len.offset, addr: l.fields.addr.offset, addrSize: l.fields.addr.elemSize, lenSize: l.fields.len.elemSize };
}

/** A futex key (spec §2.2): private keys are (guest, gpa); shared ones (object, offset in object). */
export interface FutexKey {
  /** 0 = private, else 1 + shared object id. */
  readonly shared: number;
  /** Private: the gpa. Shared: byte offset within the object. */
  readonly ident: number;
}

/** The Host's changing state: its counters and each of the first `guests.length` guests. */
export interface HostState {
  bindSeq: number;
  bytesCopied: number;
  guests: LguestState[];
}

export class Host {
  readonly guests: (Lguest | null)[] = new Array(MAX_LGUEST_GUESTS).fill(null);
  /** Bindings by key identity, most recently bound first (the hash bucket order that matters: spec §2.2). */
  readonly keyIndex = new Map<number, number[]>();
  readonly dma: DmaLayout;
  readonly data: StructLayout;
  /**
   * Offsets in lguest_data of the fields the Host reads on every hypercall
   * and interrupt, looked up once: `dataAddr`'s by-name lookup costs more
   * than the read itself on those paths (bench/PROPOSED-OPTIMIZATIONS.md).
   */
  readonly dataOff: { readonly irqEnabled: number; readonly blockedInterrupts: number; readonly hcallStatus: number; readonly hcalls: number };
  /** struct hcall_ring, one entry of lguest_data.hcalls[]: its size and the offsets of its four registers. */
  readonly ring: { readonly size: number; readonly eax: number; readonly edx: number; readonly ebx: number; readonly ecx: number };
  /** Global bind counter: orders bindings (most recent first) and survives snapshots. */
  bindSeq = 0;
  /**
   * Bytes the DMA engine has copied between guests (the clock charges for them). A running total that
   * passes 2^31 within seconds of a bulk flood: the constructor makes the field a double from the start,
   * since a field that starts as a small integer changes its representation there, which gives the Host a
   * new map and throws away every function V8 compiled against the old one, mid-run (bench/README.md
   * "Sixth pass").
   */
  bytesCopied = 0;

  constructor(
    readonly arch: Arch,
    readonly events: EventLog,
    readonly clock: Clock,
  ) {
    this.dma = dmaLayout(arch);
    this.data = layoutOf(LGUEST_DATA, arch);
    const F = this.data.fields;
    this.dataOff = { irqEnabled: F.irq_enabled.offset, blockedInterrupts: F.blocked_interrupts.offset, hcallStatus: F.hcall_status.offset, hcalls: F.hcalls.offset };
    const R = F.hcalls.struct!;
    this.ring = { size: F.hcalls.elemSize, eax: field(R, 'eax').offset, edx: field(R, 'edx').offset, ebx: field(R, 'ebx').offset, ecx: field(R, 'ecx').offset };
    // A non-integer store makes the field's representation a double; the value is still 0.
    this.bytesCopied = 0.5;
    this.bytesCopied = 0;
  }

  /**
   * Record an event stamped with the virtual clock. The four events of every
   * SEND_DMA round (HCALL, DMA, IRQ_RAISE, IRQ_DELIVER) call `events.push`
   * themselves with all eight arguments instead: V8 then inlines push at the
   * site, where this wrapper with its defaults often stayed a call (about 10 ns
   * a round, bench/README.md "Profile"). Same record either way.
   */
  emit(kind: EventKind, guest: number, a = 0, b = 0, c = 0, d = 0, e = 0): void {
    this.events.push(kind, guest, this.clock.now, a, b, c, d, e);
  }

  /**
   * kill_guest(): only the first reason is kept and the guest never runs again
   * (spec §2.1, §7.18). Bindings go when the Launcher closes /dev/lguest,
   * which `releaseGuest` models.
   */
  kill(g: Lguest, reason: string): void {
    if (g.dead !== null) return;
    g.dead = reason;
    g.halted = false;
    this.emit(EventKind.KILL, g.index, this.events.intern(reason));
  }

  /** The Launcher closed /dev/lguest: free the guest and all its bindings (spec §2.3 last note). */
  releaseGuest(g: Lguest): void {
    for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) if (g.bindings[slot * BINDING_WORDS + BW.interrupt] !== 0) this.unbindSlot(g, slot);
  }

  // ---- futex keys (spec §2.2) ------------------------------------------

  /**
   * get_futex_key() on the Launcher's address space: the key must be 4-byte
   * aligned and inside mapped guest memory, else null (the caller kills with
   * its own message). A key in a shared page names (object, offset); any
   * other key is private to this guest.
   */
  futexKey(g: Lguest, key: number): FutexKey | null {
    if (!this.keyOk(g, key)) return null;
    const m = g.mem.sharedAt(key);
    if (!m) return { shared: 0, ident: key };
    return { shared: 1 + m.object.id, ident: m.page * PAGE_SIZE + (key & (PAGE_SIZE - 1)) };
  }

  /** get_futex_key()'s own test: 4-byte aligned and inside mapped guest memory. */
  keyOk(g: Lguest, key: number): boolean {
    return key % 4 === 0 && key >= 0 && key + 4 <= g.mem.top;
  }

  /**
   * keyIndex.get(keyId of the shared key (shared, ident)), remembering the
   * last answer: a flood sends to one key over and over, and building the
   * key's identity (a number beyond the small-integer range, so a heap
   * number) and hashing it costs more than the rest of the key handling.
   * Every change of keyIndex's entries forgets it; the lists themselves
   * change in place, so a remembered list stays current.
   */
  sharedBindings(shared: number, ident: number): number[] | undefined {
    if (shared === this.lastShared && ident === this.lastIdent) return this.lastList;
    const list = this.keyIndex.get(-(shared * 0x1_0000_0000 + ident) - 1);
    this.lastShared = shared;
    this.lastIdent = ident;
    this.lastList = list;
    return list;
  }
  private lastShared = 0;
  private lastIdent = 0;
  private lastList: number[] | undefined = undefined;
  private forgetLastKey(): void {
    this.lastShared = 0;
    this.lastList = undefined;
  }

  /** One number per key identity; private keys include the guest so they never match another guest's. */
  keyId(g: Lguest, k: FutexKey): number {
    return keyIdOf(g.index, k.shared, k.ident);
  }

  /** The key identity of a binding slot (its stored shared/ident words): the same number keyId gives. */
  bindingKeyId(guest: number, b: Uint32Array, base: number): number {
    return keyIdOf(guest, b[base + BW.shared], b[base + BW.ident]);
  }

  /** Insert slot `slot` of guest `g` at the head of its key's bucket. */
  indexBinding(g: Lguest, slot: number): void {
    const id = this.bindingKeyId(g.index, g.bindings, slot * BINDING_WORDS);
    const ref = g.index * LGUEST_MAX_DMA + slot;
    const list = this.keyIndex.get(id);
    if (list) list.unshift(ref);
    else {
      this.keyIndex.set(id, [ref]);
      this.forgetLastKey();
    }
  }

  unbindSlot(g: Lguest, slot: number): void {
    const base = slot * BINDING_WORDS;
    const id = this.bindingKeyId(g.index, g.bindings, base);
    const list = this.keyIndex.get(id);
    const ref = g.index * LGUEST_MAX_DMA + slot;
    if (list) {
      const at = list.indexOf(ref);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) {
        this.keyIndex.delete(id);
        this.forgetLastKey();
      }
    }
    g.bindings.fill(0, base, base + BINDING_WORDS);
  }

  /** Rebuild the key index from the binding tables (after a snapshot restore): newest bind first. */
  /** The counters and guests 0..count-1 (every one exists: the Machine creates them all at boot). */
  save(count: number): HostState {
    return { bindSeq: this.bindSeq, bytesCopied: this.bytesCopied, guests: this.guests.slice(0, count).map((g) => g!.save()) };
  }

  restore(st: HostState): void {
    this.bindSeq = st.bindSeq;
    this.bytesCopied = st.bytesCopied;
    st.guests.forEach((gs, i) => this.guests[i]!.restore(gs));
    this.rebuildKeyIndex();
  }

  rebuildKeyIndex(): void {
    this.keyIndex.clear();
    this.forgetLastKey();
    const all: { g: Lguest; slot: number; seq: number }[] = [];
    for (const g of this.guests) {
      if (!g) continue;
      for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
        const base = slot * BINDING_WORDS;
        if (g.bindings[base + BW.interrupt] !== 0) all.push({ g, slot, seq: g.bindings[base + BW.seq] });
      }
    }
    all.sort((x, y) => x.seq - y.seq);
    for (const { g, slot } of all) this.indexBinding(g, slot);
  }

  // ---- checked guest memory (lgread/lgwrite, spec §2.1) -----------------

  /** lgread_u32: a bad address kills "bad read address %#lx" and reads 0. */
  readU32(g: Lguest, addr: number): number {
    if (!g.addressOk(addr, 4)) {
      this.kill(g, `bad read address ${hexAlt(addr)}`);
      return 0;
    }
    return g.mem.u32(addr);
  }

  /** lgwrite_u32: a bad address kills "bad write address %#lx". */
  writeU32(g: Lguest, addr: number, v: number): boolean {
    if (!g.addressOk(addr, 4)) {
      this.kill(g, `bad write address ${hexAlt(addr)}`);
      return false;
    }
    g.mem.setU32(addr, v);
    return true;
  }

  /** lgread bulk: a bad range kills "bad read address %#lx len %u" and reads zeros. */
  readOk(g: Lguest, addr: number, len: number): boolean {
    if (!g.addressOk(addr, len)) {
      this.kill(g, `bad read address ${hexAlt(addr)} len ${u32(len)}`);
      return false;
    }
    return true;
  }

  /** The address of lguest_data field `name` (element `i`) for guest g. */
  dataAddr(g: Lguest, name: string, i = 0): number {
    const fl = this.data.fields[name];
    return g.lguestData + fl.offset + i * fl.elemSize;
  }

  /** Guests that exist, in index order. */
  *live(): Iterable<Lguest> {
    for (const g of this.guests) if (g) yield g;
  }
}

/** (guest, shared, ident) → one number: private keys positive and per guest, shared ones negative and per object. */
function keyIdOf(guest: number, shared: number, ident: number): number {
  return shared === 0 ? (guest + 1) * 0x1_0000_0000 + ident : -(shared * 0x1_0000_0000 + ident) - 1;
}
