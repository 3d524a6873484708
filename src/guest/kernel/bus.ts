/**
 * The lguest bus (spec §5.1, drivers/lguest/lguest_bus.c): the descriptor
 * table in the page at gpa = RAM size (spec §1.4), 16 entries of struct
 * lguest_device_desc. For each slot with type ≠ 0: status |= ACKNOWLEDGE; if
 * a driver has that type, status |= DRIVER, run its probe (which ends in one
 * BIND_DMA), then status |= DRIVER_OK on success or FAILED on failure. Every
 * status change is its own u16 store, which the simulator observes.
 * Device irq = index + 1 (irq 0 is the timer).
 */
import {
  DEVICE_TYPE_NAMES,
  LGUEST_DEVICE_S_ACKNOWLEDGE,
  LGUEST_DEVICE_S_DRIVER,
  LGUEST_DEVICE_S_DRIVER_OK,
  LGUEST_DEVICE_S_FAILED,
  LGUEST_MAX_DEVICES,
  LHCALL_BIND_DMA,
  PAGE_SIZE,
} from '../../abi/constants.ts';
import type { Trap } from '../../hw/cpu.ts';
import { getField, setField } from './guest-struct.ts';
import { printk } from './printk.ts';
import { type BindRequest, type Ctx, type ProbeJob, hcall } from './state.ts';
import { hex } from './tty.ts';

export interface DeviceDesc {
  readonly index: number;
  readonly type: number;
  readonly features: number;
  readonly status: number;
  readonly numPages: number;
  readonly pfn: number;
}

/** A driver as the bus sees it: `prepare` sets up memory and says what to bind; `bound` gets the BIND_DMA result. */
export interface Driver {
  readonly type: number;
  readonly name: string;
  prepare(ctx: Ctx, d: DeviceDesc): BindRequest | { readonly error: string };
  bound(ctx: Ctx, d: DeviceDesc, req: BindRequest, ok: boolean): void;
}

export function descGpa(ctx: Ctx, index: number): number {
  return ctx.ramBytes + index * ctx.L.desc.size;
}

export function readDesc(ctx: Ctx, index: number): DeviceDesc {
  const at = descGpa(ctx, index);
  const g = (name: string): number => getField(ctx.mem, at, ctx.L.desc, name);
  return { index, type: g('type'), features: g('features'), status: g('status'), numPages: g('num_pages'), pfn: g('pfn') };
}

/** status |= bits, one store (spec §5.1: only the guest ever sets status bits). */
export function setStatusBits(ctx: Ctx, index: number, bits: number): void {
  const at = descGpa(ctx, index);
  setField(ctx.mem, at, ctx.L.desc, 'status', getField(ctx.mem, at, ctx.L.desc, 'status') | bits);
}

/** The next slot ≥ from with type ≠ 0, or -1 (the bus scans all 16, not stopping at an empty one). */
export function nextDevice(ctx: Ctx, from: number): number {
  for (let i = from; i < LGUEST_MAX_DEVICES; i++) if (readDesc(ctx, i).type !== 0) return i;
  return -1;
}

export function deviceIrq(index: number): number {
  return index + 1;
}

export function typeName(type: number): string {
  return DEVICE_TYPE_NAMES[type] ?? `type ${type}`;
}

/** One slot's probe; phase 0 does the handshake up to BIND_DMA, phase 1 reads its result. */
export function stepProbe(ctx: Ctx, job: ProbeJob, drivers: readonly Driver[]): Trap | null {
  const d = readDesc(ctx, job.slot);
  const drv = drivers.find((x) => x.type === d.type);
  if (job.phase === 0) {
    setStatusBits(ctx, d.index, LGUEST_DEVICE_S_ACKNOWLEDGE);
    printk(ctx, `lguest_bus: device ${d.index}: ${typeName(d.type)}, features ${hex(d.features)}, ${d.numPages} page(s) at ${hex(d.pfn * PAGE_SIZE)}`);
    if (drv === undefined) {
      printk(ctx, `lguest_bus: device ${d.index}: no driver for ${typeName(d.type)}`);
      return null;
    }
    setStatusBits(ctx, d.index, LGUEST_DEVICE_S_DRIVER);
    const req = drv.prepare(ctx, d);
    if ('error' in req) {
      printk(ctx, req.error);
      setStatusBits(ctx, d.index, LGUEST_DEVICE_S_FAILED);
      return null;
    }
    job.bind = { key: req.key, array: req.array, num: req.num, irq: req.irq };
    job.phase = 1;
    // spec §2.3: a3 = (num << 8) | irq.
    return hcall(LHCALL_BIND_DMA, req.key, req.array, (req.num << 8) | req.irq);
  }
  const ok = ctx.eax === 1;
  if (drv !== undefined && job.bind !== null) drv.bound(ctx, d, job.bind, ok);
  setStatusBits(ctx, d.index, ok ? LGUEST_DEVICE_S_DRIVER_OK : LGUEST_DEVICE_S_FAILED);
  return null;
}
