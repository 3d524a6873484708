/**
 * /dev/lguest as the Launcher sees it (drivers/lguest/lguest_user.c v2.6.23;
 * spec §3, checklist §7.22-28). One `DevLguest` is one open file: write()
 * takes a request word and its arguments, read() runs the guest.
 *
 * Results follow the syscall convention: a non-negative number, or -errno.
 */
import { LGUEST_IRQS, LHREQ_BREAK, LHREQ_GETDMA, LHREQ_INITIALIZE, LHREQ_IRQ, MAX_LGUEST_GUESTS } from '../abi/constants.ts';
import { encodeStruct } from '../abi/access.ts';
import { EAGAIN, EBUSY, EINVAL, ENOENT, ENOSPC, EPERM } from '../abi/errno.ts';
import { latin1Bytes, latin1Text } from '../base/latin1.ts';
import type { Gpa } from '../base/units.ts';
import { layoutOf } from '../abi/layout.ts';
import { LHREQ_INITIALIZE_ARGS, READ_PENDING_DMA } from '../abi/structs.ts';
import { EventKind, IrqSource } from '../hw/events.ts';
import type { GuestMemory } from '../hw/memory.ts';
import type { Allocator } from '../hw/shared-object.ts';
import { raiseIrq } from './dma-engine.ts';
import { getDmaBuffer } from './get-dma-buffer.ts';
import type { Host } from './host.ts';
import { Lguest } from './lguest.ts';


export type ReadResult =
  /** A SEND_DMA to a private key: {dma gpa, key} (the 8 bytes read() returns). */
  | { readonly kind: 'dma'; readonly dma: Gpa; readonly key: Gpa }
  /** The guest is dead: read() returns the reason (and before that, ENOENT once). */
  | { readonly kind: 'dead'; readonly reason: string }
  /** -EAGAIN: break_out is set. */
  | { readonly kind: 'again' };

/** What one read() returned: `ret` (a byte count or -errno) and the bytes it stored in the buffer. */
export interface ReadReturn {
  readonly ret: number;
  readonly data: Uint8Array;
}

/** The Launcher reads a dead guest's reason into a zeroed 1024-byte buffer, leaving the last byte as NUL (spec §3.3). */
export const REASON_READ_SIZE = 1023;

export class DevLguest {
  guest: Lguest | null = null;
  /**
   * Processes blocked in a BREAK-on write until a BREAK-off write releases
   * them (spec §3.1, §7.27). The Machine does not run a blocked Waker: it
   * watches no terminal until it is released (a BREAK_WAIT event each way).
   */
  readonly breakWaiters = new Set<number>();
  /** The run loop has already returned ENOENT for this guest's death; read() now returns the reason (§3.2). */
  private deathReported = false;

  constructor(
    readonly host: Host,
    /** The Launcher's mapping of guest memory: the Host reads and writes it (gpa == launcher address, spec conventions). */
    private readonly memory: GuestMemory,
    private readonly alloc: Allocator,
  ) {}

  /** write(fd, [req, ...args]) from process `pid`. */
  write(pid: number, req: number, args: readonly number[]): number {
    const ret = this.doWrite(pid, req, args);
    const g = this.guest;
    this.host.emit(EventKind.LHREQ, g?.index ?? 0xffffffff, req, args[0] ?? 0, ret >>> 0);
    if (req === LHREQ_BREAK && ret === 0 && g) {
      // lguest_user.c break_guest_out(): BREAK on sleeps on break_wq until BREAK off wakes every sleeper.
      if (g.breakOut) {
        if (!this.breakWaiters.has(pid)) {
          this.breakWaiters.add(pid);
          this.host.emit(EventKind.BREAK_WAIT, g.index, pid, 1);
        }
      } else {
        for (const w of this.breakWaiters) this.host.emit(EventKind.BREAK_WAIT, g.index, w, 0);
        this.breakWaiters.clear();
      }
    }
    return ret;
  }

  private doWrite(pid: number, req: number, args: readonly number[]): number {
    const g = this.guest;
    // Order of checks (spec §3.1): not initialized, dead, wrong process, unknown.
    if (!g && req !== LHREQ_INITIALIZE) return -EINVAL;
    if (g && g.dead !== null) return -ENOENT;
    if (g && pid !== g.ownerPid && req !== LHREQ_BREAK) return -EPERM;
    switch (req) {
      case LHREQ_INITIALIZE:
        return this.initialize(pid, args);
      case LHREQ_GETDMA: {
        const found = getDmaBuffer(this.host, g!, args[0] ?? 0);
        if (!found) return -ENOENT;
        // The irq travels back in used_len; the Launcher overwrites it with the byte count.
        this.host.writeU32(g!, found.gpa + this.host.dma.usedLen, found.irq);
        return found.gpa;
      }
      case LHREQ_IRQ: {
        const irq = (args[0] ?? 0) >>> 0;
        if (irq >= LGUEST_IRQS) return -EINVAL;
        // §7.25: only sets the pending bit; it neither runs nor wakes the guest.
        raiseIrq(this.host, g!, irq, IrqSource.LAUNCHER);
        return 0;
      }
      case LHREQ_BREAK:
        // BREAK on: the writer (the Waker) blocks until BREAK off releases it (§7.27).
        g!.breakOut = (args[0] ?? 0) !== 0;
        return 0;
      default:
        return -EINVAL;
    }
  }

  /** LHREQ_INITIALIZE + pfnlimit, pgdir, start, pageoffset: the seed's 4-word form (spec §0.1). */
  private initialize(pid: number, args: readonly number[]): number {
    if (this.guest) return -EBUSY;
    const ARGS = layoutOf(LHREQ_INITIALIZE_ARGS, this.host.arch);
    if (args.length < ARGS.order.length) return -EINVAL;
    const slot = this.host.guests.indexOf(null);
    if (slot < 0 || slot >= MAX_LGUEST_GUESTS) return -ENOSPC;
    const g = new Lguest(slot, this.memory, this.alloc);
    g.ownerPid = pid;
    this.host.guests[slot] = g;
    this.guest = g;
    return ARGS.size; // sizeof(args)
  }

  /**
   * read(fd, buf, size) from process `pid` (spec §3.2), for every outcome
   * that needs no guest code: EINVAL before INITIALIZE, EPERM from another
   * process; a dead guest: ENOENT once (the run that saw it die), then the
   * reason with its NUL, cut to `size`; a pending send to the Launcher: 8
   * bytes {dma gpa, key} whatever `size` is (the run that reached the send
   * returns it; the next read clears it, `completeDma`); break_out: EAGAIN.
   * Returns null where read() would enter the guest (the Machine does that).
   */
  read(pid: number, size: number): ReadReturn | null {
    const g = this.guest;
    const none = new Uint8Array(0);
    if (!g) return { ret: -EINVAL, data: none };
    if (pid !== g.ownerPid) return { ret: -EPERM, data: none };
    // Alive again only after a checkpoint restore: its next death is reported afresh.
    if (g.dead === null) this.deathReported = false;
    if (g.dead !== null) {
      if (!this.deathReported) {
        this.deathReported = true;
        return { ret: -ENOENT, data: none };
      }
      // The reason's bytes as the kernel's vsprintf wrote them (latin-1 here), then its NUL.
      const withNul = new Uint8Array(g.dead.length + 1);
      withNul.set(latin1Bytes(g.dead));
      const data = withNul.subarray(0, Math.max(0, Math.min(size, withNul.length)));
      return { ret: data.length, data };
    }
    if (g.pendingDma) {
      const R = layoutOf(READ_PENDING_DMA, this.host.arch);
      const data = new Uint8Array(R.size);
      encodeStruct(new DataView(data.buffer), 0, R, { dma: g.pendingDma.dma, key: g.pendingDma.key });
      return { ret: R.size, data };
    }
    if (g.breakOut) return { ret: -EAGAIN, data: none };
    return null;
  }

  /**
   * The Launcher's read() as the Machine drives it (spec §3.2 steps 2-4,
   * §3.3). Returns null when the guest should be entered. A dead guest's
   * reason comes back as the Launcher gets it: the run's ENOENT, then
   * read() of at most REASON_READ_SIZE bytes up to the NUL.
   */
  poll(): ReadResult | null {
    const g = this.guest;
    if (!g) return null;
    const r = this.read(g.ownerPid, REASON_READ_SIZE);
    if (r === null) return null;
    if (g.dead !== null) {
      const text = r.ret === -ENOENT ? this.read(g.ownerPid, REASON_READ_SIZE)!.data : r.data;
      const nul = text.indexOf(0);
      return { kind: 'dead', reason: latin1Text(nul < 0 ? text : text.subarray(0, nul)) };
    }
    if (g.pendingDma) return { kind: 'dma', dma: g.pendingDma.dma, key: g.pendingDma.key };
    return { kind: 'again' };
  }

  /** The previous send is complete: read() is called again (clears dma_is_pending). */
  completeDma(): void {
    if (this.guest) this.guest.pendingDma = null;
  }

  /**
   * close(): the guest's bindings go away (spec §2.3). The guest record stays
   * in the Host's table, dead, so its memory can still be inspected.
   */
  close(): void {
    if (!this.guest) return;
    this.host.releaseGuest(this.guest);
  }
}
