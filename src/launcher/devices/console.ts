/**
 * The console device (spec §4.2): always present, the last descriptor, no
 * pages, watch_key 0. Output is written to the Launcher's stdout (here a
 * byte log per guest); input comes from the terminal queue.
 */
import { LGUEST_CONSOLE_DMA_KEY, LGUEST_DEVICE_T_CONSOLE } from '../../abi/constants.ts';
import type { DeviceContext, LauncherDevice } from './device.ts';
import { gather, type Iovec } from './iovec.ts';

export class ConsoleDevice implements LauncherDevice {
  readonly type = LGUEST_DEVICE_T_CONSOLE;
  readonly mem = 0;
  readonly watchKey = LGUEST_CONSOLE_DMA_KEY;
  constructor(readonly index: number) {}

  /** handle_console_output: write every section to stdout; used_len = bytes written. */
  handleOutput(ctx: DeviceContext, iov: readonly Iovec[]): number {
    const bytes = gather(ctx.memory, iov);
    ctx.writeStdout(bytes);
    return bytes.length;
  }
}
