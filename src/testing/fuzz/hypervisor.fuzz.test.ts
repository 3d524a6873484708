/**
 * Hypervisor invariants under fuzzing (issue #7, first part).
 *
 * fast-check generates scenarios of 2-4 scripted guests (64-256 KiB of RAM,
 * one or two `shared` regions mapped into several guests at different gpas)
 * whose scripts are random sequences of: lguest_dma struct writes (valid,
 * edge and hostile sections), BIND_DMA / unbind / bursts of binds, SEND_DMA,
 * async-ring hypercalls, random other hypercall numbers (invalid ones
 * included), IDT loads, scribbles over lguest_data, `wait` and `yield`; plus
 * timed console input and LHREQ_GETDMA / LHREQ_IRQ requests made by the
 * Launchers between quanta. Scripts are built with src/guest/script-builders.ts.
 *
 * The `Auditor` checks invariants AFTER EVERY QUANTUM (and at each event),
 * against its own model of the Host built from the spec, not from the code:
 *
 * - no exception escapes the Machine, the Host or the Launcher;
 * - every changed byte of every guest (private RAM and shared objects) was
 *   written through the guest-memory accessors at a physical place our own
 *   page map (from the scenario) says that gpa is, and every such write is
 *   explained: the running guest's script steps, the runtime's lguest_data
 *   fields, INIT's fields (spec §1.2), async-ring status bytes, irq_enabled on
 *   interrupt entry (§6), or the event that follows it: a DMA (only inside the
 *   receiving entry's sections, the first `bytes` of them, and the two
 *   used_len words), LHREQ_GETDMA (the entry's used_len), the Launcher's
 *   output (used_len) and console input (the buffer's sections and used_len);
 * - a DMA goes to the most recently bound matching binding of another guest
 *   (§7.3), into the first free entry scanning from next_dma (§7.6, §7.7),
 *   copies min(source, destination) bytes (§7.9, §7.10) with the right
 *   content, writes that count to both used_len words (§7.11) and is followed
 *   by the receiver's irq (§7.13); a full receiver gives exactly two DMA_FULL
 *   (§7.14); sections breaking check_dma_list never copy (§7.15);
 * - BIND_DMA / unbind / GETDMA / LHREQ_IRQ results and the binding tables
 *   match the model (§7.19-25), next_dma moves by one per delivery (§7.8),
 *   pending irq bits change only with IRQ_RAISE / IRQ_DELIVER events, and
 *   interrupts are delivered lowest first among unblocked ones (§7.29);
 * - a killed guest never runs again and makes no hypercall after its KILL
 *   (bar the one being handled), is killed once (§7.18), its Launcher exits
 *   and then its bindings are gone while other guests' are untouched;
 * - hypercall handling follows a model of do_hypercalls (§1.2, §3.2 read loop
 *   step 1): after a trap the Host runs the async ring from its own cursor
 *   (each entry whose hcall_status is not 0xFF, at most 64, status set back
 *   to 0xFF), then the direct call, each giving one HCALL event in that
 *   order. A Launcher-bound SEND_DMA in the ring stops the Host: the direct
 *   call stays owed, the guest's code must not run, the Launcher handles the
 *   send (LAUNCHER_READ / LAUNCHER_OUTPUT), and only then, on the next entry,
 *   the Host runs the rest of the ring and the owed call, before anything
 *   else of that guest (its code or its console input); it may stop again on
 *   another Launcher send, the call still owed. A call that kills the guest
 *   ends it all (the simulator's documented simplification of io.c);
 * - the Launcher (§4.1, §4.2): output goes to the device watching the key
 *   (here only the console, key 0: used_len = bytes of all sections), else
 *   the warning "Pending dma %p, key %p" and used_len untouched; the struct
 *   and its sections are pointer-checked first either way (a pointer at or
 *   past the top makes the Launcher exit). Console input: GETDMA key 0; no
 *   buffer → "console: no dma buffer!" and up to 1024 typed bytes dropped;
 *   else min(room, typed) bytes and used_len, then the irq; a buffer with no
 *   room reads 0 → "Failed to get console input, ignoring console.", the
 *   console is ignored from then on (typed bytes go nowhere), as the
 *   Launcher's consoleIgnored and its terminal queue must show;
 * - determinism: a second, unaudited run gives the same events and hash.
 *
 * Reproduce a failure with FUZZ_SEED=<seed> (fast-check prints the seed, the
 * path and the shrunk scenario). FUZZ_RUNS overrides the number of cases.
 * FUZZ_TOLERATE=<tag> looks past a known, reported deviation (its red test
 * stays below); FUZZ_STRICT_RING=1 adds an open question of the spec (the
 * skipped test below). The auditor's own tests (`the auditor rejects wrong
 * behaviour`) make the Machine misbehave on purpose and expect a failure.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LHCALL_BIND_DMA, LHCALL_RING_SIZE, LHCALL_SEND_DMA } from '../../abi/constants.ts';
import { layoutOf } from '../../abi/layout.ts';
import { LGUEST_DATA } from '../../abi/structs.ts';
import { EVENT_KIND_NAMES, EVENT_WORDS, EventKind } from '../../hw/events.ts';
import { Machine } from '../../machine/machine.ts';
import { validateScenario } from '../../scenario/scenario.ts';
import { hcall, packBind, writeDma } from '../../guest/script-builders.ts';
import type { ScriptStep } from '../../guest/script-step.ts';
import { resumeHypercall } from '../../host/hypercalls.ts';
import { SEED, NUM_RUNS, MIN_HYPERCALLS, totals, type Cover, cover } from './budget.ts';
import type { FuzzCase } from './case-gen.ts';
import { type RunResult, runCase, fuzzCaseArb } from './run-case.ts';

// ---------------------------------------------------------------------------

describe('hypervisor invariants under fuzzing (issue #7)', () => {
  afterAll(() => {
    console.log(
      `fuzz: ${totals.hcalls} hypercalls in ${totals.sequences} sequences (${totals.quanta} quanta, ${totals.dmas} DMAs, ${totals.kills} kills, seed ${SEED}, ${(totals.ms / 1000).toFixed(1)} s); ` +
        `${cover.ringCalls} async-ring calls, ${cover.resumed} owed calls resumed (${cover.stoppedAgain} stopped again by a Launcher send), ` +
        `Launcher: ${cover.pendingDmaWarns} "Pending dma", ${cover.noBufferWarns} "no dma buffer", ${cover.consolesIgnored} consoles ignored, ${cover.consoleInputs} console inputs, ${cover.launcherPtrExits} "Invalid address" exits`,
    );
  });

  it('every quantum keeps the Host within the spec, and runs are deterministic', () => {
    const t0 = performance.now();
    try {
      fc.assert(
        fc.property(fuzzCaseArb, (c) => {
          totals.sequences++;
          let first: RunResult;
          try {
            first = runCase(c, true);
          } catch (e) {
            throw new Error(`${(e as Error).message}\nscenario: ${JSON.stringify(c)}`);
          }
          totals.hcalls += first.hcalls;
          totals.quanta += first.quanta;
          totals.dmas += first.dmas;
          totals.kills += first.kills;
          for (const k of Object.keys(cover) as (keyof Cover)[]) cover[k] += first.cover[k];
          // Determinism: the same scenario again, unaudited (so the hooks cannot change behaviour either).
          const again = runCase(c, false);
          const same =
            again.hash === first.hash &&
            again.events.length === first.events.length &&
            Buffer.from(again.events.buffer).equals(Buffer.from(first.events.buffer)) &&
            JSON.stringify(again.strings) === JSON.stringify(first.strings);
          if (!same) throw new Error(`not deterministic: hash ${first.hash} vs ${again.hash}, ${first.events.length / EVENT_WORDS} vs ${again.events.length / EVENT_WORDS} events\nscenario: ${JSON.stringify(c)}`);
        }),
        { seed: SEED, numRuns: NUM_RUNS, verbose: false },
      );
    } finally {
      totals.ms += performance.now() - t0;
    }
    // The volume (only with the default number of runs).
    if (process.env.FUZZ_RUNS === undefined) expect(totals.hcalls).toBeGreaterThanOrEqual(MIN_HYPERCALLS);
  }, 180_000);
});

/**
 * The fuzzer's shrunk counterexamples, kept as plain tests (one guest where
 * the shrunk case had idle extra guests) so each bug has its own red test.
 */
describe('counterexamples found by the fuzzer', () => {
  const one = (script: ScriptStep[], inputs: { guest: number; text: string; at: number }[] = []): FuzzCase => ({
    scenario: { name: 'counterexample', guests: [{ kernel: 'script', memory: 0x10000, script }], inputs },
    ext: [],
  });
  const D = layoutOf(LGUEST_DATA, 'i386').fields;

  it('a direct hypercall still runs after an async SEND_DMA to the Launcher stopped the ring (spec §3.2 step 1, §1.2)', () => {
    // Ring slot 0: SEND_DMA to a private key (the Launcher); then the direct SEND_DMA traps.
    const c = one([
      { op: 'write', addr: D.hcalls.offset, u32: [LHCALL_SEND_DMA, 0x3000, 0x1000, 0] },
      { op: 'write', addr: D.hcall_status.offset, u8: [0] },
      ...writeDma(0x1200, []),
      hcall('SEND_DMA', 0x3000, 0x1200),
    ]);
    expect(() => runCase(c, true)).not.toThrow();
  });

  it('a console buffer with no room does not make the Launcher deliver console input forever (spec §4.2: a read of 0 drops the console)', () => {
    // Key 0 bound to an entry with no sections, on an irq other than the console's (index 0 + 1).
    const c = one([...writeDma(0x1000, []), hcall('BIND_DMA', 0, 0x1000, packBind(1, 2))], [{ guest: 0, text: ' ', at: 3 }]);
    expect(() => runCase(c, true)).not.toThrow();
  });

  it('the entry after the Launcher handled the send runs the rest of the async ring, then the direct call (seed 466519; spec §1.2, §3.2 step 1)', () => {
    const { c, trace } = resumeCase(false);
    expect(() => runCase(c, true)).not.toThrow();
    expect(trace()).toEqual(['hcall 1', 'hcall 13', 'launcher_read', 'launcher_output', 'hcall 12', 'hcall 11', 'done']);
  });

  it('a resumed ring that stops on another Launcher send leaves the direct call owed until the Launcher handled that one too (spec §1.2, §3.2)', () => {
    const { c, trace } = resumeCase(true);
    expect(() => runCase(c, true)).not.toThrow();
    expect(trace()).toEqual(['hcall 1', 'hcall 13', 'launcher_read', 'launcher_output', 'hcall 13', 'launcher_read', 'launcher_output', 'hcall 11', 'done']);
  });

  // Red until the Launcher is fixed: found by the model of handle_output.
  it('a Launcher-bound send no device watches is pointer-checked before the warning: a section ending at top makes the Launcher exit (spec §4.1, §7.39)', () => {
    // Guest RAM 0x10000 + the descriptor page: top = 0x11000; the section 4@0x10ffc ends exactly at top.
    const c = one([...writeDma(0x1000, [{ addr: 0x10ffc, len: 4 }]), hcall('SEND_DMA', 0x3000, 0x1000)]);
    expect(() => runCase(c, true)).not.toThrow();
  });

  // Red until the Launcher is fixed: found by the model of handle_output.
  it('the "Pending dma %p, key %p" warning prints pointers as the userspace Launcher does (glibc: 0x-prefixed, "(nil)" for 0; spec §4.1)', () => {
    const messages = (script: ScriptStep[]): string[] => {
      const m = machineOf(one(script));
      m.runUntilIdle(1000);
      const out: string[] = [];
      for (let i = 0; i < m.events.count; i++) {
        const e = m.events.get(i);
        if (e.kind === EventKind.LAUNCHER_WARN) out.push(m.events.strings[e.a]);
      }
      return out;
    };
    expect(messages([...writeDma(0x1000, []), hcall('SEND_DMA', 0x3000, 0x1000)])).toEqual(['Pending dma 0x1000, key 0x3000']);
    // The struct at gpa 0 (it overlays lguest_data: len[0] is blocked_interrupts, 0, so no sections) on key 0x4.
    expect(messages([hcall('SEND_DMA', 4, 0)])).toEqual(['Pending dma (nil), key 0x4']);
  });

  // `yield` is a scheduling hint, not a trap: the guest does not enter the Host, so its async ring runs
  // at its next hypercall (§1.2), not at the yield. FUZZ_STRICT_RING=1 checks the other reading (§3.2 step 1).
});

/** A Machine for a case, unaudited. */
function machineOf(c: FuzzCase): Machine {
  const v = validateScenario(c.scenario);
  if (!v.ok) throw new Error(v.error.message);
  return new Machine(v.value);
}

/**
 * The owed-call scenario (seed 466519, on one guest): ring slot 0 sends to
 * the Launcher (private key 0x3000), slot 1 is a BIND_DMA (or, `again`, a
 * second Launcher send), and the trapped direct call is GET_WALLCLOCK.
 * `trace()` lists guest 0's hypercalls and Launcher passes, as the last run left them.
 */
function resumeCase(again: boolean): { c: FuzzCase; trace: () => string[] } {
  const D = layoutOf(LGUEST_DATA, 'i386').fields;
  const slot1 = again ? [LHCALL_SEND_DMA, 0x3004, 0x1000, 0] : [LHCALL_BIND_DMA, 0x3008, 0x1100, packBind(1, 3)];
  const c: FuzzCase = {
    scenario: {
      name: 'owed call',
      guests: [
        {
          kernel: 'script',
          memory: 0x10000,
          script: [
            ...writeDma(0x1000, []),
            ...writeDma(0x1100, []),
            { op: 'write', addr: D.hcalls.offset, u32: [LHCALL_SEND_DMA, 0x3000, 0x1000, 0, ...slot1] },
            { op: 'write', addr: D.hcall_status.offset, u8: [0, 0] },
            hcall('GET_WALLCLOCK'),
          ],
        },
      ],
    },
    ext: [],
  };
  const trace = (): string[] => {
    const m = machineOf(c);
    m.runUntilIdle(1000);
    const out: string[] = [];
    for (let i = 0; i < m.events.count; i++) {
      const e = m.events.get(i);
      if (e.kind === EventKind.HCALL) out.push(`hcall ${e.a}`);
      else if (e.kind === EventKind.LAUNCHER_READ || e.kind === EventKind.LAUNCHER_OUTPUT) out.push(EVENT_KIND_NAMES[e.kind]);
    }
    if (m.runState(0) === 'done') out.push('done');
    return out;
  };
  return { c, trace };
}

/**
 * The model must reject what the spec forbids: each case makes the Machine
 * misbehave in one way (after the auditor hooked it) and expects the auditor
 * to say so.
 */
describe('the auditor rejects wrong behaviour', () => {
  type Quantum = { quantum(i: number): 'ran' | 'yield' };
  /** Wrap Machine.quantum (private) with `f(i, original)`. */
  const wrapQuantum = (m: Machine, f: (i: number, q: (i: number) => 'ran' | 'yield') => 'ran' | 'yield'): void => {
    const mm = m as unknown as Quantum;
    const q = mm.quantum.bind(m);
    mm.quantum = (i) => f(i, q);
  };
  const resuming = (m: Machine, i: number): boolean => {
    const g = m.host.guests[i]!;
    return g.pendingHcall !== null && g.pendingDma === null && g.dead === null;
  };
  const rejects = (c: FuzzCase, mutate: (m: Machine) => void, why: RegExp): void => {
    expect(() => runCase(c, true)).not.toThrow();
    expect(() => runCase(c, true, mutate)).toThrow(why);
  };

  it('the owed direct call never running (the guest runs on without it)', () => {
    rejects(
      resumeCase(false).c,
      (m) =>
        wrapQuantum(m, (i, q) => {
          const r = q(i);
          const g = m.host.guests[i]!;
          if (g.pendingDma !== null) g.pendingHcall = null;
          return r;
        }),
      /ran while its trapped hypercall 11\(0x0, 0x0, 0x0\) was still owed/,
    );
  });

  it('the ring and the owed call resuming before the Launcher handled the send', () => {
    rejects(
      resumeCase(false).c,
      (m) => {
        const dev = m.launchers[0].dev;
        const poll = dev.poll.bind(dev);
        let once = true;
        dev.poll = () => {
          const r = poll();
          if (r?.kind === 'dma' && once && m.host.guests[0]!.pendingHcall !== null) {
            once = false;
            return null;
          }
          return r;
        };
      },
      /before its Launcher handled the pending send/,
    );
  });

  it('the direct call running although the resumed ring stopped again on a Launcher send', () => {
    rejects(
      resumeCase(true).c,
      (m) =>
        wrapQuantum(m, (i, q) => {
          const was = resuming(m, i);
          const r = q(i);
          const g = m.host.guests[i]!;
          if (was && g.pendingHcall !== null && g.pendingDma !== null) {
            const pd = g.pendingDma;
            g.pendingDma = null;
            const eax = resumeHypercall(m.host, g);
            if (eax !== null) g.eax = eax;
            if (g.pendingDma === null) g.pendingDma = pd;
          }
          return r;
        }),
      /before its Launcher handled the pending send/,
    );
  });

  it('the owed direct call running before the rest of the async ring', () => {
    rejects(
      resumeCase(false).c,
      (m) =>
        wrapQuantum(m, (i, q) => {
          if (!resuming(m, i)) return q(i);
          // Point the cursor at an empty slot for this pass, so the ring looks drained.
          const g = m.host.guests[i]!;
          const saved = g.nextHcall;
          g.nextHcall = LHCALL_RING_SIZE - 1;
          try {
            return q(i);
          } finally {
            g.nextHcall = saved;
          }
        }),
      /async ring slot 1 is queued with 12\(/,
    );
  });

  it('console input handled while a hypercall is owed', () => {
    // Typed while the Launcher-bound send is pending; the Launcher reads it before the resumed pass.
    const base = resumeCase(false).c;
    const c: FuzzCase = { ...base, scenario: { ...base.scenario, inputs: [{ guest: 0, text: 'x', at: 3 }] } };
    rejects(
      c,
      (m) =>
        wrapQuantum(m, (i, q) => {
          const L = m.launchers[i];
          if (resuming(m, i) && L.ttyPending > 0) {
            L.wakerBreak(2000 + i);
            L.serviceBreak();
            return 'ran';
          }
          return q(i);
        }),
      /handled console input while the Host still owed/,
    );
  });

  it('a console buffer with no room read without the warning', () => {
    const c: FuzzCase = {
      scenario: { name: 'no room', guests: [{ kernel: 'script', memory: 0x10000, script: [...writeDma(0x1000, []), hcall('BIND_DMA', 0, 0x1000, packBind(1, 2))] }], inputs: [{ guest: 0, text: ' ', at: 3 }] },
      ext: [],
    };
    rejects(
      c,
      (m) => {
        const L = m.launchers[0];
        const warn = L.warn.bind(L);
        L.warn = (msg) => {
          if (!msg.startsWith('Failed')) warn(msg);
        };
      },
      /must warn "Failed to get console input, ignoring console\."/,
    );
  });

  it('an unclaimed Launcher send without the "Pending dma" warning', () => {
    const c: FuzzCase = { scenario: { name: 'unclaimed', guests: [{ kernel: 'script', memory: 0x10000, script: [...writeDma(0x1000, []), hcall('SEND_DMA', 0x3000, 0x1000)] }] }, ext: [] };
    rejects(
      c,
      (m) => {
        const L = m.launchers[0];
        L.warn = () => {};
      },
      /did not warn "Pending dma %p, key %p"/,
    );
  });
});
