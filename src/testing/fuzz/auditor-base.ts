/** The auditor, part 1: its state, the hooks into the Machine (events, memory writes, script steps) and quantum bookkeeping. */
import { Buffer } from 'node:buffer';
import { LGUEST_MAX_DMA, LHCALL_CRASH, LHCALL_LGUEST_INIT } from '../../abi/constants.ts';
import { layoutOf, type StructLayout } from '../../abi/layout.ts';
import { LGUEST_DATA, LGUEST_DMA } from '../../abi/structs.ts';
import type { SimEvent } from '../../hw/events.ts';
import type { EventLog } from '../../hw/event-log.ts';
import { Machine } from '../../machine/machine.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { OOPS_MESSAGE_GPA, ScriptGuest } from '../../guest/script-guest.ts';
import { hcall } from '../../guest/script-builders.ts';
import type { Trap } from '../../hw/cpu.ts';
import { STRICT_RING, newCover, type Cover, cover } from './budget.ts';
import { hex, callText, type Phase, type WriteRec, type BindModel, type TrapCall, type HcallSession, type OutputModel, type ConsoleInModel, PhysMap, le32, inside } from './phys-map.ts';

export abstract class AuditorBase {
  readonly violations: string[] = [];
  protected readonly phys: PhysMap;
  protected readonly n: number;
  protected readonly dma: StructLayout;
  protected readonly data: StructLayout;
  protected readonly backings: Uint8Array[];
  protected readonly snaps: Uint8Array[];
  protected readonly marks: Uint8Array[];
  protected readonly bufs: { cur: Buffer; snap: Buffer }[];
  // Per-quantum state
  quantum = 0;
  protected kind: 'step' | 'ext' = 'step';
  protected writes: WriteRec[] = [];
  protected seq = 0;
  protected phase: Phase = 'host';
  protected ranGuest = -1;
  protected runStartSeq = Number.POSITIVE_INFINITY;
  protected callEvents: SimEvent[] = [];
  protected callWriteStart = 0;
  protected expectIrq: { g: number; irq: number; after: string } | null = null;
  /** Per guest: the do_hypercalls() running in this quantum. */
  protected session: (HcallSession | null)[];
  /** Per guest: the ring slot just run, whose hcall_status byte the Host now sets to 0xFF (-1: none). */
  protected lastEntry: number[];
  /** Per guest: a ring slot whose status must read 0xFF before the next call / at the end of the quantum. */
  protected statusDue: number[];
  protected out: OutputModel | null = null;
  protected conIn: ConsoleInModel | null = null;
  // The spec model
  /** Per guest: the trapped direct hypercall the Host has not run yet (lg->regs->trapnum still set). */
  protected readonly owed: (TrapCall | null)[];
  /** Per guest: lg->next_hcall, the Host's ring cursor. */
  protected readonly cursor: number[];
  /** Per guest: the console's descriptor index (the last one: number of command-line devices, §4.2). */
  protected readonly consoleIndex: number[];
  /** Per guest: bytes typed and not yet read by the Launcher; the console is ignored. */
  protected readonly tty: number[];
  protected readonly ignored: boolean[];
  protected readonly initialized: boolean[];
  protected readonly lguestData: number[];
  protected readonly bind: (BindModel | null)[][];
  protected bindSeq = 0;
  protected readonly pending: number[];
  protected readonly killedAt: number[];
  protected readonly killedQuantum: number[];
  protected readonly afterKill: number[];
  protected readonly exited: boolean[];
  protected readonly pendingDma: ({ dma: number; key: number } | null)[];
  dmas = 0;
  kills = 0;
  readonly cover: Cover = newCover();

  protected abstract endSessions(): void;
  protected abstract endLauncher(): void;
  protected abstract checkLeftoverWrites(): void;
  protected abstract checkDiff(): void;
  protected abstract checkHostState(): void;
  protected abstract onEvent(idx: number): void;

  constructor(
    protected readonly m: Machine,
    sc: Scenario,
  ) {
    this.phys = new PhysMap(m, sc);
    this.n = m.launchers.length;
    this.dma = layoutOf(LGUEST_DMA, m.host.arch);
    this.data = layoutOf(LGUEST_DATA, m.host.arch);
    const n = this.n;
    const fill = <T>(v: () => T): T[] => Array.from({ length: n }, v);
    this.session = fill(() => null);
    this.lastEntry = fill(() => -1);
    this.statusDue = fill(() => -1);
    this.owed = fill(() => null);
    this.cursor = fill(() => 0);
    this.consoleIndex = sc.guests.map((x) => (x.devices ?? []).length);
    if (sc.guests.some((x) => (x.devices ?? []).length > 0)) throw new Error('harness: the Launcher model knows only the console (no command-line devices)');
    this.tty = fill(() => 0);
    this.ignored = fill(() => false);
    this.initialized = fill(() => false);
    this.lguestData = fill(() => 0);
    this.bind = fill(() => new Array<BindModel | null>(LGUEST_MAX_DMA).fill(null));
    this.pending = fill(() => 0);
    this.killedAt = fill(() => -1);
    this.killedQuantum = fill(() => -1);
    this.afterKill = fill(() => 0);
    this.exited = fill(() => false);
    this.pendingDma = fill(() => null);
    this.backings = this.phys.backings();
    this.snaps = this.backings.map((b) => b.slice());
    this.marks = this.backings.map((b) => new Uint8Array(b.length));
    this.bufs = this.backings.map((b, i) => ({ cur: Buffer.from(b.buffer, b.byteOffset, b.byteLength), snap: Buffer.from(this.snaps[i].buffer) }));
    // The guests were created before we looked: nothing of theirs is bound or pending yet.
    for (let g = 0; g < n; g++) {
      const hg = m.host.guests[g];
      if (!hg || hg.index !== g) throw new Error(`harness: guest ${g} is not Host slot ${g}`);
      this.hookMemory(g, m.launchers[g].memory);
      this.hookProgram(g);
    }
    this.hookEvents(m.events);
  }

  protected fail(msg: string): void {
    if (this.violations.length < 6) this.violations.push(`quantum ${this.quantum} (${this.kind}): ${msg}`);
  }

  protected hookEvents(log: EventLog): void {
    const push = log.push.bind(log);
    log.push = (...args: Parameters<EventLog['push']>): void => {
      push(...args);
      try {
        this.onEvent(log.count - 1);
      } catch (e) {
        this.fail(`auditor error at event ${log.count - 1}: ${(e as Error).stack ?? String(e)}`);
      }
    };
  }

  /** Log every write through the guest-memory accessors (outermost call only) with the bytes it replaces. */
  protected hookMemory(g: number, mem: GuestMemory): void {
    let depth = 0;
    const ok = (gpa: number, len: number): boolean => len > 0 && gpa >= 0 && gpa + len <= mem.top;
    const wrap =
      <A extends unknown[]>(f: (...a: A) => void, range: (...a: A) => number): ((...a: A) => void) =>
      (...a: A): void => {
        if (depth === 0) {
          const len = range(...a);
          if (len > 0) this.onWrite(g, a[0] as number, len);
        }
        depth++;
        try {
          f(...a);
        } finally {
          depth--;
        }
      };
    mem.setU8 = wrap<[number, number]>(mem.setU8.bind(mem), (gpa: number) => (ok(gpa, 1) ? 1 : 0));
    mem.setU16 = wrap<[number, number]>(mem.setU16.bind(mem), (gpa: number) => (ok(gpa, 2) ? 2 : 0));
    mem.setU32 = wrap<[number, number]>(mem.setU32.bind(mem), (gpa: number) => (ok(gpa, 4) ? 4 : 0));
    // The one-section send's used_len writes (src/host/dma-engine.ts transferTo).
    mem.setPrivateU32 = wrap<[number, number]>(mem.setPrivateU32.bind(mem), (gpa: number) => (ok(gpa, 4) ? 4 : 0));
    mem.write = wrap<[number, Uint8Array]>(mem.write.bind(mem), (gpa: number, src: Uint8Array) => (ok(gpa, src.length) ? src.length : 0));
    const copyLen = (dst: number, src: GuestMemory, srcGpa: number, len: number): number => (ok(dst, len) && srcGpa >= 0 && srcGpa + len <= src.top ? len : 0);
    mem.copyFrom = wrap<[number, GuestMemory, number, number]>(mem.copyFrom.bind(mem), copyLen);
    // The DMA engine's per-page copy. A write path not hooked here still cannot hide: checkDiff flags its bytes.
    mem.copyInPage = wrap<[number, GuestMemory, number, number]>(mem.copyInPage.bind(mem), copyLen);
    mem.copyCheckedPiece = wrap<[number, GuestMemory, number, number]>(mem.copyCheckedPiece.bind(mem), copyLen);
    // copy_data's runs of contiguous private pieces (several pages at once).
    mem.copyRun = wrap<[number, GuestMemory, number, number]>(mem.copyRun.bind(mem), copyLen);
  }

  protected hookProgram(g: number): void {
    const prog = this.m.programs[g];
    if (!(prog instanceof ScriptGuest)) throw new Error(`harness: guest ${g} is not a scripted guest`);
    const run = prog.run.bind(prog);
    prog.run = (cpu, irq): Trap => {
      const hg = this.m.host.guests[g]!;
      // A killed guest never runs again (spec §2.1); a Launcher-bound send is synchronous (§7.40).
      if (hg.dead !== null || this.killedAt[g] >= 0 || this.exited[g]) this.fail(`guest ${g} ran after it was killed (${JSON.stringify(hg.dead)})`);
      if (hg.pendingDma !== null) this.fail(`guest ${g} ran while its SEND_DMA to the Launcher was pending (spec §7.40)`);
      if (this.kind !== 'step' || (this.ranGuest >= 0 && this.ranGuest !== g)) this.fail(`guest ${g} ran outside its own quantum`);
      const owed = this.owed[g];
      if (owed) {
        this.owed[g] = null;
        this.fail(
          `guest ${g}'s code ran while its trapped hypercall ${callText(owed)} was still owed: an async SEND_DMA to the Launcher stopped the Host first, ` +
            `and the guest is running again without it (spec §3.2 read loop step 1 runs pending hypercalls, the rest of the async ring then the direct one, after the Launcher's next read())`,
        );
      }
      if (this.session[g]) this.fail(`guest ${g}'s code ran in the middle of the Host's handling of its hypercall ${callText(this.session[g]!.trap)}`);
      if (STRICT_RING && this.initialized[g]) {
        const st = this.phys.read(g, this.lguestData[g] + this.data.fields.hcall_status.offset + this.cursor[g], 1)[0];
        if (st !== 0xff) this.fail(`guest ${g} was entered with async ring slot ${this.cursor[g]} still queued (spec §3.2 step 1: every read() loop runs the ring before running the guest)`);
      }
      // Interrupt entry (spec §6) may have written irq_enabled before the code runs: 0x200 when it
      // un-halts the guest (even with no interrupt delivered, e.g. its IDT entry is not present), 0 for an interrupt gate.
      const irqEnabled = this.lguestData[g] + this.data.fields.irq_enabled.offset;
      for (const w of this.writes) {
        if (w.phase !== 'host' || w.explained || w.g !== g || !inside(w, irqEnabled, 4)) continue;
        const v = this.phys.u32(g, irqEnabled);
        if (v === 0x200 || v === 0) w.explained = true;
        else this.fail(`the Host wrote irq_enabled = ${hex(v)} into guest ${g} before entering it (spec §6: 0x200 to un-halt, 0 for an interrupt gate)`);
      }
      this.ranGuest = g;
      this.runStartSeq = this.seq;
      const pcBefore = prog.pc;
      this.phase = 'script';
      let trap: Trap;
      try {
        trap = run(cpu, irq);
      } finally {
        this.phase = 'host';
      }
      this.checkScriptWrites(g, prog, pcBefore, trap);
      if (trap.kind === 'hcall') {
        // do_hypercalls() starts now: initialize() for the first call, else the ring, then the direct call.
        const t = { call: trap.call >>> 0, a1: trap.a1 >>> 0, a2: trap.a2 >>> 0, a3: trap.a3 >>> 0 };
        const init = !this.initialized[g];
        if (!init) this.owed[g] = t;
        this.session[g] = { trap: t, init, iter: 0, from: this.writes.length, broken: false, resumed: false };
      }
      return trap;
    };
  }

  protected onWrite(g: number, gpa: number, len: number): void {
    const segs = this.phys.segs(g, gpa, len);
    const host = this.phase === 'host';
    // The one status byte the Host may set now: that of the ring slot it just ran.
    const statusAt = this.lguestData[g] + this.data.fields.hcall_status.offset + this.lastEntry[g];
    this.writes.push({
      g,
      gpa,
      len,
      ev: this.m.events.count,
      seq: this.seq++,
      phase: this.phase,
      segs,
      before: host ? segs.map((s) => s.arr.slice(s.off, s.off + s.len)) : null,
      status: host && len === 1 && this.lastEntry[g] >= 0 && gpa === statusAt,
      explained: false,
    });
  }

  /** Script-phase writes: only the executed `write` steps, and the runtime's lguest_data/oops bytes. */
  protected checkScriptWrites(g: number, prog: ScriptGuest, pcBefore: number, trap: Trap): void {
    const F = this.data.fields;
    const allowed: [number, number][] = [[F.irq_enabled.offset, 4]];
    if (trap.kind === 'hcall' && trap.call === LHCALL_LGUEST_INIT && pcBefore === 0) allowed.push([F.blocked_interrupts.offset, F.blocked_interrupts.size], [F.hcall_status.offset, 64]);
    if (trap.kind === 'hcall' && trap.call === LHCALL_CRASH && trap.a1 === OOPS_MESSAGE_GPA) allowed.push([OOPS_MESSAGE_GPA, 128]);
    const last = Math.min(prog.pc, prog.steps.length - 1);
    for (let k = pcBefore; k <= last; k++) {
      const s = prog.steps[k];
      if (s.op !== 'write') continue;
      const len = s.u32 ? 4 * s.u32.length : s.u16 ? 2 * s.u16.length : s.u8 ? s.u8.length : new TextEncoder().encode(s.text ?? '').length;
      allowed.push([s.addr, len]);
    }
    for (let k = this.writes.length - 1; k >= 0 && this.writes[k].seq >= this.runStartSeq; k--) {
      const w = this.writes[k];
      if (w.phase !== 'script') continue;
      if (w.g === g && allowed.some(([lo, n]) => inside(w, lo, n))) w.explained = true;
      else this.fail(`guest ${g}'s own code wrote ${w.len} bytes at ${hex(w.gpa)} of guest ${w.g}, which no executed script step names`);
    }
  }

  begin(kind: 'step' | 'ext'): void {
    this.kind = kind;
    this.writes = [];
    this.ranGuest = -1;
    this.runStartSeq = Number.POSITIVE_INFINITY;
    this.callEvents = [];
    this.callWriteStart = 0;
    this.lastEntry.fill(-1);
    this.out = null;
    this.conIn = null;
  }

  end(): void {
    if (this.expectIrq) this.fail(`${this.expectIrq.after} for guest ${this.expectIrq.g} was not followed by its IRQ_RAISE (irq ${this.expectIrq.irq}; spec §2.4 step 4, §7.13)`);
    this.expectIrq = null;
    this.checkLeftoverWrites();
    this.checkDiff();
    this.endSessions();
    this.endLauncher();
    this.checkHostState();
    this.quantum++;
  }

  /** Host writes made since the previous event: the batch event `idx` must explain. */
  protected batch(idx: number): WriteRec[] {
    let k = this.writes.length;
    while (k > 0 && this.writes[k - 1].ev === idx) k--;
    return this.writes.slice(k).filter((w) => w.phase === 'host');
  }

  /** Bytes as they were before the batch's writes (status bytes aside): what the operation read. */
  protected pre(g: number, gpa: number, len: number, batch: readonly WriteRec[]): Uint8Array {
    const out = new Uint8Array(len);
    let o = 0;
    for (const s of this.phys.segs(g, gpa, len)) {
      out.set(s.arr.subarray(s.off, s.off + s.len), o);
      for (let k = batch.length - 1; k >= 0; k--) {
        const w = batch[k];
        if (w.status || !w.before) continue;
        w.segs.forEach((ws, j) => {
          if (ws.arr !== s.arr) return;
          const lo = Math.max(ws.off, s.off);
          const hi = Math.min(ws.off + ws.len, s.off + s.len);
          if (lo < hi) out.set(w.before![j].subarray(lo - ws.off, hi - ws.off), o + lo - s.off);
        });
      }
      o += s.len;
    }
    return out;
  }

  protected preU32(g: number, gpa: number, batch: readonly WriteRec[]): number {
    return le32(this.pre(g, gpa, 4, batch), 0);
  }

  protected explain(batch: readonly WriteRec[], ok: (w: WriteRec) => boolean, what: string): void {
    for (const w of batch) {
      if (w.explained || w.status) continue;
      if (ok(w)) w.explained = true;
      else this.fail(`${what} wrote ${w.len} bytes at ${hex(w.gpa)} in guest ${w.g}, outside what it may touch`);
    }
  }
}
