/**
 * The Launcher (Documentation/lguest/lguest.c v2.6.23; spec §1.4, §3.3, §4):
 * it maps guest memory, lays out the descriptor page and device pages, opens
 * /dev/lguest, and answers the guest's Launcher-bound sends with its devices.
 * One Launcher per guest, as in lguest (one process per guest).
 */
import {
  LGUEST_DEVICE_F_RANDOMNESS,
  LGUEST_MAX_DEVICES,
  LGUEST_NET_F_NOCSUM,
  LHREQ_BREAK,
  LHREQ_GETDMA,
  LHREQ_INITIALIZE,
  LHREQ_IRQ,
  PAGE_SIZE,
} from '../abi/constants.ts';
import { LGUEST_DEVICE_DESC } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';
import { EventKind } from '../hw/events.ts';
import { GuestMemory } from '../hw/memory.ts';
import type { Allocator, SharedObject } from '../hw/shared-object.ts';
import type { DmaLayout, Host } from '../host/host.ts';
import { BlockDevice } from './devices/block.ts';
import { ConsoleDevice } from './devices/console.ts';
import { DevLguest } from '../host/lguest-user.ts';
import type { DeviceContext, LauncherDevice } from './devices/device.ts';
import { dma2iov, LauncherExit, scatter } from './devices/iovec.ts';
import { userPtr } from '../base/printf.ts';
import { latin1Text } from '../base/latin1.ts';
import { asGpa, pfnOf, type Gpa } from '../base/units.ts';
import { NetDevice, type Network } from './devices/net.ts';
import { TtyQueue } from './tty-queue.ts';

const DESC = layoutOf(LGUEST_DEVICE_DESC, 'i386');
const D = DESC.fields;

export type DeviceConfig = { readonly type: 'block'; readonly disk: Uint8Array } | { readonly type: 'net'; readonly network: Network };

export interface SharedMapConfig {
  readonly object: SharedObject;
  readonly gpa: number;
}

export interface LauncherConfig {
  readonly ramBytes: number;
  readonly devices: readonly DeviceConfig[];
  readonly shared: readonly SharedMapConfig[];
}

/** Where each region goes, computed before memory exists (spec §1.4). */
export function memoryPlan(cfg: LauncherConfig): { descPage: number; devicePages: number[]; top: number } {
  const descPage = cfg.ramBytes;
  let next = descPage + PAGE_SIZE;
  const devicePages: number[] = [];
  for (const _d of cfg.devices) {
    devicePages.push(next);
    next += PAGE_SIZE;
  }
  let top = next;
  for (const s of cfg.shared) top = Math.max(top, s.gpa + s.object.pages * PAGE_SIZE);
  return { descPage, devicePages, top };
}

export class Launcher implements DeviceContext {
  readonly memory: GuestMemory;
  readonly dev: DevLguest;
  readonly devices: LauncherDevice[] = [];
  /** What the console wrote to stdout, chunk by chunk. */
  readonly stdout: Uint8Array[] = [];
  /** Bytes typed at the terminal that the Launcher has not read yet. */
  readonly tty = new TtyQueue();
  /** The message the Launcher exited with (errx), or null while it runs. */
  exitMessage: string | null = null;
  /**
   * The console's input stopped: a read of 0 bytes ("Failed to get console
   * input, ignoring console.", spec §4.2); the Waker no longer watches it.
   */
  consoleIgnored = false;
  readonly descPage: number;
  readonly dmaLayout: DmaLayout;
  readonly console: ConsoleDevice;

  constructor(
    readonly host: Host,
    readonly pid: number,
    cfg: LauncherConfig,
    alloc: Allocator,
  ) {
    const plan = memoryPlan(cfg);
    this.memory = new GuestMemory(cfg.ramBytes, plan.top, alloc);
    this.descPage = plan.descPage;
    this.dmaLayout = host.dma;
    cfg.devices.forEach((d, i) => {
      const page = plan.devicePages[i];
      if (d.type === 'block') {
        const dev = new BlockDevice(i, page, d.disk);
        this.addDescriptor(dev, LGUEST_DEVICE_F_RANDOMNESS, 1, page);
        dev.setup(this);
      } else {
        const slot = d.network.claimSlot();
        this.memory.mapShared(pfnOf(asGpa(page)), d.network.object, 0);
        this.addDescriptor(new NetDevice(i, page, d.network, slot), slot | LGUEST_NET_F_NOCSUM, 1, page);
      }
    });
    for (const s of cfg.shared) for (let p = 0; p < s.object.pages; p++) this.memory.mapShared(pfnOf(asGpa(s.gpa)) + p, s.object, p);
    // The console is created after every command-line device: the last descriptor, no pages (§4.2, §7.33).
    this.console = new ConsoleDevice(this.devices.length);
    this.addDescriptor(this.console, 0, 0, 0);
    this.dev = new DevLguest(host, this.memory, alloc);
    // pfnlimit, pgdir, start, pageoffset (the seed's 4 words; the page tables are not simulated).
    const r = this.write(LHREQ_INITIALIZE, [this.memory.pfnLimit, 0, 0, 0xc0000000]);
    if (r < 0) throw new LauncherExit(`Initializing guest: errno ${-r}`);
  }

  /** new_device(): the first free descriptor slot (spec §4.1). */
  private addDescriptor(dev: LauncherDevice, features: number, numPages: number, page: number): void {
    if (this.devices.length >= LGUEST_MAX_DEVICES) throw new LauncherExit('too many devices');
    const at = this.descPage + dev.index * DESC.size;
    const m = this.memory;
    m.setU16(at + D.type.offset, dev.type);
    m.setU16(at + D.features.offset, features);
    m.setU16(at + D.num_pages.offset, numPages);
    m.setU32(at + D.pfn.offset, page / PAGE_SIZE);
    this.devices.push(dev);
  }

  get guestIndex(): number {
    return this.dev.guest?.index ?? -1;
  }

  /** write() to /dev/lguest from this Launcher's process. */
  write(req: number, args: readonly number[]): number {
    return this.dev.write(this.pid, req, args);
  }

  /**
   * handle_output (spec §4.1): the first device whose watch_key is the key
   * handles the send, and its return value becomes used_len. No device: a
   * warning and used_len untouched.
   */
  handleOutput(dma: Gpa, key: Gpa): void {
    const g = this.dev.guest!;
    // handle_output converts (and pointer-checks) the struct before looking for a device (§4.1).
    const iov = dma2iov(this.memory, this.dmaLayout, dma);
    const dev = this.devices.find((d) => d.handleOutput && d.watchKey === key);
    let used = 0;
    if (dev?.handleOutput) {
      used = dev.handleOutput(this, iov);
      this.memory.setU32(dma + this.dmaLayout.usedLen, used);
    } else this.warn(`Pending dma ${userPtr(dma)}, key ${userPtr(key)}`);
    this.host.emit(EventKind.LAUNCHER_OUTPUT, g.index, key, dma, used, dev ? dev.index : 0xffffffff);
  }

  /** warnx(): the Launcher says something on stderr and carries on. */
  warn(message: string): void {
    this.host.emit(EventKind.LAUNCHER_WARN, this.guestIndex, this.host.events.intern(message));
  }

  /** Bytes waiting at the terminal. */
  get ttyPending(): number {
    return this.tty.length;
  }

  typeInput(bytes: Uint8Array): void {
    // An ignored console is no longer read: what is typed goes nowhere.
    if (!this.consoleIgnored) this.tty.push(bytes);
    this.host.emit(EventKind.INPUT, this.guestIndex, bytes.length);
  }

  /**
   * The Waker saw the terminal readable (spec §3.3): it writes BREAK on and
   * stays blocked in that write (DevLguest.breakWaiters) until the Launcher's
   * BREAK off; the Launcher's next read() says EAGAIN (`serviceBreak`).
   */
  wakerBreak(wakerPid: number): void {
    this.dev.write(wakerPid, LHREQ_BREAK, [1]);
  }

  /**
   * read() said EAGAIN (spec §3.3): run the input handler of every ready
   * device without blocking (here the console), then BREAK off releases the
   * Waker.
   */
  serviceBreak(): void {
    if (this.tty.length > 0) this.handleConsoleInput();
    this.dev.write(this.pid, LHREQ_BREAK, [0]);
  }

  /**
   * handle_console_input (§4.2): GETDMA key 0, readv into the guest's buffer,
   * used_len = bytes, IRQ. No buffer → "console: no dma buffer!" and the
   * bytes read are discarded.
   */
  private handleConsoleInput(): void {
    const udma = this.write(LHREQ_GETDMA, [this.console.watchKey]);
    const m = this.memory;
    if (udma < 0) {
      // readv into the 1024-byte discard buffer: the terminal is drained by that much.
      this.warn('console: no dma buffer!');
      this.tty.take(1024);
    } else {
      const iov = dma2iov(m, this.dmaLayout, asGpa(udma));
      // LHREQ_GETDMA left the irq in used_len (lguest_user.c).
      const irq = m.u32(udma + this.dmaLayout.usedLen);
      let room = 0;
      for (const v of iov) room += v.len;
      const chunk = this.tty.take(room);
      const n = scatter(m, iov, chunk);
      if (n === 0) {
        // readv into a buffer of no bytes returns 0: the Launcher gives up on the console (§4.2).
        this.warn('Failed to get console input, ignoring console.');
        this.consoleIgnored = true;
        this.tty.take(this.tty.length);
      }
      m.setU32(udma + this.dmaLayout.usedLen, n);
      this.host.emit(EventKind.CONSOLE_INPUT, this.guestIndex, n, udma);
      if (this.write(LHREQ_IRQ, [irq]) !== 0) throw new LauncherExit(`Triggering irq ${irq}`);
    }
  }

  /** errx(): the Launcher exits; its guest goes with it (and its net slot lock). */
  exit(message: string): void {
    if (this.exitMessage !== null) return;
    this.exitMessage = message;
    const g = this.dev.guest;
    this.host.emit(EventKind.LAUNCHER_EXIT, g ? g.index : 0xffffffff, this.host.events.intern(message));
    if (g && g.dead === null) g.dead = `launcher exited: ${message}`;
    this.dev.close();
    for (const d of this.devices) if (d instanceof NetDevice) d.network.releaseSlot(d.slot);
  }

  // ---- DeviceContext: what the devices may use ------------------------------

  writeStdout(bytes: Uint8Array): void {
    this.stdout.push(bytes);
  }

  emit(kind: EventKind, a = 0, b = 0, c = 0, d = 0, e = 0): void {
    this.host.emit(kind, this.guestIndex, a, b, c, d, e);
  }

  /** Console output as text (latin-1, as the bytes were written). */
  stdoutText(): string {
    let s = '';
    for (const c of this.stdout) s += latin1Text(c);
    return s;
  }

  /**
   * The Launcher's changing state, for a checkpoint: stdout only grows (chunks
   * are never rewritten), so its length is enough; the devices' pages are
   * guest memory and disks are checkpointed apart (machine/checkpoints.ts).
   */
  save(): LauncherState {
    return { stdoutChunks: this.stdout.length, tty: this.tty.snapshot(), exitMessage: this.exitMessage, consoleIgnored: this.consoleIgnored };
  }

  restore(st: LauncherState): void {
    this.stdout.length = st.stdoutChunks;
    this.tty.restore(st.tty);
    this.consoleIgnored = st.consoleIgnored;
    this.exitMessage = st.exitMessage;
  }
}

export interface LauncherState {
  stdoutChunks: number;
  tty: Uint8Array;
  exitMessage: string | null;
  consoleIgnored: boolean;
}
