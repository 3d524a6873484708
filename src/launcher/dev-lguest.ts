/**
 * /dev/lguest as the Launcher sees it (drivers/lguest/lguest_user.c v2.6.23;
 * spec §3, checklist §7.22-28). One `DevLguest` is one open file: write()
 * takes a request word and its arguments, read() runs the guest.
 *
 * Results follow the syscall convention: a non-negative number, or -errno.
 */
import { LGUEST_IRQS, LHREQ_BREAK, LHREQ_GETDMA, LHREQ_INITIALIZE, LHREQ_IRQ, MAX_LGUEST_GUESTS } from '../abi/constants.ts';
import { EventKind, IrqSource } from '../core/events.ts';
import type { Allocator, GuestMemory } from '../core/memory.ts';
import { getDmaBuffer, raiseIrq } from '../host/dma-engine.ts';
import type { Host } from '../host/host.ts';
import { Lguest } from '../host/lguest.ts';

export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EINVAL = 22;
export const ENOSPC = 28;

export type ReadResult =
  /** A SEND_DMA to a private key: {dma gpa, key} (the 8 bytes read() returns). */
  | { readonly kind: 'dma'; readonly dma: number; readonly key: number }
  /** The guest is dead: read() returns the reason (and before that, ENOENT once). */
  | { readonly kind: 'dead'; readonly reason: string }
  /** -EAGAIN: break_out is set. */
  | { readonly kind: 'again' };

export class DevLguest {
  guest: Lguest | null = null;

  constructor(
    readonly host: Host,
    /** The Launcher's mapping of guest memory: the Host reads and writes it (gpa == launcher address, spec conventions). */
    private readonly memory: GuestMemory,
    private readonly alloc: Allocator,
  ) {}

  /** write(fd, [req, ...args]) from process `pid`. */
  write(pid: number, req: number, args: readonly number[]): number {
    const ret = this.doWrite(pid, req, args);
    this.host.emit(EventKind.LHREQ, this.guest?.index ?? 0xffffffff, req, args[0] ?? 0, ret >>> 0);
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
        this.host.writeU32(g!, found.gpa, found.irq);
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
        // BREAK on: the Waker blocks until BREAK off; in this single-threaded Host nothing waits.
        g!.breakOut = (args[0] ?? 0) !== 0;
        return 0;
      default:
        return -EINVAL;
    }
  }

  /** LHREQ_INITIALIZE + pfnlimit, pgdir, start, pageoffset: the seed's 4-word form (spec §0.1). */
  private initialize(pid: number, args: readonly number[]): number {
    if (this.guest) return -EBUSY;
    if (args.length < 4) return -EINVAL;
    const slot = this.host.guests.indexOf(null);
    if (slot < 0 || slot >= MAX_LGUEST_GUESTS) return -ENOSPC;
    const g = new Lguest(slot, this.memory, this.alloc);
    g.ownerPid = pid;
    this.host.guests[slot] = g;
    this.guest = g;
    return 16;
  }

  /**
   * read(): the part of the run loop that does not execute guest code
   * (spec §3.2 steps 2-4). Returns null when the guest should be entered.
   */
  poll(): ReadResult | null {
    const g = this.guest;
    if (!g) return null;
    if (g.dead !== null) return { kind: 'dead', reason: g.dead };
    if (g.pendingDma) return { kind: 'dma', dma: g.pendingDma.dma, key: g.pendingDma.key };
    if (g.breakOut) return { kind: 'again' };
    return null;
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
