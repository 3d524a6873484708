/**
 * hvc_lguest (spec §5.2): the probe binds ONE lguest_dma, one 256-byte
 * section, at key 0 with the device's irq; the irq handler takes the bytes the
 * Launcher put there (used_len ≠ 0), feeds the line editor, then sets
 * used_len = 0 to re-arm the buffer. Output is console-output.ts.
 */
import { LGUEST_CONSOLE_DMA_KEY, LGUEST_DEVICE_T_CONSOLE } from '../../abi/constants.ts';
import { type DeviceDesc, type Driver, deviceIrq } from './bus.ts';
import { consoleWrite } from './console-output.ts';
import { setUsedLen, usedLen, writeDma } from './dma.ts';
import { feedLine, loadLine, storeLine } from './line-editor.ts';
import { CON_RX_BUF, CON_RX_BYTES, CON_RX_DMA } from './layout.ts';
import { printk } from './printk.ts';
import type { BindRequest, Ctx } from './state.ts';
import { hex, interrupt } from './tty.ts';

export const consoleDriver: Driver = {
  type: LGUEST_DEVICE_T_CONSOLE,
  name: 'hvc_lguest',
  prepare(ctx: Ctx, d: DeviceDesc) {
    if (ctx.s.con !== null) return { error: `hvc_lguest: device ${d.index}: only one console is supported` };
    writeDma(ctx.mem, ctx.L.dma, CON_RX_DMA, [{ addr: CON_RX_BUF, len: CON_RX_BYTES }]);
    // Registered before the bind returns: input may arrive in the same entry as the BIND_DMA result.
    ctx.s.con = { index: d.index, irq: deviceIrq(d.index) };
    return { key: LGUEST_CONSOLE_DMA_KEY, array: CON_RX_DMA, num: 1, irq: deviceIrq(d.index) };
  },
  bound(ctx: Ctx, d: DeviceDesc, req: BindRequest, ok: boolean) {
    if (!ok) {
      ctx.s.con = null;
      printk(ctx, `hvc_lguest: device ${d.index}: BIND_DMA of the input buffer failed`);
      return;
    }
    printk(ctx, `hvc_lguest: console at irq ${req.irq}, input buffer ${hex(CON_RX_BUF)} bound at key ${req.key}`);
  },
};

/** The console irq: consume input into the line editor, then re-arm (used_len = 0). */
export function consoleIrq(ctx: Ctx): void {
  const n = usedLen(ctx.mem, ctx.L.dma, CON_RX_DMA);
  if (n === 0) return;
  const bytes = ctx.mem.read(CON_RX_BUF, Math.min(n, CON_RX_BYTES));
  const r = feedLine(loadLine(ctx.mem, ctx.L), bytes);
  storeLine(ctx.mem, ctx.L, r.st);
  // spec §5.2: used_len = 0 once every byte is taken; until then new input cannot land.
  setUsedLen(ctx.mem, ctx.L.dma, CON_RX_DMA, 0);
  for (const ev of r.events) {
    if (ev.kind === 'echo') consoleWrite(ctx.s, ev.text);
    else if (ev.kind === 'line') ctx.s.lines.push(ev.text);
    else interrupt(ctx);
  }
}
