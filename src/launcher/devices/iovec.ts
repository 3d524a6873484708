/**
 * The Launcher's view of a struct lguest_dma: dma2iov() and _check_pointer()
 * from Documentation/lguest/lguest.c (spec §4.1). Unlike the Host, the
 * Launcher only checks that every range lies below `top` (off by one at the
 * top, like the Host) and never applies the page rules (§7.39).
 */
import { LGUEST_MAX_DMA_SECTIONS } from '../../abi/constants.ts';
import type { DmaLayout } from '../../host/host.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import { asGpa, type Gpa } from '../../base/units.ts';

export interface Iovec {
  readonly base: Gpa;
  readonly len: number;
}

/** errx(1, ...) in the Launcher: the process exits with this message. */
export class LauncherExit extends Error {}

/** _check_pointer: addr >= top or addr + size >= top exits "Invalid address %li". */
export function checkPointer(mem: GuestMemory, addr: number, size: number): number {
  if (addr >= mem.top || addr + size >= mem.top) throw new LauncherExit(`lguest.c: Invalid address ${addr | 0}`);
  return addr;
}

/** dma2iov: the struct's sections up to the first zero len or the 16th. */
export function dma2iov(mem: GuestMemory, L: DmaLayout, dma: Gpa): Iovec[] {
  checkPointer(mem, dma, L.size);
  const iov: Iovec[] = [];
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
    const len = mem.u16(dma + L.len + L.lenSize * i);
    if (len === 0) break;
    const addr = mem.u32(dma + L.addr + L.addrSize * i);
    iov.push({ base: asGpa(checkPointer(mem, addr, len)), len });
  }
  return iov;
}

/** Total bytes an iovec list describes. */
export function iovLength(iov: readonly Iovec[]): number {
  let n = 0;
  for (const v of iov) n += v.len;
  return n;
}

/** Gather the bytes of an iovec list (writev's view). */
export function gather(mem: GuestMemory, iov: readonly Iovec[]): Uint8Array {
  const out = new Uint8Array(iovLength(iov));
  let at = 0;
  for (const v of iov) {
    mem.readInto(v.base, out, at, v.len);
    at += v.len;
  }
  return out;
}

/** Scatter bytes into an iovec list (readv's view); returns bytes placed. */
export function scatter(mem: GuestMemory, iov: readonly Iovec[], data: Uint8Array): number {
  let at = 0;
  for (const v of iov) {
    if (at >= data.length) break;
    const n = Math.min(v.len, data.length - at);
    mem.write(v.base, data.subarray(at, at + n));
    at += n;
  }
  return at;
}
