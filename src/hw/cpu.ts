/**
 * What a simulated guest is, as the Host sees it (ground rule 2).
 *
 * A guest program touches only its own guest-physical memory (through
 * `GuestCpu.mem`) and leaves it only by trapping: a hypercall with the real
 * number and arguments in eax/edx/ebx/ecx (spec §1.2). The Host answers in
 * `cpu.eax` the next time it enters the guest. Interrupts arrive the way the
 * Host delivers them (spec §6): when the Host builds an interrupt frame it
 * enters the program with `irq` set, and the program runs its handler before
 * anything else, then "irets" (irq_enabled restored by the Host's frame).
 *
 * Programs must be deterministic and serializable: `save()` returns plain
 * JSON from which `load()` rebuilds the program exactly (checkpoints, replay).
 * No Date.now, no Math.random, no closures held across traps.
 */
import type { GuestMemory } from '../hw/memory.ts';

export type Trap =
  /** A hypercall (the guest executed int $LGUEST_TRAP_ENTRY). */
  | { readonly kind: 'hcall'; readonly call: number; readonly a1: number; readonly a2: number; readonly a3: number }
  /** Give the other guests a turn without a hypercall (the scripted guest's `yield`). */
  | { readonly kind: 'yield' }
  /** The program has nothing more to do, ever: it idles with interrupts off (the Host never enters it again). */
  | { readonly kind: 'done' };

export interface GuestCpu {
  /** The guest's own memory: RAM, descriptor page, device pages, shared pages mapped into it. */
  readonly mem: GuestMemory;
  /** Result of the previous hypercall (%eax). */
  readonly eax: number;
  /** This guest's index in the Host's table (what LGUEST_INIT writes into lguest_data.guestid). */
  readonly guestIndex: number;
  /** Bytes of RAM (the descriptor page sits right above it: spec §1.4). */
  readonly ramBytes: number;
}

export interface GuestProgram {
  /** Kernel name shown in the UI and the summary ("lguest", "script"). */
  readonly kernel: string;
  /**
   * Run from where the guest stopped until its next trap. `irq` is non-null
   * when the Host just delivered that interrupt: run its handler first.
   */
  run(cpu: GuestCpu, irq: number | null): Trap;
  /** Plain-JSON state from which `load` rebuilds this program. */
  save(): unknown;
  load(state: unknown): void;
}
