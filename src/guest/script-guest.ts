/**
 * The scripted guest: the hypercall workbench (issue #3 contract).
 *
 * A guest whose "kernel" is a list of steps: raw writes and reads of its own
 * memory, hypercalls with raw arguments, `wait` (LHCALL_HALT with interrupts
 * on until an interrupt arrives) and `yield`. Every effect goes through the
 * guest's memory or a trap, so the Host checks everything exactly as it
 * would for a real kernel. Before the first step the runtime makes the
 * LGUEST_INIT call with lguest_data in page 0 (scripts keep their data from
 * 0x1000 up), interrupts enabled and none blocked.
 */
import { LGUEST_DATA } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';
import type { Arch } from '../abi/ctypes.ts';
import { LHCALL_CRASH, LHCALL_HALT, LHCALL_LGUEST_INIT, LHCALL_RING_SIZE, X86_EFLAGS_IF } from '../abi/constants.ts';
import { GuestFault } from '../hw/memory.ts';
import { hexPad } from '../base/printf.ts';
import type { GuestCpu, GuestProgram, Trap } from '../hw/cpu.ts';
import { hypercallNumber } from './hypercall-number.ts';
import type { ScriptStep } from './script-step.ts';

/** Where the runtime writes the oops text it hands to LHCALL_CRASH (page 0, after lguest_data). */
export const OOPS_MESSAGE_GPA = 0x800;

export type StepResult = Record<string, number | number[] | string | boolean | null>;

interface ScriptState {
  /** 'init': LGUEST_INIT not yet made; 'run': executing steps; 'done': past the last step. */
  phase: 'init' | 'run' | 'crash' | 'done';
  pc: number;
  /** The step waiting for a trap's result (hcall/wait), or -1. */
  trapStep: number;
  /** Irqs delivered while no `wait` was in progress, oldest first. */
  latched: number[];
  results: (StepResult | null)[];
}

export class ScriptGuest implements GuestProgram {
  readonly kernel = 'script';
  private s: ScriptState;
  private readonly data;

  constructor(
    readonly steps: readonly ScriptStep[],
    arch: Arch,
  ) {
    this.data = layoutOf(LGUEST_DATA, arch);
    this.s = { phase: 'init', pc: 0, trapStep: -1, latched: [], results: steps.map(() => null) };
  }

  /** Each step's result so far (null: not executed). */
  get results(): readonly (StepResult | null)[] {
    return this.s.results;
  }

  get pc(): number {
    return this.s.pc;
  }

  /** The step whose trap is outstanding (-1: none). */
  get trapStep(): number {
    return this.s.trapStep;
  }

  save(): unknown {
    return structuredClone(this.s);
  }

  load(state: unknown): void {
    this.s = structuredClone(state as ScriptState);
  }

  run(cpu: GuestCpu, irq: number | null): Trap {
    const s = this.s;
    const F = this.data.fields;
    if (irq !== null) {
      // The handler: note the irq, then iret with interrupts back on (the frame saved IF set).
      const waiting = s.trapStep >= 0 && this.steps[s.trapStep].op === 'wait';
      if (waiting) {
        s.results[s.trapStep] = { irq };
        s.trapStep = -1;
        s.pc++;
      } else s.latched.push(irq);
      cpu.mem.setU32(F.irq_enabled.offset, X86_EFLAGS_IF);
    }
    if (s.phase === 'init') {
      const m = cpu.mem;
      m.setU32(F.irq_enabled.offset, X86_EFLAGS_IF);
      m.setU32(F.blocked_interrupts.offset, 0);
      for (let i = 0; i < LHCALL_RING_SIZE; i++) m.setU8(F.hcall_status.offset + i, 0xff);
      s.phase = 'run';
      return { kind: 'hcall', call: LHCALL_LGUEST_INIT, a1: 0, a2: 0, a3: 0 };
    }
    if (s.phase === 'crash' || s.phase === 'done') return { kind: 'done' };
    if (s.trapStep >= 0) {
      const step = this.steps[s.trapStep];
      if (step.op === 'wait') {
        // HALT returned without an interrupt frame (woken, but the irq could not be delivered).
        s.results[s.trapStep] = { irq: null };
      } else s.results[s.trapStep] = { ret: cpu.eax >>> 0 };
      s.trapStep = -1;
      s.pc++;
    }
    while (s.pc < this.steps.length) {
      const step = this.steps[s.pc];
      try {
        switch (step.op) {
          case 'write':
            writeStep(cpu, step);
            s.results[s.pc] = {};
            s.pc++;
            continue;
          case 'read':
            s.results[s.pc] = readStep(cpu, step);
            s.pc++;
            continue;
          case 'hcall': {
            s.trapStep = s.pc;
            const [a1 = 0, a2 = 0, a3 = 0] = step.args ?? [];
            return { kind: 'hcall', call: hypercallNumber(step.call), a1, a2, a3 };
          }
          case 'wait': {
            const first = s.latched.shift();
            if (first !== undefined) {
              // Already arrived while the script ran: no need to sleep.
              s.results[s.pc] = { irq: first };
              s.pc++;
              continue;
            }
            s.trapStep = s.pc;
            cpu.mem.setU32(F.irq_enabled.offset, X86_EFLAGS_IF);
            return { kind: 'hcall', call: LHCALL_HALT, a1: 0, a2: 0, a3: 0 };
          }
          case 'yield':
            s.results[s.pc] = {};
            s.pc++;
            return { kind: 'yield' };
        }
      } catch (e) {
        if (!(e instanceof GuestFault)) throw e;
        // A real kernel oopses on an unmapped access and panics through LHCALL_CRASH.
        s.results[s.pc] = { fault: `0x${e.gpa.toString(16)}` };
        const msg = `Unable to handle kernel paging request at virtual address ${hexPad(e.gpa, 8)}`;
        for (let i = 0; i < msg.length; i++) cpu.mem.setU8(OOPS_MESSAGE_GPA + i, msg.charCodeAt(i));
        cpu.mem.setU8(OOPS_MESSAGE_GPA + msg.length, 0);
        s.phase = 'crash';
        return { kind: 'hcall', call: LHCALL_CRASH, a1: OOPS_MESSAGE_GPA, a2: 0, a3: 0 };
      }
    }
    s.phase = 'done';
    return { kind: 'done' };
  }
}

function writeStep(cpu: GuestCpu, step: Extract<ScriptStep, { op: 'write' }>): void {
  const m = cpu.mem;
  let at = step.addr;
  if (step.u32) for (const v of step.u32) (m.setU32(at, v), (at += 4));
  else if (step.u16) for (const v of step.u16) (m.setU16(at, v), (at += 2));
  else if (step.u8) for (const v of step.u8) (m.setU8(at, v), (at += 1));
  else if (step.text !== undefined) {
    const bytes = new TextEncoder().encode(step.text);
    for (const b of bytes) m.setU8(at++, b);
  }
}

function readStep(cpu: GuestCpu, step: Extract<ScriptStep, { op: 'read' }>): StepResult {
  const m = cpu.mem;
  const values: number[] = [];
  if (step.u32 !== undefined) for (let i = 0; i < step.u32; i++) values.push(m.u32(step.addr + 4 * i));
  else if (step.u16 !== undefined) for (let i = 0; i < step.u16; i++) values.push(m.u16(step.addr + 2 * i));
  else if (step.u8 !== undefined) for (let i = 0; i < step.u8; i++) values.push(m.u8(step.addr + i));
  else {
    const n = step.text ?? 0;
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = m.u8(step.addr + i);
      if (c === 0) break;
      bytes.push(c);
    }
    return { text: new TextDecoder().decode(Uint8Array.from(bytes)) };
  }
  return { values };
}
