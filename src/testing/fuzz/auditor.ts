/** The auditor, last part: the per-event dispatch and the end-of-run checks (memory diff, Host state). */
import { LGUEST_CONSOLE_DMA_KEY, LGUEST_IRQS, LGUEST_MAX_DMA, PAGE_SIZE } from '../../abi/constants.ts';
import { EVENT_KIND_NAMES, EventKind } from '../../hw/events.ts';
import { Machine } from '../../machine/machine.ts';
import { BINDING_WORDS, BW } from '../../host/lguest.ts';
import { hex, callText, inside } from './phys-map.ts';
import { LauncherAudit } from './audit-launcher.ts';

export class Auditor extends LauncherAudit {
  /** Every changed byte (private or shared, physical) must be covered by a logged write. */
  protected checkDiff(): void {
    for (const w of this.writes) for (const s of w.segs) this.marks[this.backings.indexOf(s.arr)].fill(1, s.off, s.off + s.len);
    this.backings.forEach((cur, bi) => {
      const { cur: bc, snap: bs } = this.bufs[bi];
      if (bc.equals(bs)) return;
      const snap = this.snaps[bi];
      const mark = this.marks[bi];
      for (let p = 0; p < cur.length; p += PAGE_SIZE) {
        const e = Math.min(cur.length, p + PAGE_SIZE);
        if (bc.compare(bs, p, e, p, e) === 0) continue;
        for (let j = p; j < e; j++) {
          if (cur[j] !== snap[j] && mark[j] === 0) {
            const what = bi < this.n ? `guest ${bi}'s private byte ${hex(j)}` : `shared object byte ${hex(j)}`;
            this.fail(`${what} changed ${snap[j]} -> ${cur[j]} without any write through the guest-memory accessors at that place`);
            break;
          }
        }
        snap.set(cur.subarray(p, e), p);
      }
    });
    for (const w of this.writes) for (const s of w.segs) this.marks[this.backings.indexOf(s.arr)].fill(0, s.off, s.off + s.len);
  }

  /** Host-side state against the model: bindings, next_dma, pending irqs, death, pending sends. */
  protected checkHostState(): void {
    const host = this.m.host;
    for (let g = 0; g < this.n; g++) {
      const hg = host.guests[g]!;
      const b = hg.bindings;
      const order: [number, number][] = [];
      for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
        const at = slot * BINDING_WORDS;
        const mb = this.bind[g][slot];
        if (!mb) {
          if (b[at + BW.interrupt] !== 0) this.fail(`guest ${g} binding slot ${slot} is in use (irq ${b[at + BW.interrupt]}, key ${hex(b[at + BW.key])}) but no BIND_DMA made it${this.exited[g] ? ' (its Launcher has exited: bindings must be gone, spec §2.3)' : ''}`);
          continue;
        }
        const got = { key: b[at + BW.key], dmas: b[at + BW.dmas], num: b[at + BW.numDmas], next: b[at + BW.nextDma], irq: b[at + BW.interrupt], shared: b[at + BW.shared], ident: b[at + BW.ident] };
        const want = { key: mb.key, dmas: mb.dmas, num: mb.num, next: mb.next, irq: mb.irq, shared: mb.shared, ident: mb.ident };
        if (JSON.stringify(got) !== JSON.stringify(want)) this.fail(`guest ${g} binding slot ${slot} is ${JSON.stringify(got)}; the BIND_DMA/DMA events say ${JSON.stringify(want)}`);
        order.push([mb.seq, b[at + BW.seq]]);
      }
      order.sort((x, y) => x[0] - y[0]);
      for (let k = 1; k < order.length; k++) if (order[k][1] <= order[k - 1][1]) this.fail(`guest ${g}'s bindings are not ordered by bind time`);
      if ((hg.pendingIrqs >>> 0) !== this.pending[g]) this.fail(`guest ${g} pending irqs ${hex(hg.pendingIrqs)} but IRQ_RAISE/IRQ_DELIVER events give ${hex(this.pending[g])}`);
      const deadModel = this.killedAt[g] >= 0 || this.exited[g];
      if ((hg.dead !== null) !== deadModel) this.fail(`guest ${g} dead=${JSON.stringify(hg.dead)} but events say ${deadModel ? 'dead' : 'alive'} (a kill needs a KILL event)`);
      if (!this.exited[g]) {
        const pd = hg.pendingDma;
        const want = this.pendingDma[g];
        if ((pd === null) !== (want === null) || (pd && want && (pd.dma !== want.dma || pd.key !== want.key)))
          this.fail(`guest ${g} pending Launcher send ${JSON.stringify(pd)}; events say ${JSON.stringify(want)}`);
        const L = this.m.launchers[g];
        if (L.consoleIgnored !== this.ignored[g]) this.fail(`guest ${g}'s Launcher consoleIgnored=${L.consoleIgnored}; its warnings say ${this.ignored[g]} (spec §4.2)`);
        if (L.ttyPending !== this.tty[g]) this.fail(`guest ${g}'s Launcher holds ${L.ttyPending} typed bytes; INPUT, CONSOLE_INPUT and its warnings leave ${this.tty[g]} (spec §4.2)`);
      }
    }
    for (const [id, list] of host.keyIndex) {
      for (const ref of list) {
        const g = Math.floor(ref / LGUEST_MAX_DMA);
        if (g >= this.n || !this.bind[g][ref % LGUEST_MAX_DMA]) this.fail(`the Host's key index still routes key ${id} to guest ${g} slot ${ref % LGUEST_MAX_DMA}, which is not bound`);
      }
    }
  }

  /** End of a run: a killed guest's Launcher has exited and its bindings are gone. */
  finish(idle: boolean): void {
    if (!idle) return;
    for (let g = 0; g < this.n; g++) {
      const hg = this.m.host.guests[g]!;
      if (hg.dead !== null && this.m.launchers[g].exitMessage === null) this.fail(`guest ${g} is dead (${JSON.stringify(hg.dead)}) but its Launcher never exited`);
      const o = this.owed[g];
      if (o) this.fail(`the Machine went idle with guest ${g}'s trapped hypercall ${callText(o)} still owed (spec §3.2 step 1: the Launcher's next read() runs it)`);
    }
  }

  protected onEvent(idx: number): void {
    const ev = this.m.events.get(idx);
    const batch = this.batch(idx);
    if (this.expectIrq && ev.kind !== EventKind.IRQ_RAISE) {
      this.fail(`${this.expectIrq.after} for guest ${this.expectIrq.g} was followed by ${EVENT_KIND_NAMES[ev.kind]} instead of its IRQ_RAISE (spec §2.4 step 4)`);
      this.expectIrq = null;
    }
    this.callEvents.push(ev);
    switch (ev.kind) {
      case EventKind.HCALL: {
        const { s, slot } = this.sessionBefore(ev);
        this.onHcall(ev, batch);
        this.sessionAfter(ev.guest, s, slot);
        break;
      }
      case EventKind.DMA:
        this.dmas++;
        this.onDma(ev, batch);
        break;
      case EventKind.DMA_FULL:
        this.onDmaFull(ev, batch);
        break;
      case EventKind.IRQ_RAISE: {
        if (ev.a >= LGUEST_IRQS) this.fail(`IRQ_RAISE of irq ${ev.a} >= LGUEST_IRQS`);
        if (this.expectIrq && (this.expectIrq.g !== ev.guest || this.expectIrq.irq !== ev.a))
          this.fail(`${this.expectIrq.after} raised irq ${ev.a} on guest ${ev.guest}; the binding says irq ${this.expectIrq.irq} on guest ${this.expectIrq.g} (spec §2.4 step 4)`);
        this.expectIrq = null;
        this.pending[ev.guest] = (this.pending[ev.guest] | (1 << ev.a)) >>> 0;
        break;
      }
      case EventKind.IRQ_DELIVER: {
        const g = ev.guest;
        const blocked = this.phys.u32(g, this.lguestData[g] + this.data.fields.blocked_interrupts.offset);
        const cand = (this.pending[g] & ~blocked) >>> 0;
        const lowest = cand === 0 ? -1 : 31 - Math.clz32(cand & -cand);
        if (ev.a !== lowest) this.fail(`guest ${g} was delivered irq ${ev.a}; pending ${hex(this.pending[g])} unblocked by ${hex(blocked)} makes it ${lowest} (spec §7.29: lowest first)`);
        this.pending[g] = (this.pending[g] & ~(1 << ev.a)) >>> 0;
        this.explain(batch, (w) => w.g === g && inside(w, this.lguestData[g] + this.data.fields.irq_enabled.offset, 4), 'interrupt delivery');
        break;
      }
      case EventKind.KILL: {
        const g = ev.guest;
        this.kills++;
        if (this.killedAt[g] >= 0) this.fail(`guest ${g} killed twice (spec §7.18: the first reason is kept, later kills are ignored)`);
        if (this.exited[g]) this.fail(`guest ${g} killed after its Launcher exited`);
        this.killedAt[g] = idx;
        this.killedQuantum[g] = this.quantum;
        break;
      }
      case EventKind.LHREQ:
        this.onLhreq(ev, batch);
        break;
      case EventKind.LAUNCHER_READ: {
        const g = ev.guest;
        const want = this.pendingDma[g];
        if (!want || want.key !== ev.a || want.dma !== ev.b) this.fail(`guest ${g}'s Launcher read {dma ${hex(ev.b)}, key ${hex(ev.a)}} but the last Launcher-bound SEND_DMA was ${JSON.stringify(want)} (spec §7.2)`);
        // handle_output (§4.1): dma2iov checks the pointers first, then the device watching the key gets it.
        const dev = ev.a === LGUEST_CONSOLE_DMA_KEY ? this.consoleIndex[g] : -1;
        this.out = { g, key: ev.a, dma: ev.b, dev, badPtr: this.launcherBadPtr(g, ev.b, []), warned: false };
        break;
      }
      case EventKind.LAUNCHER_OUTPUT:
        this.onLauncherOutput(ev, batch);
        break;
      case EventKind.LAUNCHER_WARN:
        this.onLauncherWarn(ev, batch);
        break;
      case EventKind.INPUT:
        // Typed at the terminal: queued for the Launcher, unless it ignores the console now (§4.2).
        if (ev.guest < this.n && !this.ignored[ev.guest]) this.tty[ev.guest] += ev.a;
        break;
      case EventKind.CONSOLE_INPUT:
        this.onConsoleInput(ev, batch);
        break;
      case EventKind.LAUNCHER_EXIT: {
        const g = ev.guest;
        if (g >= this.n) break;
        const o = this.out;
        if (o && o.g === g) {
          if (o.badPtr) this.cover.launcherPtrExits++;
          if (o.badPtr === null) this.fail(`guest ${g}'s Launcher exited (${JSON.stringify(this.m.events.strings[ev.a])}) handling the send {dma ${hex(o.dma)}, key ${hex(o.key)}}, whose pointers are all below top (spec §4.1)`);
          this.out = null;
        } else if (this.conIn && this.conIn.g === g) {
          if (this.conIn.badPtr) this.cover.launcherPtrExits++;
          if (this.conIn.badPtr === null) this.fail(`guest ${g}'s Launcher exited (${JSON.stringify(this.m.events.strings[ev.a])}) handling console input although buffer ${hex(this.conIn.udma)} is fine (spec §4.2)`);
          this.conIn = null;
        } else if (this.killedAt[g] < 0) this.fail(`guest ${g}'s Launcher exited (${JSON.stringify(this.m.events.strings[ev.a])}) although its guest was not killed and it was handling nothing`);
        this.exited[g] = true;
        this.bind[g].fill(null);
        this.pendingDma[g] = null;
        this.owed[g] = null;
        break;
      }
      default:
        break;
    }
  }
}
