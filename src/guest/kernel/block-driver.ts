/**
 * lguest_blk (spec §5.3). phys_addr = pfn × 4096 is the struct
 * lguest_block_page and the key; the probe binds a one-entry reply array
 * there. One request in flight: write type, sector, result = 0, pack the data
 * (≤ 16 sections, each ≤ 4096 and inside one page), bytes = their sum, then
 *  - write: a fresh lguest_dma with the data, sent to phys_addr;
 *  - read: the data sections go into the BOUND reply struct, and an empty
 *    struct (len[0] = 0) is sent to phys_addr as a ping.
 * The Launcher handles the send synchronously (spec §3.2) and raises the irq;
 * the handler completes the request iff result ≠ 0 (success iff result = 1)
 * and re-arms the reply (used_len = 0).
 */
import { LGUEST_DEVICE_T_BLOCK, LHCALL_SEND_DMA, PAGE_SIZE, SECTOR_SIZE } from '../../abi/constants.ts';
import type { Trap } from '../../hw/cpu.ts';
import { type DeviceDesc, type Driver, deviceIrq } from './bus.ts';
import { latin1Bytes } from '../../base/latin1.ts';
import { pageSections, setUsedLen, writeDma } from './dma.ts';
import { getField, setField } from './guest-struct.ts';
import { BLK_BUF, BLK_BUF_BYTES, BLK_PING_DMA, BLK_REPLY_DMA, BLK_REQ_DMA } from './layout.ts';
import { printk } from './printk.ts';
import { type BindRequest, type BlkSubmitJob, type Ctx, hcall } from './state.ts';
import { hex } from './tty.ts';

/** The most sectors one request moves: the data buffer's size. */
export const BLK_MAX_SECTORS = BLK_BUF_BYTES / SECTOR_SIZE;

export const blockDriver: Driver = {
  type: LGUEST_DEVICE_T_BLOCK,
  name: 'lguest_blk',
  prepare(ctx: Ctx, d: DeviceDesc) {
    if (ctx.s.blk !== null) return { error: `lguest_blk: device ${d.index}: only one block device is supported` };
    if (d.numPages < 1 || d.pfn === 0) return { error: `lguest_blk: device ${d.index}: no block page` };
    const phys = d.pfn * PAGE_SIZE;
    // The reply entry starts empty; a read fills its sections before each request.
    writeDma(ctx.mem, ctx.L.dma, BLK_REPLY_DMA, []);
    ctx.s.blk = { index: d.index, irq: deviceIrq(d.index), phys, capacity: 0, name: 'lgba', inflight: null, done: null };
    return { key: phys, array: BLK_REPLY_DMA, num: 1, irq: deviceIrq(d.index) };
  },
  bound(ctx: Ctx, d: DeviceDesc, req: BindRequest, ok: boolean) {
    const b = ctx.s.blk;
    if (b === null) return;
    if (!ok) {
      ctx.s.blk = null;
      printk(ctx, `lguest_blk: device ${d.index}: BIND_DMA of the reply buffer failed`);
      return;
    }
    b.capacity = getField(ctx.mem, b.phys, ctx.L.blockPage, 'num_sectors');
    printk(ctx, `lguest_blk: ${b.name}: ${b.capacity} sectors (${b.capacity * SECTOR_SIZE} bytes), irq ${req.irq}, block page ${hex(b.phys)}`);
  },
};

/** Send one request. The shell has checked the range (a bad offset terminates the Launcher, spec §7.36). */
export function stepBlkSubmit(ctx: Ctx, job: BlkSubmitJob): Trap | null {
  const b = ctx.s.blk;
  if (job.phase !== 0 || b === null) return null;
  const m = ctx.mem;
  const P = ctx.L.blockPage;
  setField(m, b.phys, P, 'type', job.write ? 1 : 0);
  setField(m, b.phys, P, 'sector', job.sector);
  setField(m, b.phys, P, 'result', 0);
  const bytes = job.count * SECTOR_SIZE;
  if (job.write) {
    const data = new Uint8Array(bytes);
    data.set(latin1Bytes(job.text).subarray(0, bytes));
    m.write(BLK_BUF, data);
  }
  // BLK_BUF is page-aligned: one section per page, never crossing one (queue limits, spec §5.3).
  const sections = pageSections(BLK_BUF, bytes);
  setField(m, b.phys, P, 'bytes', bytes);
  b.inflight = { write: job.write, sector: job.sector, count: job.count };
  b.done = null;
  job.phase = 1;
  if (job.write) {
    writeDma(m, ctx.L.dma, BLK_REQ_DMA, sections);
    return hcall(LHCALL_SEND_DMA, b.phys, BLK_REQ_DMA);
  }
  // spec §5.3: read packs into the bound reply struct, then pings with an empty send.
  writeDma(m, ctx.L.dma, BLK_REPLY_DMA, sections);
  writeDma(m, ctx.L.dma, BLK_PING_DMA, []);
  return hcall(LHCALL_SEND_DMA, b.phys, BLK_PING_DMA);
}

/** The block irq (spec §5.3): ignore without a request or while result is 0. */
export function blkIrq(ctx: Ctx): void {
  const b = ctx.s.blk;
  if (b === null || b.inflight === null) return;
  const result = getField(ctx.mem, b.phys, ctx.L.blockPage, 'result');
  if (result === 0) return;
  if (result !== 1) printk(ctx, `lguest_blk: ${b.name}: ${b.inflight.write ? 'write' : 'read'} at sector ${b.inflight.sector} failed (result ${result})`, false);
  b.done = { ok: result === 1, result };
  b.inflight = null;
  setUsedLen(ctx.mem, ctx.L.dma, BLK_REPLY_DMA, 0);
}

/** The data of the last completed read. */
export function blkData(ctx: Ctx, count: number): Uint8Array {
  return ctx.mem.read(BLK_BUF, count * SECTOR_SIZE);
}
