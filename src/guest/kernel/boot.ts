/**
 * The boot sequence: lguest_data and LHCALL_LGUEST_INIT (spec §1.2, §1.3),
 * the banner on the early console, the bus probe slot by slot (spec §5.1),
 * then the shell's first prompt.
 */
import { LHCALL_LGUEST_INIT, LHCALL_RING_SIZE, PAGE_SIZE, X86_EFLAGS_IF } from '../../abi/constants.ts';
import type { Trap } from '../../hw/cpu.ts';
import { nextDevice } from './bus.ts';
import { getField, setField } from './guest-struct.ts';
import { klogInit } from './klog.ts';
import { EMPTY_LINE, storeLine } from './line-editor.ts';
import { LGUEST_DATA_GPA } from './layout.ts';
import { printk } from './printk.ts';
import { type Ctx, type Fg, type InitJob, hcall } from './state.ts';
import { hex, prompt, puts } from './tty.ts';

export const KERNEL_VERSION = '2.6.23-lguest-lab';

/** Fill lguest_data, then hand it to the Host. */
export function stepInit(ctx: Ctx, job: InitJob): Trap | null {
  if (job.phase !== 0) return null;
  const m = ctx.mem;
  const D = ctx.L.data;
  const at = LGUEST_DATA_GPA;
  setField(m, at, D, 'irq_enabled', X86_EFLAGS_IF);
  // No timer is modelled, so irq 0 is not blocked (the real guest blocks it until time init).
  setField(m, at, D, 'blocked_interrupts', 0, 0);
  // spec §1.3: every async ring slot starts "done" (0xFF): we make direct hypercalls only.
  for (let i = 0; i < LHCALL_RING_SIZE; i++) setField(m, at, D, 'hcall_status', 0xff, i);
  setField(m, at, D, 'noirq_start', 0);
  setField(m, at, D, 'noirq_end', 0);
  job.phase = 1;
  return hcall(LHCALL_LGUEST_INIT, at);
}

/** Advance the boot foreground by one phase. */
export function bootStep(ctx: Ctx, fg: Extract<Fg, { st: 'boot' }>): 'progress' {
  const s = ctx.s;
  switch (fg.phase) {
    case 'start':
      klogInit(ctx.mem, ctx.L);
      storeLine(ctx.mem, ctx.L, EMPTY_LINE);
      s.jobs.push({ op: 'init', phase: 0 });
      fg.phase = 'banner';
      return 'progress';
    case 'banner': {
      // The Host wrote guestid at LGUEST_INIT (spec §1.2); that, not our own idea of it, names us.
      s.guestid = getField(ctx.mem, LGUEST_DATA_GPA, ctx.L.data, 'guestid');
      printk(ctx, `Linux version ${KERNEL_VERSION} (lguest-lab built-in kernel, ${ctx.L.arch})`);
      printk(ctx, `lguest: guest ${s.guestid}, ${ctx.ramBytes / 1024} KiB RAM, lguest_data at ${hex(LGUEST_DATA_GPA)}`);
      printk(ctx, `lguest_bus: descriptor page at ${hex(ctx.ramBytes)} (pfn ${hex(ctx.ramBytes / PAGE_SIZE)})`);
      fg.phase = 'probe';
      fg.slot = 0;
      return 'progress';
    }
    case 'probe': {
      const i = nextDevice(ctx, fg.slot);
      if (i < 0) {
        fg.phase = 'ready';
        return 'progress';
      }
      s.jobs.push({ op: 'probe', slot: i, phase: 0, bind: null });
      fg.slot = i + 1;
      return 'progress';
    }
    case 'ready':
      printk(ctx, 'lguest: boot complete');
      puts(ctx, '');
      puts(ctx, "Welcome to lguest-lab. Type 'help' for commands.");
      s.fg = { st: 'prompt' };
      prompt(ctx);
      return 'progress';
  }
}
