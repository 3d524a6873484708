/** The auditor, part 4: /dev/lguest requests and the Launcher's console and output handling (§3, §4.1, §4.2). */
import { LGUEST_CONSOLE_DMA_KEY, LGUEST_IRQS, LGUEST_MAX_DMA_SECTIONS, LHREQ_GETDMA, LHREQ_IRQ } from '../../abi/constants.ts';
import type { SimEvent } from '../../hw/events.ts';
import { eventToJson } from '../../hw/event-json.ts';
import { TOLERATE } from './budget.ts';
import { hex, callText, userPtr, kernelPtr, ENOENT_RET, EINVAL_RET, type WriteRec, type BindModel, inside, sectionTotal } from './phys-map.ts';
import { DmaAudit } from './audit-dma.ts';

export abstract class LauncherAudit extends DmaAudit {
  /** _check_pointer over a struct and its sections (spec §4.1): the first range at or past `top`, or null. */
  protected launcherBadPtr(g: number, at: number, batch: readonly WriteRec[]): string | null {
    const top = this.phys.tops[g];
    const bad = (a: number, n: number): boolean => a >= top || a + n >= top;
    if (bad(at, this.dma.size)) return `the struct ${this.dma.size}@${hex(at)}`;
    const s = this.preDma(g, at, batch);
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) if (bad(s.addr[i], s.len[i])) return `section ${s.len[i]}@${hex(s.addr[i])}`;
    return null;
  }

  /** End of a quantum: a Launcher that started handling output or console input finished it, or exited. */
  protected endLauncher(): void {
    const o = this.out;
    if (o && !this.exited[o.g]) this.fail(`guest ${o.g}'s Launcher read the send {dma ${hex(o.dma)}, key ${hex(o.key)}} but neither handled it nor exited (spec §4.1)`);
    const c = this.conIn;
    if (c && !this.exited[c.g]) {
      if (!c.found && c.warned !== 'nobuf') this.fail(`guest ${c.g} has no console buffer, yet its Launcher did not warn "console: no dma buffer!" (spec §4.2)`);
      if (c.found && !c.delivered) this.fail(`guest ${c.g}'s Launcher got console buffer ${hex(c.udma)} but delivered nothing into it (spec §4.2)`);
      if (c.delivered && !c.irqSent) this.fail(`guest ${c.g}'s Launcher filled console buffer ${hex(c.udma)} but did not trigger its irq ${c.irq} (spec §4.1)`);
    }
  }

  protected checkLeftoverWrites(): void {
    const irqOff = this.data.fields.irq_enabled.offset;
    for (const w of this.writes) {
      if (w.explained) continue;
      if (w.phase === 'host' && w.status) continue;
      // Interrupt entry (spec §6): a halted guest gets irq_enabled = 0x200, an interrupt gate 0.
      if (w.phase === 'host' && w.seq < this.runStartSeq && w.g === this.ranGuest && inside(w, this.lguestData[w.g] + irqOff, 4)) continue;
      const next = w.ev < this.m.events.count ? JSON.stringify(eventToJson(this.m.events.get(w.ev), this.m.events.strings)) : 'none';
      this.fail(`unexplained ${w.phase} write of ${w.len} bytes at ${hex(w.gpa)} in guest ${w.g} (next event: ${next})`);
    }
  }

  /** /dev/lguest writes (spec §3.1, §7.22-26). */
  protected onLhreq(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    if (g >= this.n) return;
    const deadBefore = this.exited[g] || (this.killedAt[g] >= 0 && this.killedQuantum[g] < this.quantum);
    if (ev.a === LHREQ_IRQ) {
      const want = deadBefore ? ENOENT_RET : ev.b >= LGUEST_IRQS ? EINVAL_RET : 0;
      if (ev.c !== want) this.fail(`LHREQ_IRQ ${ev.b} on guest ${g} returned ${ev.c | 0}, spec says ${want | 0} (§7.25)`);
      this.explain(batch, () => false, 'LHREQ_IRQ');
      const c = this.conIn;
      if (this.kind === 'step' && c && c.g === g && c.delivered && !c.irqSent) {
        // After filling the buffer: {IRQ, the binding's irq} (spec §4.1 input delivery).
        if (ev.b !== c.irq) this.fail(`guest ${g}'s Launcher triggered irq ${ev.b} after console input; the buffer's binding has irq ${c.irq} (spec §4.1)`);
        c.irqSent = true;
      }
      return;
    }
    if (ev.a !== LHREQ_GETDMA) return;
    const key = ev.b;
    let want = ENOENT_RET;
    let irq = -1;
    if (!deadBefore) {
      const fk = this.phys.keyOf(g, key);
      if (!fk) {
        if (this.m.host.guests[g]!.dead === null) this.fail(`GETDMA on bad key ${hex(key)} did not kill guest ${g} (spec §7.1)`);
      } else {
        // §2.5: this guest's most recent binding of the key; scan from 0; all used → the last entry.
        let mine: BindModel | null = null;
        for (const b of this.bind[g]) if (b && b.id === fk.id && (!mine || b.seq > mine.seq)) mine = b;
        if (mine && mine.num > 0) {
          const L = this.dma;
          let i = 0;
          for (; i < mine.num; i++) {
            const at = mine.dmas + i * L.size;
            const used = this.phys.addressOk(g, at, L.size) ? this.preU32(g, at + L.fields.used_len.offset, batch) : 0;
            if (used === 0) break;
          }
          const idx = i === mine.num ? mine.num - 1 : i;
          want = (mine.dmas + idx * L.size) >>> 0;
          irq = mine.irq;
        }
      }
    }
    if (ev.c !== want) this.fail(`LHREQ_GETDMA(${hex(key)}) on guest ${g} returned ${ev.c === ENOENT_RET ? '-ENOENT' : hex(ev.c)}; spec says ${want === ENOENT_RET ? '-ENOENT' : hex(want)} (§7.22-24)`);
    if (irq >= 0 && ev.c === want) {
      // The irq travels back in used_len (spec §3.1).
      if (this.phys.addressOk(g, want, 4) && this.phys.u32(g, want) !== irq) this.fail(`GETDMA did not store irq ${irq} in used_len at ${hex(want)}`);
      this.explain(batch, (w) => w.g === g && inside(w, want, 4), 'LHREQ_GETDMA');
    } else this.explain(batch, () => false, 'LHREQ_GETDMA');
    if (this.kind === 'step') this.onConsoleGetdma(ev, irq);
  }

  /** A GETDMA inside a quantum: the console input handler (no other device here asks), spec §3.3, §4.2. */
  protected onConsoleGetdma(ev: SimEvent, irq: number): void {
    const g = ev.guest;
    if (ev.b !== LGUEST_CONSOLE_DMA_KEY) this.fail(`guest ${g}'s Launcher asked GETDMA for key ${hex(ev.b)} in a quantum; only the console (key 0) asks here`);
    // read() runs pending hypercalls (step 1) and returns a pending send (step 2) before EAGAIN (step 4) lets the Launcher read input.
    const o = this.owed[g];
    if (o) this.fail(`guest ${g}'s Launcher handled console input while the Host still owed its trapped hypercall ${callText(o)} (spec §3.2: read() runs pending hypercalls before it returns EAGAIN)`);
    else if (this.pendingDma[g]) this.fail(`guest ${g}'s Launcher handled console input while its send ${JSON.stringify(this.pendingDma[g])} was pending (spec §3.2: read() returns the send before EAGAIN)`);
    if (this.ignored[g]) this.fail(`guest ${g}'s Launcher read the console after it ignored it (spec §4.2: the fd is dropped)`);
    if (this.tty[g] === 0) this.fail(`guest ${g}'s Launcher handled console input with nothing typed`);
    const udma = ev.c;
    const found = irq >= 0;
    this.conIn = { g, found, udma, irq, badPtr: found ? this.launcherBadPtr(g, udma, []) : null, warned: 'none', delivered: false, irqSent: false };
  }

  /** handle_output's end (spec §4.1): the watching device's used_len, or the warning and used_len untouched. */
  protected onLauncherOutput(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const o = this.out;
    this.out = null;
    this.pendingDma[g] = null;
    const ul = this.dma.fields.used_len.offset;
    const send = `{dma ${hex(ev.b)}, key ${hex(ev.a)}}`;
    if (!o || o.g !== g || o.key !== ev.a || o.dma !== ev.b) {
      this.fail(`guest ${g}'s Launcher handled the send ${send} without reading it first`);
      this.explain(batch, (w) => w.g === g && inside(w, ev.b + ul, 4), 'the Launcher output handler');
      return;
    }
    if (o.badPtr && !(o.dev < 0 && TOLERATE.has('unclaimed-send-ptr')))
      this.fail(`guest ${g}'s Launcher handled the send ${send} although its ${o.badPtr} is at or past top: dma2iov must make it exit ("Invalid address", spec §4.1, §7.39)`);
    const wantDev = o.dev < 0 ? 0xffffffff : o.dev;
    if (ev.d !== wantDev) this.fail(`guest ${g}'s send ${send} went to device ${ev.d | 0}; the device watching that key is ${o.dev} (spec §4.1)`);
    if (o.dev < 0) {
      if (!o.warned) this.fail(`no device of guest ${g} watches key ${hex(ev.a)}, yet its Launcher did not warn "Pending dma %p, key %p" (spec §4.1)`);
      if (ev.c !== 0) this.fail(`guest ${g}'s unhandled send ${send} reports used_len ${ev.c}; it stays untouched (spec §4.1)`);
      this.explain(batch, () => false, 'the unhandled Launcher send (used_len stays untouched)');
      return;
    }
    // The console writes every section to stdout: used_len = their total (§4.2).
    const total = sectionTotal(this.preDma(g, ev.b, batch));
    if (ev.c !== total) this.fail(`console output ${send} of guest ${g}: used_len ${ev.c}, but its sections hold ${total} bytes (spec §4.2)`);
    this.explain(batch, (w) => w.g === g && inside(w, ev.b + ul, 4), 'the Launcher output handler');
    if (this.phys.u32(g, ev.b + ul) !== ev.c) this.fail(`Launcher output: used_len at ${hex(ev.b)} is ${this.phys.u32(g, ev.b + ul)}, event says ${ev.c}`);
  }

  /** warnx() of the Launcher: only where spec §4.1 and §4.2 say, worded as they say. */
  protected onLauncherWarn(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const msg = this.m.events.strings[ev.a] ?? '';
    this.explain(batch, () => false, 'a Launcher warning');
    if (g >= this.n) {
      this.fail(`Launcher warning ${JSON.stringify(msg)} for no guest`);
      return;
    }
    const c = this.conIn && this.conIn.g === g ? this.conIn : null;
    if (msg.startsWith('Pending dma ')) {
      const o = this.out;
      if (!o || o.g !== g || o.warned) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} while handling no unclaimed send`);
      else if (o.dev >= 0) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} although device ${o.dev} watches key ${hex(o.key)} (spec §4.1)`);
      else if (o.badPtr) {
        if (!TOLERATE.has('unclaimed-send-ptr'))
          this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} for a send whose ${o.badPtr} is at or past top: handle_output runs dma2iov's pointer check before looking for a device, so it must exit ("Invalid address", spec §4.1, §7.39)`);
        o.warned = true;
      } else {
        const want = `Pending dma ${userPtr(o.dma)}, key ${userPtr(o.key)}`;
        if (msg !== want && msg !== `Pending dma ${kernelPtr(o.dma)}, key ${kernelPtr(o.key)}`) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)}; spec §4.1 says ${JSON.stringify(want)}`);
        o.warned = true;
        this.cover.pendingDmaWarns++;
      }
    } else if (msg === 'console: no dma buffer!') {
      if (!c || c.found || c.warned !== 'none') this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)}, but its GETDMA of the console buffer did not fail just before`);
      else c.warned = 'nobuf';
      this.cover.noBufferWarns++;
      // readv into the 1024-byte discard buffer (§4.1): that much of the typed input is gone.
      this.tty[g] -= Math.min(1024, this.tty[g]);
    } else if (msg === 'Failed to get console input, ignoring console.') {
      if (!c || !c.found || c.warned !== 'none') this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} without reading into a console buffer`);
      else {
        const room = sectionTotal(this.preDma(g, c.udma, batch));
        if (room !== 0) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} although console buffer ${hex(c.udma)} has room for ${room} bytes and ${this.tty[g]} are typed`);
        c.warned = 'failed';
      }
      // The fd is dropped: nothing typed is read any more (§4.2).
      this.cover.consolesIgnored++;
      this.ignored[g] = true;
      this.tty[g] = 0;
    } else this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)}, which spec §4 never prints`);
  }

  /** handle_console_input's delivery (spec §4.2): min(room, typed) bytes, or 0 after "Failed to get console input". */
  protected onConsoleInput(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const udma = ev.b;
    const s = this.preDma(g, udma, batch);
    const iov: [number, number][] = [[udma, 4]];
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) iov.push([s.addr[i], s.len[i]]);
    this.explain(batch, (w) => w.g === g && iov.some(([lo, n]) => inside(w, lo, n)), 'console input');
    if (this.phys.u32(g, udma) !== ev.a) this.fail(`console input: used_len at ${hex(udma)} is ${this.phys.u32(g, udma)}, event says ${ev.a}`);
    const c = this.conIn;
    if (!c || c.g !== g || !c.found || c.udma !== udma || c.delivered) {
      this.fail(`console input into ${hex(udma)} of guest ${g} without a GETDMA of that buffer just before (spec §4.2)`);
      return;
    }
    c.delivered = true;
    this.cover.consoleInputs++;
    if (c.badPtr) this.fail(`console input into buffer ${hex(udma)} of guest ${g}, whose ${c.badPtr} is at or past top: the Launcher must exit ("Invalid address", spec §4.1)`);
    const room = sectionTotal(s);
    if (room === 0) {
      if (c.warned !== 'failed')
        this.fail(`console buffer ${hex(udma)} of guest ${g} has no room, so readv reads 0: the Launcher must warn "Failed to get console input, ignoring console." and drop the console (spec §4.2)`);
      if (ev.a !== 0) this.fail(`console input of ${ev.a} bytes into a buffer with no room`);
      return;
    }
    const want = Math.min(room, this.tty[g]);
    if (ev.a !== want) this.fail(`console input of ${ev.a} bytes into guest ${g}'s buffer ${hex(udma)}; min(room ${room}, typed ${this.tty[g]}) is ${want} (spec §4.2: readv straight into it)`);
    this.tty[g] -= Math.min(ev.a, this.tty[g]);
  }
}
