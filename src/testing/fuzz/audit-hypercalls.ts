/** The auditor, part 2: do_hypercalls (the async ring and direct calls), BIND_DMA and SEND_DMA against the spec model (§1.2, §2.3, §2.4). */
import { LGUEST_IRQS, LHCALL_BIND_DMA, LHCALL_CRASH, LHCALL_LGUEST_INIT, LHCALL_LOAD_TLS, LHCALL_RING_SIZE, LHCALL_SEND_DMA } from '../../abi/constants.ts';
import { EventKind, type SimEvent } from '../../hw/events.ts';
import { hex, callText, sameCall, type WriteRec, type BindModel, type TrapCall, type HcallSession, type Sections, le32, le16, inside } from './phys-map.ts';
import { AuditorBase } from './auditor-base.ts';

export abstract class HypercallAudit extends AuditorBase {
  protected abstract preDma(g: number, at: number, batch: readonly WriteRec[]): Sections;
  protected abstract badSection(g: number, s: Sections): string | null;
  protected abstract receiverFor(s: number, id: string): { g: number; slot: number; b: BindModel } | null;

  protected statusGpa(g: number, slot: number): number {
    return this.lguestData[g] + this.data.fields.hcall_status.offset + slot;
  }

  /**
   * What do_hypercalls() runs next for guest g (spec §1.2): the ring entry at
   * the Host's cursor while its hcall_status is not 0xFF (at most 64 per
   * pass), else the trapped direct call. `window`: host writes to undo to see
   * memory as the Host read it (status is read live here; io.c copies the
   * status array once per pass, which differs only if a call rewrites status
   * bytes, and no generated call can).
   */
  protected nextCall(g: number, s: HcallSession, window: readonly WriteRec[]): { slot: number; t: TrapCall } {
    if (!s.init && s.iter < LHCALL_RING_SIZE) {
      const n = this.cursor[g];
      if (this.pre(g, this.statusGpa(g, n), 1, window)[0] !== 0xff) {
        const w = this.pre(g, this.lguestData[g] + this.data.fields.hcalls.offset + 16 * n, 16, window);
        // struct hcall_ring: eax, edx, ebx, ecx (spec §1.3).
        return { slot: n, t: { call: le32(w, 0), a1: le32(w, 4), a2: le32(w, 8), a3: le32(w, 12) } };
      }
    }
    return { slot: -1, t: s.trap };
  }

  /** An HCALL event must be the call the model runs next; starts the resumed do_hypercalls() of an owed call. */
  protected sessionBefore(ev: SimEvent): { s: HcallSession | null; slot: number } {
    const g = ev.guest;
    const got = { call: ev.a, a1: ev.b, a2: ev.c, a3: ev.d };
    let s = this.session[g];
    if (!s) {
      const o = this.owed[g];
      const what = `HCALL ${callText(got)} for guest ${g}`;
      if (this.kind !== 'step') this.fail(`${what} during a Launcher write between quanta`);
      else if (this.ranGuest >= 0) this.fail(`${what} in a quantum where guest ${this.ranGuest} ran${this.ranGuest === g ? ', after the Host was done with its trap' : ''}`);
      else if (!o) this.fail(`${what} although no guest ran and no hypercall of guest ${g} is owed`);
      else if (this.pendingDma[g])
        this.fail(`guest ${g}'s hypercalls ran on (${what}) before its Launcher handled the pending send ${JSON.stringify(this.pendingDma[g])} (spec §3.2: read() returns that send first; §7.40)`);
      // The Launcher's next read(): the Host runs the rest of the ring, then the owed call (§3.2 step 1).
      else {
        s = this.session[g] = { trap: o, init: false, iter: 0, from: this.callWriteStart, broken: false, resumed: true };
        this.cover.resumed++;
      }
      if (!s) return { s: null, slot: -1 };
    }
    if (s.broken) return { s, slot: -1 };
    const window = this.writes.slice(s.from).filter((w) => w.phase === 'host');
    const due = this.statusDue[g];
    if (due >= 0) {
      this.statusDue[g] = -1;
      const st = this.pre(g, this.statusGpa(g, due), 1, window)[0];
      if (st !== 0xff) this.fail(`guest ${g}'s async ring slot ${due} ran but its hcall_status is ${hex(st)}, not 0xFF (spec §1.2)`);
    }
    const next = this.nextCall(g, s, window);
    if (!sameCall(got, next.t)) {
      s.broken = true;
      if (next.slot >= 0)
        this.fail(`guest ${g}: the Host ran ${callText(got)}, but async ring slot ${next.slot} is queued with ${callText(next.t)} (spec §1.2: the ring in order from the Host's cursor, before the direct call ${callText(s.trap)})`);
      else this.fail(`guest ${g}: the Host ran ${callText(got)}; with ring slot ${this.cursor[g]} not queued, the next call is the trapped one, ${callText(next.t)} (spec §1.2, §3.2 step 1)`);
      return { s, slot: -1 };
    }
    return { s, slot: next.slot };
  }

  /** After the call's own checks: advance the model's cursor; a kill ends it all, a Launcher send leaves the direct call owed. */
  protected sessionAfter(g: number, s: HcallSession | null, slot: number): void {
    this.lastEntry[g] = -1;
    if (!s || s.broken) return;
    s.from = this.writes.length;
    const dead = this.killedAt[g] >= 0 || this.exited[g];
    if (slot >= 0) {
      this.cover.ringCalls++;
      this.cursor[g] = (slot + 1) % LHCALL_RING_SIZE;
      s.iter++;
      this.lastEntry[g] = slot;
      if (dead) {
        // The simulator's documented simplification: a guest killed by an async call runs nothing further.
        this.session[g] = null;
        this.owed[g] = null;
      } else {
        this.statusDue[g] = slot;
        // do_async_hcalls stops after a DMA to the Launcher; do_hypercalls then skips the direct call.
        if (this.pendingDma[g]) {
          this.session[g] = null;
          if (s.resumed) this.cover.stoppedAgain++;
        }
      }
      return;
    }
    // initialize() or the direct call: done.
    this.session[g] = null;
    this.owed[g] = null;
  }

  /** End of a quantum: a do_hypercalls() still open stopped early, which only a kill or a Launcher send may do. */
  protected endSessions(): void {
    for (let g = 0; g < this.n; g++) {
      const dead = this.killedAt[g] >= 0 || this.exited[g];
      const due = this.statusDue[g];
      if (due >= 0) {
        this.statusDue[g] = -1;
        const st = this.phys.read(g, this.statusGpa(g, due), 1)[0];
        if (!dead && st !== 0xff) this.fail(`guest ${g}'s async ring slot ${due} ran but its hcall_status is ${hex(st)}, not 0xFF (spec §1.2)`);
      }
      // A dead guest never runs again: nothing of it is owed any more (its KILL may precede the HCALL of the killing call, so not sooner).
      if (dead) this.owed[g] = null;
      const s = this.session[g];
      if (!s) continue;
      this.session[g] = null;
      if (s.broken || dead) continue;
      const next = this.nextCall(g, s, []);
      if (next.slot >= 0)
        this.fail(
          `the Host stopped handling guest ${g}'s hypercalls with async ring slot ${next.slot} (${callText(next.t)}) still queued and no Launcher send pending (spec §1.2: the ring runs on until a DMA to the Launcher; then the direct call ${callText(s.trap)})`,
        );
      else this.fail(`guest ${g} trapped with hypercall ${callText(s.trap)} but it never ran, and no Launcher send is pending (spec §1.2, §3.2 step 1)`);
    }
  }

  protected onHcall(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const hg = this.m.host.guests[g]!;
    const [call, edx, ebx, ecx, eax] = [ev.a, ev.b, ev.c, ev.d, ev.e];
    if (this.exited[g]) this.fail(`guest ${g} made hypercall ${call} after its Launcher exited`);
    if (this.killedAt[g] >= 0) {
      // The call being handled when the kill happened may still record itself; nothing after it.
      if (this.killedQuantum[g] !== this.quantum || this.afterKill[g] >= 1) this.fail(`guest ${g} made hypercall ${call} after its KILL (event ${this.killedAt[g]})`);
      this.afterKill[g]++;
    }
    // Killed by an earlier call (a kill inside this call is among this call's events).
    const deadBefore = this.killedAt[g] >= 0 && this.killedAt[g] < (this.callEvents[0]?.index ?? ev.index);
    const expectDead = (why: string): void => {
      if (hg.dead === null) this.fail(`guest ${g} hypercall ${call}(${hex(edx)}, ${hex(ebx)}, ${hex(ecx)}) should have killed it: ${why}`);
    };
    if (!this.initialized[g]) {
      // The first hypercall must be LGUEST_INIT with a good lguest_data page (spec §1.2).
      if (call === LHCALL_LGUEST_INIT && this.phys.addressOk(g, edx, this.data.size)) {
        this.initialized[g] = true;
        this.lguestData[g] = edx;
        const F = this.data.fields;
        const fields: [number, number][] = [F.reserve_mem, F.guestid, F.tsc_khz].map((f) => [edx + f.offset, f.size]);
        this.explain(batch, (w) => w.g === g && fields.some(([lo, n]) => inside(w, lo, n)), 'LGUEST_INIT');
        const id = le16(this.phys.read(g, edx + F.guestid.offset, 2), 0);
        if (id !== g) this.fail(`LGUEST_INIT wrote guestid ${id} for Host guest ${g}`);
      } else expectDead(call === LHCALL_LGUEST_INIT ? 'bad guest page' : 'hypercall before LGUEST_INIT');
    } else if (!deadBefore) {
      switch (call) {
        case LHCALL_BIND_DMA:
          this.onBind(g, edx, ebx, ecx, eax);
          break;
        case LHCALL_SEND_DMA:
          this.onSend(g, edx, ebx);
          break;
        case LHCALL_LGUEST_INIT:
          expectDead('already have lguest_data');
          break;
        case LHCALL_CRASH:
          expectDead('CRASH');
          break;
        default:
          if (call > LHCALL_LOAD_TLS) expectDead('Bad hypercall');
      }
    }
    this.callEvents = [];
    this.callWriteStart = this.writes.length;
  }

  /** BIND_DMA (spec §2.3, §7.19-21) on the model; the Host's answer must agree. */
  protected onBind(g: number, key: number, dmas: number, packed: number, eax: number): void {
    const num = (packed >>> 8) & 0xffff;
    const irq = packed & 0xff;
    let want: number;
    if (irq >= LGUEST_IRQS) want = 0;
    else {
      const fk = this.phys.keyOf(g, key);
      if (!fk) {
        if (this.m.host.guests[g]!.dead === null) this.fail(`BIND_DMA on bad key ${hex(key)} did not kill guest ${g} (spec §7.1)`);
        want = 0;
      } else if (irq === 0) {
        const slot = this.bind[g].findIndex((b) => b !== null && b.id === fk.id && b.dmas === dmas);
        if (slot >= 0) this.bind[g][slot] = null;
        want = slot >= 0 ? 1 : 0;
      } else {
        const slot = this.bind[g].findIndex((b) => b === null);
        if (slot >= 0) this.bind[g][slot] = { key, dmas, num, irq, shared: fk.shared, ident: fk.ident, id: fk.id, seq: ++this.bindSeq, next: 0 };
        want = slot >= 0 ? 1 : 0;
      }
    }
    if (eax !== want) this.fail(`guest ${g} BIND_DMA(${hex(key)}, ${hex(dmas)}, ${hex(packed)}) returned ${eax}, spec says ${want}`);
  }

  /** SEND_DMA (spec §2.4): the transfer events of this call must match the model's routing. */
  protected onSend(g: number, key: number, udma: number): void {
    const fk = this.phys.keyOf(g, key);
    if (!fk) {
      if (this.m.host.guests[g]!.dead === null) this.fail(`SEND_DMA on bad key ${hex(key)} did not kill guest ${g} (spec §7.1)`);
      return;
    }
    const transfers = this.callEvents.filter((e) => e.kind === EventKind.DMA || e.kind === EventKind.DMA_FULL);
    if (fk.shared === 0) {
      // §7.2: a private key always goes to this guest's Launcher, never through bindings.
      const pd = this.m.host.guests[g]!.pendingDma;
      if (!pd || pd.dma !== udma || pd.key !== key) this.fail(`SEND_DMA(${hex(key)}, ${hex(udma)}) on a private key did not hand the send to the Launcher (pending: ${JSON.stringify(pd)}; spec §7.2)`);
      if (transfers.length > 0) this.fail(`SEND_DMA on private key ${hex(key)} was delivered to another guest (spec §7.2)`);
      this.pendingDma[g] = { dma: udma, key };
      return;
    }
    const rt = this.receiverFor(g, fk.id);
    if (!rt) {
      if (transfers.length > 0) this.fail(`SEND_DMA on shared key ${hex(key)} was delivered although no other guest bound it (spec §7.4)`);
      return;
    }
    if (transfers.length === 0) {
      // No transfer event: the model must predict a kill (silent when that guest is already dead: §7.18)
      // or the abort of spec §2.4 step 3e.
      const L = this.dma;
      const ul = L.fields.used_len.offset;
      const window = this.writes.slice(this.callWriteStart).filter((w) => w.phase === 'host');
      const killEvent = this.callEvents.some((e) => e.kind === EventKind.KILL);
      const killOk = (victim: number): boolean => killEvent || this.killedAt[victim] >= 0;
      let entry = -1;
      for (let i = 0; i < rt.b.num && entry < 0; i++) {
        const at = rt.b.dmas + ((rt.b.next + i) % rt.b.num) * L.size;
        if (!this.phys.addressOk(rt.g, at, L.size)) {
          // §7.16: an unreadable registered array kills the receiver.
          if (!killOk(rt.g)) this.fail(`SEND_DMA: guest ${rt.g}'s entry ${hex(at)} is unreadable, yet nobody was killed (spec §7.16)`);
          return;
        }
        if (this.preU32(rt.g, at + ul, window) === 0) entry = at;
      }
      if (entry < 0) {
        this.fail(`SEND_DMA on key ${hex(key)} to guest ${rt.g}, whose entries are all in use, gave no DMA_FULL (spec §7.13, §7.14)`);
        return;
      }
      const dst = this.preDma(rt.g, entry, window);
      const srcOk = this.phys.addressOk(g, udma, L.size);
      const src = srcOk ? this.preDma(g, udma, window) : null;
      // An unreadable sender struct reads as zeros (an empty source): that is a delivery, not an abort.
      if (!src || src.len[0] === 0) {
        this.fail(`SEND_DMA of an empty source on key ${hex(key)} to guest ${rt.g} (free entry ${hex(entry)}) produced no DMA (spec §2.4 step 3e: only a non-empty source aborts)`);
        return;
      }
      // A failed check_dma_list is a count of 0, not an early return (io.c v2.6.23 do_dma/dma_transfer):
      // the owner dies and the non-empty source aborts at step 3e, after step 3d wrote 0 to the sender.
      if (this.badSection(rt.g, dst) !== null) {
        if (!killOk(rt.g)) this.fail(`SEND_DMA: guest ${rt.g}'s entry ${hex(entry)} has a bad section, yet nobody was killed (spec §7.15)`);
      } else if (this.badSection(g, src) !== null) {
        if (!killOk(g)) this.fail(`SEND_DMA: the sender's struct at ${hex(udma)} is bad, yet it was not killed (spec §7.15)`);
      } else if (dst.len[0] !== 0) {
        this.fail(`SEND_DMA on key ${hex(key)} that guest ${rt.g} bound (free entry ${hex(entry)}) produced no DMA, DMA_FULL or KILL (spec §2.4)`);
        return;
      }
      this.explain(window, (w) => w.g === g && inside(w, udma + ul, 4), 'the aborted SEND_DMA (nothing copied)');
      if (this.phys.u32(g, udma + ul) !== 0) this.fail(`SEND_DMA that copied nothing left the sender's used_len at ${this.phys.u32(g, udma + ul)} (spec §2.4 step 3d: the count, 0)`);
      return;
    }
    const full = transfers.filter((e) => e.kind === EventKind.DMA_FULL).length;
    const done = transfers.length - full;
    if (!((done === 1 && full === 0) || (done === 0 && full === 2))) this.fail(`SEND_DMA gave ${done} DMA and ${full} DMA_FULL events; expected one delivery, or full twice (retry once: spec §7.14)`);
  }
}
