/**
 * Console output, the early-console way (spec §5.2, §1.2 "Guest wrappers"):
 * every write is one single-section SEND_DMA to LGUEST_CONSOLE_DMA_KEY of the
 * lguest_dma at CON_TX_DMA, whose section points at CON_TX_BUF; used_len is
 * zeroed before the send. Output is cut into ≤256-byte chunks (hvc's output
 * buffer size). It works before the bus probe: the Launcher's console always
 * watches key 0.
 */
import { latin1Bytes } from '../../base/latin1.ts';
import { LGUEST_CONSOLE_DMA_KEY, LHCALL_SEND_DMA } from '../../abi/constants.ts';
import type { Trap } from '../../hw/cpu.ts';
import { writeDma } from './dma.ts';
import { CON_TX_BUF, CON_TX_BYTES, CON_TX_DMA } from './layout.ts';
import { type ConsoleWriteJob, type Ctx, type KernelState, hcall } from './state.ts';

/** Queue text for the console. Appends to the last queued write if it is one (same FIFO order, fewer jobs). */
export function consoleWrite(s: KernelState, text: string): void {
  if (text.length === 0) return;
  const last = s.jobs[s.jobs.length - 1];
  if (last !== undefined && last.op === 'console_write') last.text += text;
  else s.jobs.push({ op: 'console_write', text, pos: 0 });
}


/** Send the next chunk, or finish. The Launcher's used_len is ignored: hvc reports all bytes written (spec §5.2). */
export function stepConsoleWrite(ctx: Ctx, job: ConsoleWriteJob): Trap | null {
  if (job.pos >= job.text.length) return null;
  const chunk = latin1Bytes(job.text.slice(job.pos, job.pos + CON_TX_BYTES));
  job.pos += chunk.length;
  ctx.mem.write(CON_TX_BUF, chunk);
  // spec §1.2: the send wrapper zeroes used_len, then SEND_DMA(key, gpa of the struct); writeDma stores used_len = 0 last.
  writeDma(ctx.mem, ctx.L.dma, CON_TX_DMA, [{ addr: CON_TX_BUF, len: chunk.length }]);
  return hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY, CON_TX_DMA);
}
