/** printk: a line into the klog ring and (by default) onto the console, as the boot console does. */
import { consoleWrite } from './console-output.ts';
import { klogWrite } from './klog.ts';
import type { Ctx } from './state.ts';

export function printk(ctx: Ctx, line: string, toConsole = true): void {
  klogWrite(ctx.mem, ctx.L, `${line}\n`);
  if (toConsole) consoleWrite(ctx.s, `${line}\r\n`);
}
