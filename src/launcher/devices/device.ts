/**
 * One Launcher device record (spec §4.1): its descriptor slot, the gpa of its
 * pages, the key whose sends it handles, and an output handler.
 */
import type { Iovec } from '../iovec.ts';
import type { Launcher } from '../launcher.ts';

export interface LauncherDevice {
  /** Descriptor slot (irq = index + 1 by the guest's convention, spec §5.1). */
  readonly index: number;
  readonly type: number;
  /** gpa of the device's first page, or 0 for a device without pages (the console). */
  readonly mem: number;
  /** mem + per-device offset: the key whose Launcher-bound sends this device handles. */
  readonly watchKey: number;
  /** Handle a send to watchKey; the return value becomes the sent struct's used_len. */
  handleOutput?(launcher: Launcher, iov: readonly Iovec[]): number;
}
