/**
 * The built-in guest kernel (`kernel: "lguest"`): lguest's paravirt guest
 * reduced to its I/O: the bus and handshake (spec §5.1), hvc_lguest (§5.2),
 * lguest_blk (§5.3), lguest_net (§5.4), and a shell on the console.
 *
 * It runs only inside run(): handler for the delivered irq first (handlers
 * touch memory and queue work, never trap), then the job at the front of the
 * queue until one traps, then the foreground; with nothing to do it sets
 * irq_enabled and HALTs (spec §6: the Host wakes it with an interrupt).
 * All control state is the JSON in state.ts; data lives in guest memory.
 */
import type { Arch } from '../../abi/ctypes.ts';
import { LHCALL_HALT, X86_EFLAGS_IF } from '../../abi/constants.ts';
import type { GuestCpu, GuestProgram, Trap } from '../../hw/cpu.ts';
import { blkIrq, blockDriver, stepBlkSubmit } from './block-driver.ts';
import { bootStep, stepInit } from './boot.ts';
import { type Driver, stepProbe } from './bus.ts';
import { consoleDriver, consoleIrq } from './console-driver.ts';
import { stepConsoleWrite } from './console-output.ts';
import { setField } from './guest-struct.ts';
import { LGUEST_DATA_GPA, kernelLayouts, type KernelLayouts } from './layout.ts';
import { netDriver, netIrq, stepNetTx } from './net-driver.ts';
import { stepPoke } from './poke-dma.ts';
import { shellStep } from './shell.ts';
import { type Ctx, type Job, type KernelState, hcall, initialState } from './state.ts';
import { parseKernelState } from './state-check.ts';

/** The drivers the bus matches by descriptor type (spec §5.1). */
export const DRIVERS: readonly Driver[] = [consoleDriver, netDriver, blockDriver];

/** Steps one run() may take before it yields: a guard against a bug spinning forever, never reached in normal work. */
const MAX_STEPS = 100_000;

const layoutCache = new Map<Arch, KernelLayouts>();
function layouts(arch: Arch): KernelLayouts {
  let l = layoutCache.get(arch);
  if (l === undefined) {
    l = kernelLayouts(arch);
    layoutCache.set(arch, l);
  }
  return l;
}

function stepJob(ctx: Ctx, job: Job): Trap | null {
  switch (job.op) {
    case 'init':
      return stepInit(ctx, job);
    case 'console_write':
      return stepConsoleWrite(ctx, job);
    case 'probe':
      return stepProbe(ctx, job, DRIVERS);
    case 'blk_submit':
      return stepBlkSubmit(ctx, job);
    case 'net_tx':
      return stepNetTx(ctx, job);
    case 'poke_dma':
      return stepPoke(ctx, job);
  }
}

function handleIrq(ctx: Ctx, irq: number): void {
  const s = ctx.s;
  if (s.con !== null && irq === s.con.irq) consoleIrq(ctx);
  if (s.blk !== null && irq === s.blk.irq) blkIrq(ctx);
  if (s.net !== null && irq === s.net.irq) netIrq(ctx);
  // iret: the frame's eflags had IF set (delivery needs irq_enabled ≠ 0 or a halt), and
  // lguest's iret restores irq_enabled from it (spec §6: an interrupt gate cleared it).
  setField(ctx.mem, LGUEST_DATA_GPA, ctx.L.data, 'irq_enabled', X86_EFLAGS_IF);
}

export interface LguestKernelOptions {
  /** Struct layouts to use; lguest itself is i386 only (spec §1.3). */
  readonly arch?: Arch;
}

export class LguestKernel implements GuestProgram {
  readonly kernel = 'lguest';
  private s: KernelState;

  constructor(opts: LguestKernelOptions = {}) {
    this.s = initialState(opts.arch ?? 'i386');
  }

  run(cpu: GuestCpu, irq: number | null): Trap {
    const ctx: Ctx = { mem: cpu.mem, s: this.s, eax: cpu.eax, ramBytes: cpu.ramBytes, L: layouts(this.s.arch) };
    if (irq !== null) handleIrq(ctx, irq);
    for (let n = 0; n < MAX_STEPS; n++) {
      const job = this.s.jobs[0];
      if (job !== undefined) {
        const t = stepJob(ctx, job);
        if (t !== null) return t;
        this.s.jobs.shift();
        continue;
      }
      const fg = this.s.fg;
      const r = fg.st === 'boot' ? bootStep(ctx, fg) : shellStep(ctx);
      if (r === 'wait' && this.s.jobs.length === 0) {
        // Idle: interrupts on, then sleep until the Host delivers one (spec §6).
        setField(ctx.mem, LGUEST_DATA_GPA, ctx.L.data, 'irq_enabled', X86_EFLAGS_IF);
        return hcall(LHCALL_HALT);
      }
    }
    return { kind: 'yield' };
  }

  save(): unknown {
    return JSON.parse(JSON.stringify(this.s)) as unknown;
  }

  load(state: unknown): void {
    this.s = parseKernelState(state);
  }
}
