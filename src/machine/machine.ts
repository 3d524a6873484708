/**
 * The Machine: one Host, one Launcher and one guest program per scenario
 * guest, one virtual clock, one event log (DESIGN.md data flow).
 *
 * Scheduling is deterministic: the current guest keeps running until it
 * blocks (halts, yields, finishes, dies or waits on its Launcher), then the
 * next runnable guest in index order runs. A *quantum* is one unit of work:
 * one guest entry up to its next trap and the Host's handling of it, or one
 * pass of a Launcher (an output handler, or the console input path). The
 * clock advances by one tick per quantum plus one per 64 bytes the DMA
 * engine copied, and never while everything is idle (issue #3).
 *
 * Inputs are stamped with the event index at which they reach the terminal,
 * which is what makes a recording replay bit-identically.
 */
import { LGUEST_DEVICE_DESC } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';
import type { Arch } from '../abi/ctypes.ts';
import { LGUEST_MAX_DEVICES, PAGE_SIZE } from '../abi/constants.ts';
import { EventKind } from '../hw/events.ts';
import { EventLog } from '../hw/event-log.ts';
import { defaultAllocator, SharedObject, type Allocator } from '../hw/shared-object.ts';
import { Host } from '../host/host.ts';
import { quantumTicks, type Clock } from '../hw/clock.ts';
import { resumeHypercall } from '../host/hypercalls.ts';
import { runGuest } from '../host/run-guest.ts';
import { deliverableIrqs } from '../host/interrupts.ts';
import { Launcher, type DeviceConfig } from '../launcher/launcher.ts';
import { LauncherExit } from '../launcher/devices/iovec.ts';
import { Network } from '../launcher/devices/net.ts';
import { BlockDevice } from '../launcher/devices/block.ts';
import type { GuestCpu, GuestProgram } from '../hw/cpu.ts';
import { createProgram } from './programs.ts';
import { DEFAULT_DISK_BYTES, DEFAULT_GUEST_MEMORY } from '../scenario/sizes.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { diskImage } from '../scenario/disk-image.ts';
import { asTick } from '../base/units.ts';
import type { MachineState } from './state.ts';
import { MemoryHash, type HashRegion } from '../hw/memory-hash.ts';

const DESC = layoutOf(LGUEST_DEVICE_DESC, 'i386');

export type { MachineState } from './state.ts';

/** A console input with the event index at which it reached the terminal. */
export interface StampedInput {
  /** Event count at which it reached the terminal; -1 for an idle input that has not landed yet. */
  at: number;
  readonly guest: number;
  readonly text: string;
  /**
   * Typed while every guest was idle: it lands at the next idle point, which
   * pins `at` by determinism. Recordings keep such inputs without a stamp,
   * which is what makes a typed session compress to a short link.
   */
  readonly idle: boolean;
}

export interface MachineOptions {
  readonly alloc?: Allocator;
}

/** What one guest is, as the scheduler sees it. */
export type GuestRunState = 'running' | 'halted' | 'launcher' | 'done' | 'dead';

/** Process ids: the Launcher of guest i is 1000+i, its Waker 2000+i (spec §3.3). */
const launcherPid = (i: number): number => 1000 + i;
export const wakerPid = (i: number): number => 2000 + i;

class Cpu implements GuestCpu {
  constructor(
    private readonly m: Machine,
    private readonly i: number,
  ) {}
  get mem() {
    return this.m.launchers[this.i].memory;
  }
  get eax() {
    return this.m.host.guests[this.i]!.eax;
  }
  get guestIndex() {
    return this.i;
  }
  get ramBytes() {
    return this.m.launchers[this.i].memory.ramBytes;
  }
}

export class Machine {
  readonly events: EventLog;
  readonly clock: Clock = { now: asTick(0) };
  readonly host: Host;
  readonly launchers: Launcher[] = [];
  readonly programs: GuestProgram[] = [];
  readonly networks = new Map<string, Network>();
  readonly sharedObjects: SharedObject[] = [];
  /**
   * Every input of this timeline in the order it lands: the recording's input
   * half. Entries from `inputsApplied` on are still to come (a replay, a
   * scenario's inputs, or input queued by the UI before the next quantum).
   */
  readonly inputLog: StampedInput[] = [];
  inputsApplied = 0;
  /** A time-travel stop left the machine in the middle of a quantum: restore before running it. */
  suspended = false;
  /** Programs that returned 'done'. */
  private readonly finished: boolean[] = [];
  private readonly cpus: Cpu[] = [];
  /** Last seen status word per descriptor, to emit STATUS events for the guest's writes. */
  private readonly statusSeen: Uint16Array[] = [];
  current = 0;
  quanta = 0;
  readonly alloc: Allocator;

  constructor(
    readonly scenario: Scenario,
    opts: MachineOptions = {},
  ) {
    const alloc = opts.alloc ?? defaultAllocator;
    this.alloc = alloc;
    this.events = new EventLog(alloc);
    this.host = new Host(scenario.arch as Arch, this.events, this.clock);
    // Shared regions: one object each, mapped into the named guests (issue #3 `shared`).
    const mapsByGuest = new Map<number, { object: SharedObject; gpa: number }[]>();
    for (const r of scenario.shared ?? []) {
      const obj = new SharedObject(this.sharedObjects.length, `shared${this.sharedObjects.length}`, r.pages, alloc);
      this.sharedObjects.push(obj);
      for (const m of r.map) {
        const list = mapsByGuest.get(m.guest) ?? [];
        list.push({ object: obj, gpa: m.gpa });
        mapsByGuest.set(m.guest, list);
      }
    }
    scenario.guests.forEach((spec, i) => {
      const devices: DeviceConfig[] = (spec.devices ?? []).map((d) => {
        if (d.type === 'block') return { type: 'block', disk: diskImage(d.size ?? DEFAULT_DISK_BYTES, d.sectors, d.image) };
        const name = d.network ?? 'lan';
        let net = this.networks.get(name);
        if (!net) {
          net = new Network(this.sharedObjects.length, name, alloc);
          this.sharedObjects.push(net.object);
          this.networks.set(name, net);
        }
        return { type: 'net', network: net };
      });
      const launcher = new Launcher(this.host, launcherPid(i), { ramBytes: spec.memory ?? DEFAULT_GUEST_MEMORY, devices, shared: mapsByGuest.get(i) ?? [] }, alloc);
      this.launchers.push(launcher);
      this.programs.push(createProgram(spec, scenario.arch as Arch));
      this.finished.push(false);
      this.cpus.push(new Cpu(this, i));
      this.statusSeen.push(this.readStatuses(i));
    });
    for (const x of scenario.inputs ?? []) this.inputLog.push({ at: x.at ?? -1, guest: x.guest, text: x.text, idle: x.at === undefined });
  }

  get guestCount(): number {
    return this.launchers.length;
  }

  private readStatuses(i: number): Uint16Array {
    const L = this.launchers[i];
    const out = new Uint16Array(LGUEST_MAX_DEVICES);
    for (let d = 0; d < LGUEST_MAX_DEVICES; d++) out[d] = L.memory.u16(L.descPage + d * DESC.size + DESC.fields.status.offset);
    return out;
  }

  /** The guest changed status words: report each as a STATUS event (spec §5.1 handshake). */
  private noticeStatus(i: number): void {
    const now = this.readStatuses(i);
    const seen = this.statusSeen[i];
    for (let d = 0; d < LGUEST_MAX_DEVICES; d++) {
      if (now[d] !== seen[d]) {
        this.host.emit(EventKind.STATUS, i, d, seen[d], now[d]);
        seen[d] = now[d];
      }
    }
  }

  /** The Launcher reads the terminal again only once the guest has taken the previous console irq. */
  private consoleInputReady(i: number): boolean {
    const L = this.launchers[i];
    if (L.tty.length === 0) return false;
    const g = this.host.guests[i]!;
    // A Waker blocked in BREAK on watches nothing until the Launcher's BREAK off (§7.27).
    if (g.breakOut) return false;
    const irq = L.console.index + 1;
    return (g.pendingIrqs & (1 << irq)) === 0;
  }

  runState(i: number): GuestRunState {
    const L = this.launchers[i];
    const g = this.host.guests[i]!;
    if (L.exitMessage !== null) return 'dead';
    if (g.dead !== null || g.pendingDma !== null || g.breakOut || this.consoleInputReady(i)) return 'launcher';
    if (g.pendingHcall !== null) return 'running';
    if (this.finished[i]) return 'done';
    if (g.halted) return deliverableIrqs(this.host, g) !== 0 ? 'running' : 'halted';
    return 'running';
  }

  private runnable(i: number): boolean {
    const s = this.runState(i);
    return s === 'running' || s === 'launcher';
  }

  isIdle(): boolean {
    for (let i = 0; i < this.launchers.length; i++) if (this.runnable(i)) return false;
    return true;
  }

  /**
   * Apply inputs whose turn has come, in order: a stamped input when the event
   * count reaches its stamp, an idle input when every guest is idle. An idle
   * machine cannot reach a later stamp, so such an input lands now (a
   * scenario may name any event index).
   */
  private applyDueInputs(): void {
    const log = this.inputLog;
    while (this.inputsApplied < log.length) {
      const inp = log[this.inputsApplied];
      const due = inp.idle ? this.isIdle() : inp.at <= this.events.count || this.isIdle();
      if (!due) break;
      inp.at = this.events.count;
      this.inputsApplied++;
      const L = this.launchers[inp.guest];
      if (L && L.exitMessage === null) L.typeInput(new TextEncoder().encode(inp.text));
      // One idle input per idle point: the next waits until this one's work settles.
      if (inp.idle) break;
    }
  }

  /** Inputs not yet landed. */
  get inputsPending(): number {
    return this.inputLog.length - this.inputsApplied;
  }

  /** Drop inputs that have not landed (the timeline forks at this point). */
  dropPendingInputs(): void {
    this.inputLog.length = this.inputsApplied;
  }

  /** Run one quantum. Returns false when every guest is idle and no input is due (nothing ran). */
  step(): boolean {
    if (this.suspended) throw new Error('machine is suspended mid-quantum by a time-travel stop: restore a checkpoint first');
    this.applyDueInputs();
    const n = this.launchers.length;
    for (let k = 0; k < n; k++) {
      const i = (this.current + k) % n;
      if (!this.runnable(i)) continue;
      this.current = i;
      const before = this.host.bytesCopied;
      const outcome = this.quantum(i);
      this.quanta++;
      this.clock.now = asTick(this.clock.now + quantumTicks(this.host.bytesCopied - before));
      if (outcome === 'yield') this.current = (i + 1) % n;
      return true;
    }
    return false;
  }

  /** Run until idle or `maxQuanta`; returns quanta run. */
  runUntilIdle(maxQuanta = 5_000_000): number {
    let q = 0;
    while (q < maxQuanta && this.step()) q++;
    return q;
  }

  private quantum(i: number): 'ran' | 'yield' {
    const L = this.launchers[i];
    const g = this.host.guests[i]!;
    try {
      const r = L.dev.poll();
      if (r?.kind === 'dead') {
        // read() gave ENOENT, then the reason: the Launcher prints it and exits (spec §3.3).
        L.exit(r.reason);
        return 'ran';
      }
      if (r?.kind === 'dma') {
        this.host.emit(EventKind.LAUNCHER_READ, i, r.key, r.dma);
        L.handleOutput(r.dma, r.key);
        L.dev.completeDma();
        return 'ran';
      }
      if (r?.kind === 'again') {
        // EAGAIN: the Waker is blocked in its BREAK on; the Launcher polls its inputs and releases it.
        L.serviceBreak();
        return 'ran';
      }
      if (g.pendingHcall !== null) {
        // read() again after the Launcher's output: the trapped call runs now (spec §3.2 step 1).
        const eax = resumeHypercall(this.host, g);
        if (eax !== null) g.eax = eax;
        return 'ran';
      }
      if (this.consoleInputReady(i)) {
        L.wakerBreak(wakerPid(i));
        return 'ran';
      }
      const ran = runGuest(this.host, g, this.programs[i], this.cpus[i], () => this.noticeStatus(i));
      if (ran !== 'done') return ran;
      this.finished[i] = true;
      return 'yield';
    } catch (e) {
      if (e instanceof LauncherExit) {
        L.exit(e.message);
        return 'ran';
      }
      throw e;
    }
  }

  /**
   * Console input for guest `guest`, landing at the start of the next
   * quantum: typed while every guest is idle it is an idle input, else it is
   * stamped with the current event count.
   */
  typeInput(guest: number, text: string): void {
    if (guest < 0 || guest >= this.launchers.length || text.length === 0) return;
    const idle = this.isIdle() && this.inputsPending === 0;
    this.inputLog.push({ at: idle ? -1 : this.events.count, guest, text, idle });
  }

  /** Console output of a guest so far. */
  consoleText(guest: number): string {
    return this.launchers[guest].stdoutText();
  }

  /** Digest of all guest memory (private blocks in guest order, then shared objects). */
  hash(): string {
    // Kept up to date over the pages written since the last call: src/hw/memory-hash.ts.
    return (this.memoryHash ??= new MemoryHash(this.hashRegions())).hex();
  }

  /** The regions hash() covers, in its order (fullHash(regions) is the definition). */
  hashRegions(): HashRegion[] {
    return [...this.launchers.map((L) => L.memory), ...this.sharedObjects];
  }
  private memoryHash: MemoryHash | null = null;

  /**
   * Everything but memory pages and disks, as plain data (checkpoints.ts
   * keeps memory and disks). Taken only at quantum boundaries.
   */
  captureState(): MachineState {
    return {
      count: this.events.count,
      clock: this.clock.now,
      quanta: this.quanta,
      current: this.current,
      inputsApplied: this.inputsApplied,
      inputStamps: this.inputLog.map((x) => x.at),
      finished: [...this.finished],
      statusSeen: this.statusSeen.map((x) => x.slice()),
      // Each part saves itself: a new field is one edit, in the class that owns it.
      host: this.host.save(this.launchers.length),
      launchers: this.launchers.map((L) => L.save()),
      programs: this.programs.map((p) => p.save()),
      networks: [...this.networks.values()].map((n) => n.save()),
    };
  }

  restoreState(st: MachineState): void {
    this.events.setCount(st.count);
    this.clock.now = asTick(st.clock);
    this.quanta = st.quanta;
    this.current = st.current;
    this.inputsApplied = st.inputsApplied;
    // Inputs that had not landed at the checkpoint get their idle/unknown stamps back.
    this.inputLog.forEach((x, i) => {
      if (i >= st.inputsApplied && x.idle) x.at = -1;
      else if (i < st.inputStamps.length) x.at = st.inputStamps[i];
    });
    st.finished.forEach((f, i) => (this.finished[i] = f));
    st.statusSeen.forEach((x, i) => this.statusSeen[i].set(x));
    this.host.restore(st.host);
    st.launchers.forEach((ls, i) => this.launchers[i].restore(ls));
    // Only the Machine's Waker writes BREAK on, so a set break_out means it is the one blocked.
    this.launchers.forEach((L, i) => {
      const waiters = L.dev.breakWaiters;
      waiters.clear();
      if (this.host.guests[i]!.breakOut) waiters.add(wakerPid(i));
    });
    st.programs.forEach((ps, i) => this.programs[i].load(ps));
    [...this.networks.values()].forEach((n, i) => n.restore(st.networks[i]));
    this.events.stopAfter = -1;
    this.suspended = false;
  }

  /** Every block device, guest by guest (their disks are checkpointed). */
  blockDevices(): BlockDevice[] {
    const out: BlockDevice[] = [];
    for (const L of this.launchers) for (const d of L.devices) if (d instanceof BlockDevice) out.push(d);
    return out;
  }

  /** Guest-physical pages of a guest (for the UI). */
  pages(guest: number): number {
    return this.launchers[guest].memory.top / PAGE_SIZE;
  }
}
