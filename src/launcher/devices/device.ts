/**
 * One Launcher device record (spec §4.1): its descriptor slot, the gpa of its
 * pages, the key whose sends it handles, and an output handler; and the
 * little of the Launcher a device may use (DeviceContext), so a device sees
 * the guest's memory, /dev/lguest and stdout, not the whole Launcher.
 */
import type { DmaLayout } from '../../host/host.ts';
import type { EventKind } from '../../hw/events.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import type { Iovec } from './iovec.ts';

/** What lguest.c's device handlers use: the guest's memory, write() to /dev/lguest, stdout, and the trace. */
export interface DeviceContext {
  readonly memory: GuestMemory;
  readonly dmaLayout: DmaLayout;
  readonly guestIndex: number;
  /** write(fd, [req, ...args]) to /dev/lguest as the Launcher process; a result or -errno. */
  write(req: number, args: readonly number[]): number;
  /** The Launcher's stdout (the console's output). */
  writeStdout(bytes: Uint8Array): void;
  /** An event from this Launcher (guest = this guest). */
  emit(kind: EventKind, a?: number, b?: number, c?: number, d?: number, e?: number): void;
}

export interface LauncherDevice {
  /** Descriptor slot (irq = index + 1 by the guest's convention, spec §5.1). */
  readonly index: number;
  readonly type: number;
  /** gpa of the device's first page, or 0 for a device without pages (the console). */
  readonly mem: number;
  /** mem + per-device offset: the key whose Launcher-bound sends this device handles. */
  readonly watchKey: number;
  /** Handle a send to watchKey; the return value becomes the sent struct's used_len. */
  handleOutput?(ctx: DeviceContext, iov: readonly Iovec[]): number;
}
