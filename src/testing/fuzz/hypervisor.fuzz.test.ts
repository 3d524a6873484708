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
import {
  LGUEST_CONSOLE_DMA_KEY,
  LGUEST_IRQS,
  LGUEST_MAX_DMA,
  LGUEST_MAX_DMA_SECTIONS,
  LHCALL_BIND_DMA,
  LHCALL_CRASH,
  LHCALL_HALT,
  LHCALL_LGUEST_INIT,
  LHCALL_LOAD_IDT_ENTRY,
  LHCALL_LOAD_TLS,
  LHCALL_RING_SIZE,
  LHCALL_SEND_DMA,
  LHREQ_GETDMA,
  LHREQ_IRQ,
  PAGE_SIZE,
} from '../../abi/constants.ts';
import type { Arch } from '../../abi/ctypes.ts';
import { layoutOf, type StructLayout } from '../../abi/layout.ts';
import { LGUEST_DATA, LGUEST_DMA } from '../../abi/structs.ts';
import { EVENT_KIND_NAMES, EVENT_WORDS, EventKind, eventToJson, type EventLog, type SimEvent } from '../../hw/events.ts';
import { Machine } from '../../machine/machine.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import { validateScenario, type Scenario, type ScenarioInput } from '../../scenario/scenario.ts';
import { OOPS_MESSAGE_GPA, ScriptGuest } from '../../guest/script-guest.ts';
import { hcall, packBind, wait, writeDma, yieldStep } from '../../guest/script-builders.ts';
import type { ScriptStep } from '../../guest/script-step.ts';
import type { Trap } from '../../guest/program.ts';
import { resumeHypercall } from '../../host/hypercalls.ts';
import { BINDING_WORDS, BW } from '../../host/lguest.ts';

// ---------------------------------------------------------------------------
// Budget

const SEED = Number(process.env.FUZZ_SEED ?? 0x7_1e57);
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 2600);
/** Quanta per run before we stop looking (scripts are finite; this is only a guard). */
const MAX_QUANTA = 6000;
/** The issue asks for at least this many hypercalls across the property runs. */
const MIN_HYPERCALLS = 100_000;
/**
 * FUZZ_STRICT_RING=1: also require the async ring to be empty whenever the
 * guest's code is entered (spec §3.2: each pass of the read() loop runs the
 * ring first, so a yield would drain it too). Off by default: the simulator
 * runs the ring only when the guest traps with a hypercall.
 */
const STRICT_RING = process.env.FUZZ_STRICT_RING === '1';
/**
 * FUZZ_TOLERATE=tag[,tag]: let the property look past a known, reported
 * deviation (each has its own red test under `counterexamples`):
 * `unclaimed-send-ptr` — a Launcher-bound send no device watches is not
 * pointer-checked before the "Pending dma" warning (spec §4.1).
 */
const TOLERATE = new Set((process.env.FUZZ_TOLERATE ?? '').split(',').filter((x) => x !== ''));

const totals = { hcalls: 0, sequences: 0, quanta: 0, dmas: 0, kills: 0, ms: 0 };
/** What the runs exercised of the do_hypercalls and Launcher models (printed with the summary). */
const newCover = () => ({ ringCalls: 0, resumed: 0, stoppedAgain: 0, pendingDmaWarns: 0, noBufferWarns: 0, consolesIgnored: 0, consoleInputs: 0, launcherPtrExits: 0 });
type Cover = ReturnType<typeof newCover>;
const cover: Cover = newCover();

// ---------------------------------------------------------------------------
// Generated cases: an abstract description, compiled to a scenario per guest

/** A guest-physical address, resolved per guest at compile time. */
type AddrRef =
  /** A struct slot in the private struct area: 0x1000 + idx*0x400 + entry*sizeof(lguest_dma). */
  | { readonly k: 'struct'; readonly idx: number; readonly entry: number }
  /** A private data buffer: 0x3000 + idx*0x400 + off. */
  | { readonly k: 'buf'; readonly idx: number; readonly off: number }
  /** An offset into shared region `region` as this guest maps it (a private buffer if it does not). */
  | { readonly k: 'shared'; readonly region: number; readonly off: number }
  /** Near an edge: RAM end, top of memory, the 32-bit end, a page end (plus delta). */
  | { readonly k: 'edge'; readonly which: number; readonly delta: number }
  | { readonly k: 'raw'; readonly gpa: number };

interface SecGen {
  readonly addr: AddrRef;
  readonly len: number;
  /** Clamp len so the section stays inside its page (a valid section). */
  readonly fit: boolean;
}

type AsyncGen =
  | { readonly call: 'send'; readonly key: AddrRef; readonly dma: AddrRef }
  | { readonly call: 'bind'; readonly key: AddrRef; readonly dmas: AddrRef; readonly num: number; readonly irq: number }
  | { readonly call: 'raw'; readonly n: number; readonly args: readonly [number, number, number] };

type OpGen =
  /** Coherent receive: write `num` entries at struct slot `slot`, then bind them on `key`. */
  | { readonly op: 'recv'; readonly key: AddrRef; readonly slot: number; readonly entries: readonly (readonly SecGen[])[]; readonly irq: number }
  /** Coherent send: write one struct at struct slot `slot` (entry 3), zero used_len, SEND_DMA on `key`. */
  | { readonly op: 'xmit'; readonly key: AddrRef; readonly slot: number; readonly secs: readonly SecGen[] }
  | { readonly op: 'dma'; readonly at: AddrRef; readonly secs: readonly SecGen[]; readonly used: number }
  | { readonly op: 'bind'; readonly key: AddrRef; readonly dmas: AddrRef; readonly num: number; readonly irq: number }
  | { readonly op: 'bindMany'; readonly key: AddrRef; readonly dmas: AddrRef; readonly count: number }
  | { readonly op: 'unbind'; readonly key: AddrRef; readonly dmas: AddrRef }
  | { readonly op: 'send'; readonly key: AddrRef; readonly dma: AddrRef; readonly zero: boolean }
  | { readonly op: 'rearm'; readonly at: AddrRef }
  | { readonly op: 'async'; readonly calls: readonly AsyncGen[]; readonly skew: number }
  | { readonly op: 'hcall'; readonly call: number; readonly args: readonly [number, number, number] }
  | { readonly op: 'idt'; readonly vector: number; readonly hi: number }
  | { readonly op: 'poke'; readonly field: 'irq_enabled' | 'blocked_interrupts' | 'hcall_status'; readonly value: number }
  | { readonly op: 'scribble'; readonly at: AddrRef; readonly words: readonly number[] }
  | { readonly op: 'wait' }
  | { readonly op: 'yield' };

interface GuestGen {
  readonly mem: number;
  readonly ops: readonly OpGen[];
}
interface RegionGen {
  readonly pages: number;
  /** Map it into every guest (else only the guests `maps` names). */
  readonly all: boolean;
  readonly maps: readonly { readonly guest: number; readonly cand: number }[];
}
type ExtGen = { readonly at: number; readonly guest: number } & ({ readonly req: 'getdma'; readonly key: AddrRef } | { readonly req: 'irq'; readonly irq: number });
interface CaseGen {
  readonly arch: Arch;
  readonly guests: readonly GuestGen[];
  readonly regions: readonly RegionGen[];
  readonly inputs: readonly { readonly guest: number; readonly text: string; readonly at: number }[];
  readonly ext: readonly ExtGen[];
}

/** A Launcher request made between quanta: before quantum `at`, guest's Launcher writes {req, arg}. */
interface ExtOp {
  readonly at: number;
  readonly guest: number;
  readonly req: number;
  readonly arg: number;
}

interface FuzzCase {
  readonly scenario: ScenarioInput;
  readonly ext: readonly ExtOp[];
}

const MEMORY_SIZES = [0x10000, 0x18000, 0x20000, 0x30000, 0x40000] as const;

const u32Arb = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 0x3000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) });

const addrArb = (weights: { struct: number; buf: number; shared: number; edge: number; raw: number }): fc.Arbitrary<AddrRef> =>
  fc.oneof(
    { weight: weights.struct, arbitrary: fc.record({ k: fc.constant('struct' as const), idx: fc.integer({ min: 0, max: 7 }), entry: fc.integer({ min: 0, max: 3 }) }) },
    { weight: weights.buf, arbitrary: fc.record({ k: fc.constant('buf' as const), idx: fc.integer({ min: 0, max: 15 }), off: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x3ff })) }) },
    {
      weight: weights.shared,
      arbitrary: fc.record({
        k: fc.constant('shared' as const),
        region: fc.integer({ min: 0, max: 1 }),
        off: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 4, 8, 0x40, 0x100, 0x1000, 0x1ffc) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1fff }) }),
      }),
    },
    { weight: weights.edge, arbitrary: fc.record({ k: fc.constant('edge' as const), which: fc.integer({ min: 0, max: 12 }), delta: fc.integer({ min: -4, max: 4 }) }) },
    { weight: weights.raw, arbitrary: fc.record({ k: fc.constant('raw' as const), gpa: u32Arb }) },
  );

/** Shared keys most guests agree on: a few aligned offsets in either region. */
const channelArb: fc.Arbitrary<AddrRef> = fc.record({
  k: fc.constant('shared' as const),
  region: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
  off: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(4) }, { weight: 1, arbitrary: fc.constantFrom(8, 0x1000) }),
});
const keyArb = fc.oneof(
  { weight: 30, arbitrary: channelArb },
  { weight: 4, arbitrary: addrArb({ struct: 0, buf: 0, shared: 1, edge: 0, raw: 0 }).map((a): AddrRef => (a.k === 'shared' ? { ...a, off: a.off & ~3 } : a)) },
  { weight: 5, arbitrary: fc.constant<AddrRef>({ k: 'raw', gpa: 0 }) },
  { weight: 4, arbitrary: addrArb({ struct: 1, buf: 1, shared: 0, edge: 0, raw: 0 }).map((a): AddrRef => (a.k === 'buf' ? { ...a, off: a.off & ~3 } : a)) },
  // Hostile: unaligned, at/past the top, the 32-bit end (kills "bad dma key" / "bad sending DMA key").
  { weight: 1, arbitrary: addrArb({ struct: 0, buf: 0, shared: 1, edge: 2, raw: 1 }) },
);
const structAddrArb = addrArb({ struct: 30, buf: 0, shared: 6, edge: 1, raw: 0 });
const bufAddrArb = addrArb({ struct: 1, buf: 30, shared: 8, edge: 1, raw: 1 });
/** The private struct slots coherent ops use (a small set, so binds, writes and sends meet). */
const slotArb = fc.integer({ min: 0, max: 3 });

const lenArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 256 }) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4096 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 4096, 4097, 8192, 0xffff) },
);
const fitArb = fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const secArb: fc.Arbitrary<SecGen> = fc.record({ addr: bufAddrArb, len: lenArb, fit: fitArb });
const secsArb = fc.oneof(
  { weight: 8, arbitrary: fc.array(secArb, { minLength: 0, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(secArb, { minLength: 4, maxLength: 15 }) },
  // All 16 sections used: page-sized pieces sum to 64 KiB (or past it with unclamped lens).
  { weight: 1, arbitrary: fc.array(secArb, { minLength: 16, maxLength: 16 }) },
);
const numArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(0xffff, 0x10000, 0x10002, 0xffffff) });
const irqArb = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 31 }) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 32, max: 255 }) });
/** Hypercall numbers: mostly harmless ones, some that kill (INIT again, CRASH, unknown numbers). */
const callArb = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom(0, 3, 4, 5, 7, 8, 9, 11, 14, 15, 16) },
  { weight: 1, arbitrary: fc.constantFrom(LHCALL_LGUEST_INIT, LHCALL_CRASH, LHCALL_HALT) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 17, max: 64 }), fc.constantFrom(0x80000000, 0xffffffff, LHCALL_LOAD_TLS + 1)) },
);
const argsArb = fc.tuple(u32Arb, u32Arb, u32Arb);

const asyncArb: fc.Arbitrary<AsyncGen> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ call: fc.constant('send' as const), key: keyArb, dma: structAddrArb }) },
  { weight: 2, arbitrary: fc.record({ call: fc.constant('bind' as const), key: keyArb, dmas: structAddrArb, num: numArb, irq: irqArb }) },
  { weight: 2, arbitrary: fc.record({ call: fc.constant('raw' as const), n: callArb, args: argsArb }) },
);

const opArb: fc.Arbitrary<OpGen> = fc.oneof(
  {
    weight: 14,
    arbitrary: fc.record({ op: fc.constant('recv' as const), key: keyArb, slot: slotArb, entries: fc.array(secsArb, { minLength: 1, maxLength: 3 }), irq: irqArb }),
  },
  { weight: 22, arbitrary: fc.record({ op: fc.constant('xmit' as const), key: keyArb, slot: slotArb, secs: secsArb }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('dma' as const), at: structAddrArb, secs: secsArb, used: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u32Arb }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('bind' as const), key: keyArb, dmas: structAddrArb, num: numArb, irq: irqArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('bindMany' as const), key: keyArb, dmas: structAddrArb, count: fc.integer({ min: 2, max: 40 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('unbind' as const), key: keyArb, dmas: structAddrArb }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('send' as const), key: keyArb, dma: structAddrArb, zero: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('rearm' as const), at: structAddrArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('async' as const), calls: fc.array(asyncArb, { minLength: 1, maxLength: 4 }), skew: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 63 }) }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('hcall' as const), call: callArb, args: argsArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('idt' as const), vector: fc.integer({ min: 30, max: 70 }), hi: fc.constantFrom(0x8e00, 0x8f00, 0x0e00, 0x0000, 0x8500) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('poke' as const),
      field: fc.constantFrom('irq_enabled' as const, 'blocked_interrupts' as const, 'hcall_status' as const),
      value: fc.oneof(fc.constantFrom(0, 0x200, 0xffffffff, 2), fc.integer({ min: 0, max: 63 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('scribble' as const), at: bufAddrArb, words: fc.array(u32Arb, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.constant<OpGen>({ op: 'wait' }) },
  { weight: 16, arbitrary: fc.constant<OpGen>({ op: 'yield' }) },
);

const guestArb: fc.Arbitrary<GuestGen> = fc.record({
  mem: fc.integer({ min: 0, max: MEMORY_SIZES.length - 1 }),
  ops: fc.array(opArb, { minLength: 0, maxLength: 60, size: 'medium' }),
});
const regionArb: fc.Arbitrary<RegionGen> = fc.record({
  pages: fc.integer({ min: 1, max: 2 }),
  all: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  maps: fc.array(fc.record({ guest: fc.integer({ min: 0, max: 3 }), cand: fc.integer({ min: 0, max: 1 }) }), { minLength: 2, maxLength: 4 }),
});
const extArb: fc.Arbitrary<ExtGen> = fc.oneof(
  fc.record({ at: fc.integer({ min: 0, max: 200 }), guest: fc.integer({ min: 0, max: 3 }), req: fc.constant('getdma' as const), key: keyArb }),
  fc.record({ at: fc.integer({ min: 0, max: 200 }), guest: fc.integer({ min: 0, max: 3 }), req: fc.constant('irq' as const), irq: fc.integer({ min: 0, max: 40 }) }),
);
const caseGenArb: fc.Arbitrary<CaseGen> = fc.record({
  arch: fc.oneof({ weight: 4, arbitrary: fc.constant<Arch>('i386') }, { weight: 1, arbitrary: fc.constant<Arch>('x86_64') }),
  guests: fc.array(guestArb, { minLength: 2, maxLength: 4 }),
  regions: fc.array(regionArb, { minLength: 1, maxLength: 2 }),
  inputs: fc.array(fc.record({ guest: fc.integer({ min: 0, max: 3 }), text: fc.string({ minLength: 1, maxLength: 12 }), at: fc.integer({ min: 0, max: 400 }) }), { maxLength: 2 }),
  ext: fc.array(extArb, { maxLength: 4 }),
});

/**
 * Where region r may sit in a guest: above the descriptor page or inside RAM.
 * Region 0 and region 1 use disjoint candidates (each 2 pages apart), so the
 * regions of one guest never overlap each other or the descriptor page.
 */
const regionCandidates = (region: number, ram: number): readonly [number, number] => (region === 0 ? [ram + 0x1000, 0x8000] : [ram + 0x3000, 0xc000]);

interface GuestCtx {
  readonly ram: number;
  readonly top: number;
  readonly dma: StructLayout;
  readonly data: StructLayout;
  readonly arch: Arch;
  /** Per scenario region index: this guest's gpa of it, or undefined. */
  readonly regionBase: readonly (number | undefined)[];
  readonly regionBytes: readonly number[];
  asyncSlot: number;
}

function resolve(ctx: GuestCtx, a: AddrRef): number {
  switch (a.k) {
    case 'struct':
      return 0x1000 + a.idx * 0x400 + a.entry * ctx.dma.size;
    case 'buf':
      return 0x3000 + a.idx * 0x400 + a.off;
    case 'shared': {
      const base = ctx.regionBase[a.region] ?? ctx.regionBase.find((b) => b !== undefined);
      if (base === undefined) return 0x3000 + (a.off & 0x3fff);
      const r = ctx.regionBase[a.region] !== undefined ? a.region : ctx.regionBase.findIndex((b) => b !== undefined);
      return base + (a.off % ctx.regionBytes[r]);
    }
    case 'edge': {
      const edges = [ctx.ram, ctx.ram - 4, ctx.ram - ctx.dma.size, ctx.top - 4, ctx.top - ctx.dma.size, ctx.top, ctx.top + 4, 0xfffffffc, 0xffffffff - 99, 0x0fff, 0x1ffe, 0x2ffc, 0];
      return (edges[a.which % edges.length] + a.delta) >>> 0;
    }
    case 'raw':
      return a.gpa >>> 0;
  }
}

function compileSections(ctx: GuestCtx, secs: readonly SecGen[]): { addr: number; len: number }[] {
  return secs.map((s) => {
    const addr = resolve(ctx, s.addr);
    let len = s.len & 0xffff;
    if (s.fit && len > 0) len = Math.max(1, Math.min(len, PAGE_SIZE - (addr % PAGE_SIZE)));
    return { addr, len };
  });
}

function compileOp(ctx: GuestCtx, o: OpGen): ScriptStep[] {
  const A = (a: AddrRef): number => resolve(ctx, a);
  switch (o.op) {
    case 'recv': {
      const at = 0x1000 + o.slot * 0x400;
      const out = o.entries.flatMap((secs, j) => writeDma(at + j * ctx.dma.size, compileSections(ctx, secs), 0, ctx.arch));
      return [...out, hcall('BIND_DMA', A(o.key), at, packBind(o.entries.length, o.irq))];
    }
    case 'xmit': {
      const at = 0x1000 + o.slot * 0x400 + 3 * ctx.dma.size;
      return [...writeDma(at, compileSections(ctx, o.secs), 0, ctx.arch), hcall('SEND_DMA', A(o.key), at)];
    }
    case 'dma':
      // Step addresses are u32s: a struct "at the 32-bit end" starts low enough for all its fields.
      return writeDma(Math.min(A(o.at), 0xffffffff - ctx.dma.size), compileSections(ctx, o.secs), o.used >>> 0, ctx.arch);
    case 'bind':
      return [hcall('BIND_DMA', A(o.key), A(o.dmas), packBind(o.num, o.irq))];
    case 'bindMany': {
      // More than 32 binds: the 33rd fails with 0 (spec §7.19).
      const out: ScriptStep[] = [];
      for (let k = 0; k < o.count; k++) out.push(hcall('BIND_DMA', A(o.key), (A(o.dmas) + (k % 3) * ctx.dma.size) >>> 0, packBind(1 + (k % 2), 1 + (k % 31))));
      return out;
    }
    case 'unbind':
      return [hcall('BIND_DMA', A(o.key), A(o.dmas), 0)];
    case 'send': {
      const at = A(o.dma);
      // The guest's wrapper zeroes used_len first (spec §1.2); a hostile one may not.
      return o.zero ? [{ op: 'write', addr: at, u32: [0] }, hcall('SEND_DMA', A(o.key), at)] : [hcall('SEND_DMA', A(o.key), at)];
    }
    case 'rearm':
      return [{ op: 'write', addr: A(o.at) + ctx.dma.fields.used_len.offset, u32: [0] }];
    case 'async': {
      // Queue calls in lguest_data.hcalls[] (args first, then status 0: spec §1.2), run at the next trap.
      const out: ScriptStep[] = [];
      const ring = ctx.data.fields.hcalls.offset;
      const status = ctx.data.fields.hcall_status.offset;
      for (const c of o.calls) {
        const slot = (ctx.asyncSlot + o.skew) % 64;
        ctx.asyncSlot = (ctx.asyncSlot + 1) % 64;
        const words =
          c.call === 'send'
            ? [LHCALL_SEND_DMA, A(c.key), A(c.dma), 0]
            : c.call === 'bind'
              ? [LHCALL_BIND_DMA, A(c.key), A(c.dmas), packBind(c.num, c.irq)]
              : [c.n >>> 0, c.args[0] >>> 0, c.args[1] >>> 0, c.args[2] >>> 0];
        out.push({ op: 'write', addr: ring + slot * 16, u32: words }, { op: 'write', addr: status + slot, u8: [0] });
      }
      return out;
    }
    case 'hcall':
      return [hcall(o.call >>> 0, o.args[0] >>> 0, o.args[1] >>> 0, o.args[2] >>> 0)];
    case 'idt':
      return [hcall(LHCALL_LOAD_IDT_ENTRY, o.vector, 0, o.hi)];
    case 'poke': {
      const f = ctx.data.fields[o.field];
      if (o.field === 'hcall_status') return [{ op: 'write', addr: f.offset + (o.value & 63), u8: [0] }];
      return [{ op: 'write', addr: f.offset, u32: [o.value >>> 0] }];
    }
    case 'scribble':
      return [{ op: 'write', addr: A(o.at), u32: o.words.map((w) => w >>> 0) }];
    case 'wait':
      return [wait];
    case 'yield':
      return [yieldStep];
  }
}

function compileCase(g: CaseGen): FuzzCase {
  const n = g.guests.length;
  const rams = g.guests.map((x) => MEMORY_SIZES[x.mem]);
  const shared: { pages: number; map: { guest: number; gpa: number }[] }[] = [];
  const bases: (number | undefined)[][] = g.guests.map(() => []);
  g.regions.forEach((r, ri) => {
    const seen = new Set<number>();
    const map: { guest: number; gpa: number }[] = [];
    const maps = r.all ? g.guests.map((_, guest) => ({ guest, cand: r.maps[guest % r.maps.length].cand })) : r.maps;
    for (const m of maps) {
      const guest = m.guest % n;
      if (seen.has(guest)) continue;
      seen.add(guest);
      map.push({ guest, gpa: regionCandidates(ri, rams[guest])[m.cand] });
    }
    if (map.length === 0) return;
    for (const m of map) bases[m.guest][shared.length] = m.gpa;
    shared.push({ pages: r.pages, map });
  });
  const dma = layoutOf(LGUEST_DMA, g.arch);
  const data = layoutOf(LGUEST_DATA, g.arch);
  const ctxs: GuestCtx[] = g.guests.map((_, i) => {
    let top = rams[i] + PAGE_SIZE;
    shared.forEach((r, ri) => {
      const b = bases[i][ri];
      if (b !== undefined) top = Math.max(top, b + r.pages * PAGE_SIZE);
    });
    return { ram: rams[i], top, dma, data, arch: g.arch, regionBase: shared.map((_, ri) => bases[i][ri]), regionBytes: shared.map((r) => r.pages * PAGE_SIZE), asyncSlot: 0 };
  });
  const guests = g.guests.map((x, i) => ({ kernel: 'script' as const, memory: rams[i], script: x.ops.flatMap((o) => compileOp(ctxs[i], o)) }));
  const inputs = g.inputs.map((x) => ({ guest: x.guest % n, text: x.text, at: x.at }));
  const ext: ExtOp[] = g.ext
    .map((e) => ({ at: e.at, guest: e.guest % n, req: e.req === 'getdma' ? LHREQ_GETDMA : LHREQ_IRQ, arg: e.req === 'getdma' ? resolve(ctxs[e.guest % n], e.key) : e.irq }))
    .sort((a, b) => a.at - b.at);
  return { scenario: { name: 'fuzz', arch: g.arch, guests, shared, inputs }, ext };
}

// ---------------------------------------------------------------------------
// The auditor: a spec model of the Host plus byte-level write accounting

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const callText = (t: TrapCall): string => `${t.call}(${hex(t.a1)}, ${hex(t.a2)}, ${hex(t.a3)})`;
const sameCall = (x: TrapCall, y: TrapCall): boolean => x.call >>> 0 === y.call >>> 0 && x.a1 >>> 0 === y.a1 >>> 0 && x.a2 >>> 0 === y.a2 >>> 0 && x.a3 >>> 0 === y.a3 >>> 0;
/**
 * `%p` as the Launcher prints it: it is a userspace program (warnx from
 * glibc), so 0x-prefixed hex, and "(nil)" for a null pointer.
 */
const userPtr = (v: number): string => ((v >>> 0) === 0 ? '(nil)' : hex(v));
/**
 * The kernel's `%p` (8 zero-padded hex digits). The property accepts the
 * "Pending dma" warning with either rendering as long as the values are
 * right; the exact wording has its own test below (`counterexamples`).
 */
const kernelPtr = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
const ENOENT_RET = -2 >>> 0;
const EINVAL_RET = -22 >>> 0;

/** A piece of physical memory: a range of a guest's private bytes or of a shared object. */
interface Seg {
  readonly arr: Uint8Array;
  readonly off: number;
  readonly len: number;
}

type Phase = 'script' | 'host';

interface WriteRec {
  readonly g: number;
  readonly gpa: number;
  readonly len: number;
  /** Index of the next event pushed after this write (the event that should explain it). */
  readonly ev: number;
  readonly seq: number;
  readonly phase: Phase;
  readonly segs: readonly Seg[];
  /** Bytes before the write (host writes only), to rebuild the state an operation saw. */
  readonly before: readonly Uint8Array[] | null;
  /** The async-ring completion byte of the slot just run (hcall_status[n] := 0xFF after the call: spec §1.2). */
  readonly status: boolean;
  explained: boolean;
}

interface BindModel {
  readonly key: number;
  readonly dmas: number;
  readonly num: number;
  readonly irq: number;
  readonly shared: number;
  readonly ident: number;
  readonly id: string;
  readonly seq: number;
  next: number;
}

interface TrapCall {
  readonly call: number;
  readonly a1: number;
  readonly a2: number;
  readonly a3: number;
}

/**
 * One do_hypercalls() of a guest in progress (spec §1.2, §3.2 step 1): after
 * its trap, or on the entry after the Launcher handled a send that stopped it.
 */
interface HcallSession {
  /** The trapped direct call. */
  readonly trap: TrapCall;
  /** The guest's very first call: initialize(), no ring. */
  readonly init: boolean;
  /** Ring entries run so far in this do_async_hcalls (at most LHCALL_RING_SIZE). */
  iter: number;
  /** Index in `writes` from which host writes belong to the call now running. */
  from: number;
  /** A call did not match the model: stop predicting (the first failure says why). */
  broken: boolean;
  /** This is the entry after the Launcher handled a send that stopped the Host. */
  readonly resumed: boolean;
}

/** A read() that returned a Launcher-bound send: what handle_output must do with it (spec §4.1). */
interface OutputModel {
  readonly g: number;
  readonly key: number;
  readonly dma: number;
  /** Index of the device watching the key, -1: none ("Pending dma %p, key %p"). */
  readonly dev: number;
  /** The first pointer the Launcher's check rejects (it must exit), or null. */
  readonly badPtr: string | null;
  warned: boolean;
}

/** The console input handler at work in this quantum (spec §4.2). */
interface ConsoleInModel {
  readonly g: number;
  /** The model found a buffer (GETDMA did not fail: a gpa can look like -ENOENT as a u32). */
  readonly found: boolean;
  /** GETDMA's result: the buffer's gpa. */
  readonly udma: number;
  /** The irq GETDMA handed back in used_len (-1: none). */
  readonly irq: number;
  readonly badPtr: string | null;
  warned: 'none' | 'nobuf' | 'failed';
  delivered: boolean;
  irqSent: boolean;
}

interface Sections {
  readonly len: readonly number[];
  readonly addr: readonly number[];
}

/** Our own page map (from the scenario, not from GuestMemory): gpa → physical bytes. */
class PhysMap {
  readonly tops: number[] = [];
  private readonly priv: Uint8Array[] = [];
  private readonly shared: Map<number, { readonly arr: Uint8Array; readonly base: number; readonly region: number }>[] = [];

  constructor(m: Machine, sc: Scenario) {
    for (const L of m.launchers) {
      this.priv.push(L.memory.bytes);
      this.tops.push(L.memory.top);
      this.shared.push(new Map());
    }
    (sc.shared ?? []).forEach((r, ri) => {
      const obj = m.sharedObjects[ri];
      if (!obj || obj.pages !== r.pages || obj.id !== ri) throw new Error(`harness: shared object ${ri} does not match the scenario region`);
      for (const mp of r.map) for (let p = 0; p < r.pages; p++) this.shared[mp.guest].set((mp.gpa >>> 12) + p, { arr: obj.bytes, base: p * PAGE_SIZE, region: ri });
    });
  }

  segs(g: number, gpa: number, len: number): Seg[] {
    const out: Seg[] = [];
    let at = gpa;
    const end = gpa + len;
    while (at < end) {
      const pfn = Math.floor(at / PAGE_SIZE);
      const o = at % PAGE_SIZE;
      const n = Math.min(end - at, PAGE_SIZE - o);
      const sh = this.shared[g].get(pfn);
      out.push(sh ? { arr: sh.arr, off: sh.base + o, len: n } : { arr: this.priv[g], off: at, len: n });
      at += n;
    }
    return out;
  }

  read(g: number, gpa: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let o = 0;
    for (const s of this.segs(g, gpa, len)) {
      out.set(s.arr.subarray(s.off, s.off + s.len), o);
      o += s.len;
    }
    return out;
  }

  u32(g: number, gpa: number): number {
    const b = this.read(g, gpa, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  /** lguest_address_ok (spec §2.1): (addr+len)/4096 < pfn_limit and no 32-bit wrap. */
  addressOk(g: number, addr: number, len: number): boolean {
    const end = addr + len;
    return end <= 0xffffffff && Math.floor(end / PAGE_SIZE) < this.tops[g] / PAGE_SIZE;
  }

  /** The futex key of spec §2.2: null when unaligned or outside guest memory. */
  keyOf(g: number, key: number): { shared: number; ident: number; id: string } | null {
    if (key % 4 !== 0 || key + 4 > this.tops[g]) return null;
    const sh = this.shared[g].get(Math.floor(key / PAGE_SIZE));
    if (!sh) return { shared: 0, ident: key, id: `p${g}:${key}` };
    const ident = sh.base + (key % PAGE_SIZE);
    return { shared: 1 + sh.region, ident, id: `s${sh.region}:${ident}` };
  }

  backings(): Uint8Array[] {
    const out = [...this.priv];
    for (const m of this.shared) for (const v of m.values()) if (!out.includes(v.arr)) out.push(v.arr);
    return out;
  }
}

const le32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const le16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
const inside = (w: { gpa: number; len: number }, lo: number, n: number): boolean => w.gpa >= lo && w.gpa + w.len <= lo + n;
const sectionTotal = (s: Sections): number => {
  let t = 0;
  for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) t += s.len[i];
  return t;
};

class Auditor {
  readonly violations: string[] = [];
  private readonly phys: PhysMap;
  private readonly n: number;
  private readonly dma: StructLayout;
  private readonly data: StructLayout;
  private readonly backings: Uint8Array[];
  private readonly snaps: Uint8Array[];
  private readonly marks: Uint8Array[];
  private readonly bufs: { cur: Buffer; snap: Buffer }[];
  // Per-quantum state
  quantum = 0;
  private kind: 'step' | 'ext' = 'step';
  private writes: WriteRec[] = [];
  private seq = 0;
  private phase: Phase = 'host';
  private ranGuest = -1;
  private runStartSeq = Number.POSITIVE_INFINITY;
  private callEvents: SimEvent[] = [];
  private callWriteStart = 0;
  private expectIrq: { g: number; irq: number; after: string } | null = null;
  /** Per guest: the do_hypercalls() running in this quantum. */
  private session: (HcallSession | null)[];
  /** Per guest: the ring slot just run, whose hcall_status byte the Host now sets to 0xFF (-1: none). */
  private lastEntry: number[];
  /** Per guest: a ring slot whose status must read 0xFF before the next call / at the end of the quantum. */
  private statusDue: number[];
  private out: OutputModel | null = null;
  private conIn: ConsoleInModel | null = null;
  // The spec model
  /** Per guest: the trapped direct hypercall the Host has not run yet (lg->regs->trapnum still set). */
  private readonly owed: (TrapCall | null)[];
  /** Per guest: lg->next_hcall, the Host's ring cursor. */
  private readonly cursor: number[];
  /** Per guest: the console's descriptor index (the last one: number of command-line devices, §4.2). */
  private readonly consoleIndex: number[];
  /** Per guest: bytes typed and not yet read by the Launcher; the console is ignored. */
  private readonly tty: number[];
  private readonly ignored: boolean[];
  private readonly initialized: boolean[];
  private readonly lguestData: number[];
  private readonly bind: (BindModel | null)[][];
  private bindSeq = 0;
  private readonly pending: number[];
  private readonly killedAt: number[];
  private readonly killedQuantum: number[];
  private readonly afterKill: number[];
  private readonly exited: boolean[];
  private readonly pendingDma: ({ dma: number; key: number } | null)[];
  dmas = 0;
  kills = 0;
  readonly cover: Cover = newCover();

  constructor(
    private readonly m: Machine,
    sc: Scenario,
  ) {
    this.phys = new PhysMap(m, sc);
    this.n = m.launchers.length;
    this.dma = layoutOf(LGUEST_DMA, m.host.arch);
    this.data = layoutOf(LGUEST_DATA, m.host.arch);
    const n = this.n;
    const fill = <T>(v: () => T): T[] => Array.from({ length: n }, v);
    this.session = fill(() => null);
    this.lastEntry = fill(() => -1);
    this.statusDue = fill(() => -1);
    this.owed = fill(() => null);
    this.cursor = fill(() => 0);
    this.consoleIndex = sc.guests.map((x) => (x.devices ?? []).length);
    if (sc.guests.some((x) => (x.devices ?? []).length > 0)) throw new Error('harness: the Launcher model knows only the console (no command-line devices)');
    this.tty = fill(() => 0);
    this.ignored = fill(() => false);
    this.initialized = fill(() => false);
    this.lguestData = fill(() => 0);
    this.bind = fill(() => new Array<BindModel | null>(LGUEST_MAX_DMA).fill(null));
    this.pending = fill(() => 0);
    this.killedAt = fill(() => -1);
    this.killedQuantum = fill(() => -1);
    this.afterKill = fill(() => 0);
    this.exited = fill(() => false);
    this.pendingDma = fill(() => null);
    this.backings = this.phys.backings();
    this.snaps = this.backings.map((b) => b.slice());
    this.marks = this.backings.map((b) => new Uint8Array(b.length));
    this.bufs = this.backings.map((b, i) => ({ cur: Buffer.from(b.buffer, b.byteOffset, b.byteLength), snap: Buffer.from(this.snaps[i].buffer) }));
    // The guests were created before we looked: nothing of theirs is bound or pending yet.
    for (let g = 0; g < n; g++) {
      const hg = m.host.guests[g];
      if (!hg || hg.index !== g) throw new Error(`harness: guest ${g} is not Host slot ${g}`);
      this.hookMemory(g, m.launchers[g].memory);
      this.hookProgram(g);
    }
    this.hookEvents(m.events);
  }

  private fail(msg: string): void {
    if (this.violations.length < 6) this.violations.push(`quantum ${this.quantum} (${this.kind}): ${msg}`);
  }

  // ---- hooks ---------------------------------------------------------------

  private hookEvents(log: EventLog): void {
    const push = log.push.bind(log);
    log.push = (...args: Parameters<EventLog['push']>): void => {
      push(...args);
      try {
        this.onEvent(log.count - 1);
      } catch (e) {
        this.fail(`auditor error at event ${log.count - 1}: ${(e as Error).stack ?? String(e)}`);
      }
    };
  }

  /** Log every write through the guest-memory accessors (outermost call only) with the bytes it replaces. */
  private hookMemory(g: number, mem: GuestMemory): void {
    let depth = 0;
    const ok = (gpa: number, len: number): boolean => len > 0 && gpa >= 0 && gpa + len <= mem.top;
    const wrap =
      <A extends unknown[]>(f: (...a: A) => void, range: (...a: A) => number): ((...a: A) => void) =>
      (...a: A): void => {
        if (depth === 0) {
          const len = range(...a);
          if (len > 0) this.onWrite(g, a[0] as number, len);
        }
        depth++;
        try {
          f(...a);
        } finally {
          depth--;
        }
      };
    mem.setU8 = wrap<[number, number]>(mem.setU8.bind(mem), (gpa: number) => (ok(gpa, 1) ? 1 : 0));
    mem.setU16 = wrap<[number, number]>(mem.setU16.bind(mem), (gpa: number) => (ok(gpa, 2) ? 2 : 0));
    mem.setU32 = wrap<[number, number]>(mem.setU32.bind(mem), (gpa: number) => (ok(gpa, 4) ? 4 : 0));
    mem.write = wrap<[number, Uint8Array]>(mem.write.bind(mem), (gpa: number, src: Uint8Array) => (ok(gpa, src.length) ? src.length : 0));
    const copyLen = (dst: number, src: GuestMemory, srcGpa: number, len: number): number => (ok(dst, len) && srcGpa >= 0 && srcGpa + len <= src.top ? len : 0);
    mem.copyFrom = wrap<[number, GuestMemory, number, number]>(mem.copyFrom.bind(mem), copyLen);
    // The DMA engine's per-page copy. A write path not hooked here still cannot hide: checkDiff flags its bytes.
    mem.copyInPage = wrap<[number, GuestMemory, number, number]>(mem.copyInPage.bind(mem), copyLen);
  }

  private hookProgram(g: number): void {
    const prog = this.m.programs[g];
    if (!(prog instanceof ScriptGuest)) throw new Error(`harness: guest ${g} is not a scripted guest`);
    const run = prog.run.bind(prog);
    prog.run = (cpu, irq): Trap => {
      const hg = this.m.host.guests[g]!;
      // A killed guest never runs again (spec §2.1); a Launcher-bound send is synchronous (§7.40).
      if (hg.dead !== null || this.killedAt[g] >= 0 || this.exited[g]) this.fail(`guest ${g} ran after it was killed (${JSON.stringify(hg.dead)})`);
      if (hg.pendingDma !== null) this.fail(`guest ${g} ran while its SEND_DMA to the Launcher was pending (spec §7.40)`);
      if (this.kind !== 'step' || (this.ranGuest >= 0 && this.ranGuest !== g)) this.fail(`guest ${g} ran outside its own quantum`);
      const owed = this.owed[g];
      if (owed) {
        this.owed[g] = null;
        this.fail(
          `guest ${g}'s code ran while its trapped hypercall ${callText(owed)} was still owed: an async SEND_DMA to the Launcher stopped the Host first, ` +
            `and the guest is running again without it (spec §3.2 read loop step 1 runs pending hypercalls, the rest of the async ring then the direct one, after the Launcher's next read())`,
        );
      }
      if (this.session[g]) this.fail(`guest ${g}'s code ran in the middle of the Host's handling of its hypercall ${callText(this.session[g]!.trap)}`);
      if (STRICT_RING && this.initialized[g]) {
        const st = this.phys.read(g, this.lguestData[g] + this.data.fields.hcall_status.offset + this.cursor[g], 1)[0];
        if (st !== 0xff) this.fail(`guest ${g} was entered with async ring slot ${this.cursor[g]} still queued (spec §3.2 step 1: every read() loop runs the ring before running the guest)`);
      }
      // Interrupt entry (spec §6) may have written irq_enabled before the code runs: 0x200 when it
      // un-halts the guest (even with no interrupt delivered, e.g. its IDT entry is not present), 0 for an interrupt gate.
      const irqEnabled = this.lguestData[g] + this.data.fields.irq_enabled.offset;
      for (const w of this.writes) {
        if (w.phase !== 'host' || w.explained || w.g !== g || !inside(w, irqEnabled, 4)) continue;
        const v = this.phys.u32(g, irqEnabled);
        if (v === 0x200 || v === 0) w.explained = true;
        else this.fail(`the Host wrote irq_enabled = ${hex(v)} into guest ${g} before entering it (spec §6: 0x200 to un-halt, 0 for an interrupt gate)`);
      }
      this.ranGuest = g;
      this.runStartSeq = this.seq;
      const pcBefore = prog.pc;
      this.phase = 'script';
      let trap: Trap;
      try {
        trap = run(cpu, irq);
      } finally {
        this.phase = 'host';
      }
      this.checkScriptWrites(g, prog, pcBefore, trap);
      if (trap.kind === 'hcall') {
        // do_hypercalls() starts now: initialize() for the first call, else the ring, then the direct call.
        const t = { call: trap.call >>> 0, a1: trap.a1 >>> 0, a2: trap.a2 >>> 0, a3: trap.a3 >>> 0 };
        const init = !this.initialized[g];
        if (!init) this.owed[g] = t;
        this.session[g] = { trap: t, init, iter: 0, from: this.writes.length, broken: false, resumed: false };
      }
      return trap;
    };
  }

  private onWrite(g: number, gpa: number, len: number): void {
    const segs = this.phys.segs(g, gpa, len);
    const host = this.phase === 'host';
    // The one status byte the Host may set now: that of the ring slot it just ran.
    const statusAt = this.lguestData[g] + this.data.fields.hcall_status.offset + this.lastEntry[g];
    this.writes.push({
      g,
      gpa,
      len,
      ev: this.m.events.count,
      seq: this.seq++,
      phase: this.phase,
      segs,
      before: host ? segs.map((s) => s.arr.slice(s.off, s.off + s.len)) : null,
      status: host && len === 1 && this.lastEntry[g] >= 0 && gpa === statusAt,
      explained: false,
    });
  }

  /** Script-phase writes: only the executed `write` steps, and the runtime's lguest_data/oops bytes. */
  private checkScriptWrites(g: number, prog: ScriptGuest, pcBefore: number, trap: Trap): void {
    const F = this.data.fields;
    const allowed: [number, number][] = [[F.irq_enabled.offset, 4]];
    if (trap.kind === 'hcall' && trap.call === LHCALL_LGUEST_INIT && pcBefore === 0) allowed.push([F.blocked_interrupts.offset, F.blocked_interrupts.size], [F.hcall_status.offset, 64]);
    if (trap.kind === 'hcall' && trap.call === LHCALL_CRASH && trap.a1 === OOPS_MESSAGE_GPA) allowed.push([OOPS_MESSAGE_GPA, 128]);
    const last = Math.min(prog.pc, prog.steps.length - 1);
    for (let k = pcBefore; k <= last; k++) {
      const s = prog.steps[k];
      if (s.op !== 'write') continue;
      const len = s.u32 ? 4 * s.u32.length : s.u16 ? 2 * s.u16.length : s.u8 ? s.u8.length : new TextEncoder().encode(s.text ?? '').length;
      allowed.push([s.addr, len]);
    }
    for (let k = this.writes.length - 1; k >= 0 && this.writes[k].seq >= this.runStartSeq; k--) {
      const w = this.writes[k];
      if (w.phase !== 'script') continue;
      if (w.g === g && allowed.some(([lo, n]) => inside(w, lo, n))) w.explained = true;
      else this.fail(`guest ${g}'s own code wrote ${w.len} bytes at ${hex(w.gpa)} of guest ${w.g}, which no executed script step names`);
    }
  }

  // ---- quanta ----------------------------------------------------------------

  begin(kind: 'step' | 'ext'): void {
    this.kind = kind;
    this.writes = [];
    this.ranGuest = -1;
    this.runStartSeq = Number.POSITIVE_INFINITY;
    this.callEvents = [];
    this.callWriteStart = 0;
    this.lastEntry.fill(-1);
    this.out = null;
    this.conIn = null;
  }

  end(): void {
    if (this.expectIrq) this.fail(`${this.expectIrq.after} for guest ${this.expectIrq.g} was not followed by its IRQ_RAISE (irq ${this.expectIrq.irq}; spec §2.4 step 4, §7.13)`);
    this.expectIrq = null;
    this.checkLeftoverWrites();
    this.checkDiff();
    this.endSessions();
    this.endLauncher();
    this.checkHostState();
    this.quantum++;
  }

  // ---- do_hypercalls ---------------------------------------------------------

  private statusGpa(g: number, slot: number): number {
    return this.lguestData[g] + this.data.fields.hcall_status.offset + slot;
  }

  /**
   * What do_hypercalls() runs next for guest g (spec §1.2): the ring entry at
   * the Host's cursor while its hcall_status is not 0xFF (at most 64 per
   * pass), else the trapped direct call. `window`: host writes to undo to see
   * memory as the Host read it (status is read live here; io.c copies the
   * status array once per pass, which differs only if a call rewrites status
   * bytes, and no generated call can).
   */
  private nextCall(g: number, s: HcallSession, window: readonly WriteRec[]): { slot: number; t: TrapCall } {
    if (!s.init && s.iter < LHCALL_RING_SIZE) {
      const n = this.cursor[g];
      if (this.pre(g, this.statusGpa(g, n), 1, window)[0] !== 0xff) {
        const w = this.pre(g, this.lguestData[g] + this.data.fields.hcalls.offset + 16 * n, 16, window);
        // struct hcall_ring: eax, edx, ebx, ecx (spec §1.3).
        return { slot: n, t: { call: le32(w, 0), a1: le32(w, 4), a2: le32(w, 8), a3: le32(w, 12) } };
      }
    }
    return { slot: -1, t: s.trap };
  }

  /** An HCALL event must be the call the model runs next; starts the resumed do_hypercalls() of an owed call. */
  private sessionBefore(ev: SimEvent): { s: HcallSession | null; slot: number } {
    const g = ev.guest;
    const got = { call: ev.a, a1: ev.b, a2: ev.c, a3: ev.d };
    let s = this.session[g];
    if (!s) {
      const o = this.owed[g];
      const what = `HCALL ${callText(got)} for guest ${g}`;
      if (this.kind !== 'step') this.fail(`${what} during a Launcher write between quanta`);
      else if (this.ranGuest >= 0) this.fail(`${what} in a quantum where guest ${this.ranGuest} ran${this.ranGuest === g ? ', after the Host was done with its trap' : ''}`);
      else if (!o) this.fail(`${what} although no guest ran and no hypercall of guest ${g} is owed`);
      else if (this.pendingDma[g])
        this.fail(`guest ${g}'s hypercalls ran on (${what}) before its Launcher handled the pending send ${JSON.stringify(this.pendingDma[g])} (spec §3.2: read() returns that send first; §7.40)`);
      // The Launcher's next read(): the Host runs the rest of the ring, then the owed call (§3.2 step 1).
      else {
        s = this.session[g] = { trap: o, init: false, iter: 0, from: this.callWriteStart, broken: false, resumed: true };
        this.cover.resumed++;
      }
      if (!s) return { s: null, slot: -1 };
    }
    if (s.broken) return { s, slot: -1 };
    const window = this.writes.slice(s.from).filter((w) => w.phase === 'host');
    const due = this.statusDue[g];
    if (due >= 0) {
      this.statusDue[g] = -1;
      const st = this.pre(g, this.statusGpa(g, due), 1, window)[0];
      if (st !== 0xff) this.fail(`guest ${g}'s async ring slot ${due} ran but its hcall_status is ${hex(st)}, not 0xFF (spec §1.2)`);
    }
    const next = this.nextCall(g, s, window);
    if (!sameCall(got, next.t)) {
      s.broken = true;
      if (next.slot >= 0)
        this.fail(`guest ${g}: the Host ran ${callText(got)}, but async ring slot ${next.slot} is queued with ${callText(next.t)} (spec §1.2: the ring in order from the Host's cursor, before the direct call ${callText(s.trap)})`);
      else this.fail(`guest ${g}: the Host ran ${callText(got)}; with ring slot ${this.cursor[g]} not queued, the next call is the trapped one, ${callText(next.t)} (spec §1.2, §3.2 step 1)`);
      return { s, slot: -1 };
    }
    return { s, slot: next.slot };
  }

  /** After the call's own checks: advance the model's cursor; a kill ends it all, a Launcher send leaves the direct call owed. */
  private sessionAfter(g: number, s: HcallSession | null, slot: number): void {
    this.lastEntry[g] = -1;
    if (!s || s.broken) return;
    s.from = this.writes.length;
    const dead = this.killedAt[g] >= 0 || this.exited[g];
    if (slot >= 0) {
      this.cover.ringCalls++;
      this.cursor[g] = (slot + 1) % LHCALL_RING_SIZE;
      s.iter++;
      this.lastEntry[g] = slot;
      if (dead) {
        // The simulator's documented simplification: a guest killed by an async call runs nothing further.
        this.session[g] = null;
        this.owed[g] = null;
      } else {
        this.statusDue[g] = slot;
        // do_async_hcalls stops after a DMA to the Launcher; do_hypercalls then skips the direct call.
        if (this.pendingDma[g]) {
          this.session[g] = null;
          if (s.resumed) this.cover.stoppedAgain++;
        }
      }
      return;
    }
    // initialize() or the direct call: done.
    this.session[g] = null;
    this.owed[g] = null;
  }

  /** End of a quantum: a do_hypercalls() still open stopped early, which only a kill or a Launcher send may do. */
  private endSessions(): void {
    for (let g = 0; g < this.n; g++) {
      const dead = this.killedAt[g] >= 0 || this.exited[g];
      const due = this.statusDue[g];
      if (due >= 0) {
        this.statusDue[g] = -1;
        const st = this.phys.read(g, this.statusGpa(g, due), 1)[0];
        if (!dead && st !== 0xff) this.fail(`guest ${g}'s async ring slot ${due} ran but its hcall_status is ${hex(st)}, not 0xFF (spec §1.2)`);
      }
      // A dead guest never runs again: nothing of it is owed any more (its KILL may precede the HCALL of the killing call, so not sooner).
      if (dead) this.owed[g] = null;
      const s = this.session[g];
      if (!s) continue;
      this.session[g] = null;
      if (s.broken || dead) continue;
      const next = this.nextCall(g, s, []);
      if (next.slot >= 0)
        this.fail(
          `the Host stopped handling guest ${g}'s hypercalls with async ring slot ${next.slot} (${callText(next.t)}) still queued and no Launcher send pending (spec §1.2: the ring runs on until a DMA to the Launcher; then the direct call ${callText(s.trap)})`,
        );
      else this.fail(`guest ${g} trapped with hypercall ${callText(s.trap)} but it never ran, and no Launcher send is pending (spec §1.2, §3.2 step 1)`);
    }
  }

  // ---- the Launcher ------------------------------------------------------------

  /** _check_pointer over a struct and its sections (spec §4.1): the first range at or past `top`, or null. */
  private launcherBadPtr(g: number, at: number, batch: readonly WriteRec[]): string | null {
    const top = this.phys.tops[g];
    const bad = (a: number, n: number): boolean => a >= top || a + n >= top;
    if (bad(at, this.dma.size)) return `the struct ${this.dma.size}@${hex(at)}`;
    const s = this.preDma(g, at, batch);
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) if (bad(s.addr[i], s.len[i])) return `section ${s.len[i]}@${hex(s.addr[i])}`;
    return null;
  }

  /** End of a quantum: a Launcher that started handling output or console input finished it, or exited. */
  private endLauncher(): void {
    const o = this.out;
    if (o && !this.exited[o.g]) this.fail(`guest ${o.g}'s Launcher read the send {dma ${hex(o.dma)}, key ${hex(o.key)}} but neither handled it nor exited (spec §4.1)`);
    const c = this.conIn;
    if (c && !this.exited[c.g]) {
      if (!c.found && c.warned !== 'nobuf') this.fail(`guest ${c.g} has no console buffer, yet its Launcher did not warn "console: no dma buffer!" (spec §4.2)`);
      if (c.found && !c.delivered) this.fail(`guest ${c.g}'s Launcher got console buffer ${hex(c.udma)} but delivered nothing into it (spec §4.2)`);
      if (c.delivered && !c.irqSent) this.fail(`guest ${c.g}'s Launcher filled console buffer ${hex(c.udma)} but did not trigger its irq ${c.irq} (spec §4.1)`);
    }
  }

  private checkLeftoverWrites(): void {
    const irqOff = this.data.fields.irq_enabled.offset;
    for (const w of this.writes) {
      if (w.explained) continue;
      if (w.phase === 'host' && w.status) continue;
      // Interrupt entry (spec §6): a halted guest gets irq_enabled = 0x200, an interrupt gate 0.
      if (w.phase === 'host' && w.seq < this.runStartSeq && w.g === this.ranGuest && inside(w, this.lguestData[w.g] + irqOff, 4)) continue;
      const next = w.ev < this.m.events.count ? JSON.stringify(eventToJson(this.m.events.get(w.ev), this.m.events.strings)) : 'none';
      this.fail(`unexplained ${w.phase} write of ${w.len} bytes at ${hex(w.gpa)} in guest ${w.g} (next event: ${next})`);
    }
  }

  /** Every changed byte (private or shared, physical) must be covered by a logged write. */
  private checkDiff(): void {
    for (const w of this.writes) for (const s of w.segs) this.marks[this.backings.indexOf(s.arr)].fill(1, s.off, s.off + s.len);
    this.backings.forEach((cur, bi) => {
      const { cur: bc, snap: bs } = this.bufs[bi];
      if (bc.equals(bs)) return;
      const snap = this.snaps[bi];
      const mark = this.marks[bi];
      for (let p = 0; p < cur.length; p += PAGE_SIZE) {
        const e = Math.min(cur.length, p + PAGE_SIZE);
        if (bc.compare(bs, p, e, p, e) === 0) continue;
        for (let j = p; j < e; j++) {
          if (cur[j] !== snap[j] && mark[j] === 0) {
            const what = bi < this.n ? `guest ${bi}'s private byte ${hex(j)}` : `shared object byte ${hex(j)}`;
            this.fail(`${what} changed ${snap[j]} -> ${cur[j]} without any write through the guest-memory accessors at that place`);
            break;
          }
        }
        snap.set(cur.subarray(p, e), p);
      }
    });
    for (const w of this.writes) for (const s of w.segs) this.marks[this.backings.indexOf(s.arr)].fill(0, s.off, s.off + s.len);
  }

  /** Host-side state against the model: bindings, next_dma, pending irqs, death, pending sends. */
  private checkHostState(): void {
    const host = this.m.host;
    for (let g = 0; g < this.n; g++) {
      const hg = host.guests[g]!;
      const b = hg.bindings;
      const order: [number, number][] = [];
      for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
        const at = slot * BINDING_WORDS;
        const mb = this.bind[g][slot];
        if (!mb) {
          if (b[at + BW.interrupt] !== 0) this.fail(`guest ${g} binding slot ${slot} is in use (irq ${b[at + BW.interrupt]}, key ${hex(b[at + BW.key])}) but no BIND_DMA made it${this.exited[g] ? ' (its Launcher has exited: bindings must be gone, spec §2.3)' : ''}`);
          continue;
        }
        const got = { key: b[at + BW.key], dmas: b[at + BW.dmas], num: b[at + BW.numDmas], next: b[at + BW.nextDma], irq: b[at + BW.interrupt], shared: b[at + BW.shared], ident: b[at + BW.ident] };
        const want = { key: mb.key, dmas: mb.dmas, num: mb.num, next: mb.next, irq: mb.irq, shared: mb.shared, ident: mb.ident };
        if (JSON.stringify(got) !== JSON.stringify(want)) this.fail(`guest ${g} binding slot ${slot} is ${JSON.stringify(got)}; the BIND_DMA/DMA events say ${JSON.stringify(want)}`);
        order.push([mb.seq, b[at + BW.seq]]);
      }
      order.sort((x, y) => x[0] - y[0]);
      for (let k = 1; k < order.length; k++) if (order[k][1] <= order[k - 1][1]) this.fail(`guest ${g}'s bindings are not ordered by bind time`);
      if ((hg.pendingIrqs >>> 0) !== this.pending[g]) this.fail(`guest ${g} pending irqs ${hex(hg.pendingIrqs)} but IRQ_RAISE/IRQ_DELIVER events give ${hex(this.pending[g])}`);
      const deadModel = this.killedAt[g] >= 0 || this.exited[g];
      if ((hg.dead !== null) !== deadModel) this.fail(`guest ${g} dead=${JSON.stringify(hg.dead)} but events say ${deadModel ? 'dead' : 'alive'} (a kill needs a KILL event)`);
      if (!this.exited[g]) {
        const pd = hg.pendingDma;
        const want = this.pendingDma[g];
        if ((pd === null) !== (want === null) || (pd && want && (pd.dma !== want.dma || pd.key !== want.key)))
          this.fail(`guest ${g} pending Launcher send ${JSON.stringify(pd)}; events say ${JSON.stringify(want)}`);
        const L = this.m.launchers[g];
        if (L.consoleIgnored !== this.ignored[g]) this.fail(`guest ${g}'s Launcher consoleIgnored=${L.consoleIgnored}; its warnings say ${this.ignored[g]} (spec §4.2)`);
        if (L.ttyPending !== this.tty[g]) this.fail(`guest ${g}'s Launcher holds ${L.ttyPending} typed bytes; INPUT, CONSOLE_INPUT and its warnings leave ${this.tty[g]} (spec §4.2)`);
      }
    }
    for (const [id, list] of host.keyIndex) {
      for (const ref of list) {
        const g = Math.floor(ref / LGUEST_MAX_DMA);
        if (g >= this.n || !this.bind[g][ref % LGUEST_MAX_DMA]) this.fail(`the Host's key index still routes key ${id} to guest ${g} slot ${ref % LGUEST_MAX_DMA}, which is not bound`);
      }
    }
  }

  /** End of a run: a killed guest's Launcher has exited and its bindings are gone. */
  finish(idle: boolean): void {
    if (!idle) return;
    for (let g = 0; g < this.n; g++) {
      const hg = this.m.host.guests[g]!;
      if (hg.dead !== null && this.m.launchers[g].exitMessage === null) this.fail(`guest ${g} is dead (${JSON.stringify(hg.dead)}) but its Launcher never exited`);
      const o = this.owed[g];
      if (o) this.fail(`the Machine went idle with guest ${g}'s trapped hypercall ${callText(o)} still owed (spec §3.2 step 1: the Launcher's next read() runs it)`);
    }
  }

  // ---- events ------------------------------------------------------------------

  /** Host writes made since the previous event: the batch event `idx` must explain. */
  private batch(idx: number): WriteRec[] {
    let k = this.writes.length;
    while (k > 0 && this.writes[k - 1].ev === idx) k--;
    return this.writes.slice(k).filter((w) => w.phase === 'host');
  }

  /** Bytes as they were before the batch's writes (status bytes aside): what the operation read. */
  private pre(g: number, gpa: number, len: number, batch: readonly WriteRec[]): Uint8Array {
    const out = new Uint8Array(len);
    let o = 0;
    for (const s of this.phys.segs(g, gpa, len)) {
      out.set(s.arr.subarray(s.off, s.off + s.len), o);
      for (let k = batch.length - 1; k >= 0; k--) {
        const w = batch[k];
        if (w.status || !w.before) continue;
        w.segs.forEach((ws, j) => {
          if (ws.arr !== s.arr) return;
          const lo = Math.max(ws.off, s.off);
          const hi = Math.min(ws.off + ws.len, s.off + s.len);
          if (lo < hi) out.set(w.before![j].subarray(lo - ws.off, hi - ws.off), o + lo - s.off);
        });
      }
      o += s.len;
    }
    return out;
  }

  private preU32(g: number, gpa: number, batch: readonly WriteRec[]): number {
    return le32(this.pre(g, gpa, 4, batch), 0);
  }

  private preDma(g: number, at: number, batch: readonly WriteRec[]): Sections {
    const L = this.dma;
    const b = this.pre(g, at, L.size, batch);
    const len: number[] = [];
    const addr: number[] = [];
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
      len.push(le16(b, L.fields.len.offset + 2 * i));
      // unsigned long: the low 32 bits are the address on both ABIs.
      addr.push(le32(b, L.fields.addr.offset + L.fields.addr.elemSize * i));
    }
    return { len, addr };
  }

  /** check_dma_list (spec §2.4 step 3a): the first section that should have killed its owner. */
  private badSection(g: number, s: Sections): string | null {
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) {
      const a = s.addr[i];
      const l = s.len[i];
      if (!this.phys.addressOk(g, a, l) || l > PAGE_SIZE || (a % PAGE_SIZE) + l > PAGE_SIZE) return `${l}@${hex(a)}`;
    }
    return null;
  }

  private explain(batch: readonly WriteRec[], ok: (w: WriteRec) => boolean, what: string): void {
    for (const w of batch) {
      if (w.explained || w.status) continue;
      if (ok(w)) w.explained = true;
      else this.fail(`${what} wrote ${w.len} bytes at ${hex(w.gpa)} in guest ${w.g}, outside what it may touch`);
    }
  }

  /** The binding a shared-key send from `s` goes to: most recently bound, of another guest whose Launcher runs (§7.3). */
  private receiverFor(s: number, id: string): { g: number; slot: number; b: BindModel } | null {
    let best: { g: number; slot: number; b: BindModel } | null = null;
    for (let g = 0; g < this.n; g++) {
      if (g === s || this.exited[g]) continue;
      for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
        const b = this.bind[g][slot];
        if (b && b.id === id && (best === null || b.seq > best.b.seq)) best = { g, slot, b };
      }
    }
    return best;
  }

  private onEvent(idx: number): void {
    const ev = this.m.events.get(idx);
    const batch = this.batch(idx);
    if (this.expectIrq && ev.kind !== EventKind.IRQ_RAISE) {
      this.fail(`${this.expectIrq.after} for guest ${this.expectIrq.g} was followed by ${EVENT_KIND_NAMES[ev.kind]} instead of its IRQ_RAISE (spec §2.4 step 4)`);
      this.expectIrq = null;
    }
    this.callEvents.push(ev);
    switch (ev.kind) {
      case EventKind.HCALL: {
        const { s, slot } = this.sessionBefore(ev);
        this.onHcall(ev, batch);
        this.sessionAfter(ev.guest, s, slot);
        break;
      }
      case EventKind.DMA:
        this.dmas++;
        this.onDma(ev, batch);
        break;
      case EventKind.DMA_FULL:
        this.onDmaFull(ev, batch);
        break;
      case EventKind.IRQ_RAISE: {
        if (ev.a >= LGUEST_IRQS) this.fail(`IRQ_RAISE of irq ${ev.a} >= LGUEST_IRQS`);
        if (this.expectIrq && (this.expectIrq.g !== ev.guest || this.expectIrq.irq !== ev.a))
          this.fail(`${this.expectIrq.after} raised irq ${ev.a} on guest ${ev.guest}; the binding says irq ${this.expectIrq.irq} on guest ${this.expectIrq.g} (spec §2.4 step 4)`);
        this.expectIrq = null;
        this.pending[ev.guest] = (this.pending[ev.guest] | (1 << ev.a)) >>> 0;
        break;
      }
      case EventKind.IRQ_DELIVER: {
        const g = ev.guest;
        const blocked = this.phys.u32(g, this.lguestData[g] + this.data.fields.blocked_interrupts.offset);
        const cand = (this.pending[g] & ~blocked) >>> 0;
        const lowest = cand === 0 ? -1 : 31 - Math.clz32(cand & -cand);
        if (ev.a !== lowest) this.fail(`guest ${g} was delivered irq ${ev.a}; pending ${hex(this.pending[g])} unblocked by ${hex(blocked)} makes it ${lowest} (spec §7.29: lowest first)`);
        this.pending[g] = (this.pending[g] & ~(1 << ev.a)) >>> 0;
        this.explain(batch, (w) => w.g === g && inside(w, this.lguestData[g] + this.data.fields.irq_enabled.offset, 4), 'interrupt delivery');
        break;
      }
      case EventKind.KILL: {
        const g = ev.guest;
        this.kills++;
        if (this.killedAt[g] >= 0) this.fail(`guest ${g} killed twice (spec §7.18: the first reason is kept, later kills are ignored)`);
        if (this.exited[g]) this.fail(`guest ${g} killed after its Launcher exited`);
        this.killedAt[g] = idx;
        this.killedQuantum[g] = this.quantum;
        break;
      }
      case EventKind.LHREQ:
        this.onLhreq(ev, batch);
        break;
      case EventKind.LAUNCHER_READ: {
        const g = ev.guest;
        const want = this.pendingDma[g];
        if (!want || want.key !== ev.a || want.dma !== ev.b) this.fail(`guest ${g}'s Launcher read {dma ${hex(ev.b)}, key ${hex(ev.a)}} but the last Launcher-bound SEND_DMA was ${JSON.stringify(want)} (spec §7.2)`);
        // handle_output (§4.1): dma2iov checks the pointers first, then the device watching the key gets it.
        const dev = ev.a === LGUEST_CONSOLE_DMA_KEY ? this.consoleIndex[g] : -1;
        this.out = { g, key: ev.a, dma: ev.b, dev, badPtr: this.launcherBadPtr(g, ev.b, []), warned: false };
        break;
      }
      case EventKind.LAUNCHER_OUTPUT:
        this.onLauncherOutput(ev, batch);
        break;
      case EventKind.LAUNCHER_WARN:
        this.onLauncherWarn(ev, batch);
        break;
      case EventKind.INPUT:
        // Typed at the terminal: queued for the Launcher, unless it ignores the console now (§4.2).
        if (ev.guest < this.n && !this.ignored[ev.guest]) this.tty[ev.guest] += ev.a;
        break;
      case EventKind.CONSOLE_INPUT:
        this.onConsoleInput(ev, batch);
        break;
      case EventKind.LAUNCHER_EXIT: {
        const g = ev.guest;
        if (g >= this.n) break;
        const o = this.out;
        if (o && o.g === g) {
          if (o.badPtr) this.cover.launcherPtrExits++;
          if (o.badPtr === null) this.fail(`guest ${g}'s Launcher exited (${JSON.stringify(this.m.events.strings[ev.a])}) handling the send {dma ${hex(o.dma)}, key ${hex(o.key)}}, whose pointers are all below top (spec §4.1)`);
          this.out = null;
        } else if (this.conIn && this.conIn.g === g) {
          if (this.conIn.badPtr) this.cover.launcherPtrExits++;
          if (this.conIn.badPtr === null) this.fail(`guest ${g}'s Launcher exited (${JSON.stringify(this.m.events.strings[ev.a])}) handling console input although buffer ${hex(this.conIn.udma)} is fine (spec §4.2)`);
          this.conIn = null;
        } else if (this.killedAt[g] < 0) this.fail(`guest ${g}'s Launcher exited (${JSON.stringify(this.m.events.strings[ev.a])}) although its guest was not killed and it was handling nothing`);
        this.exited[g] = true;
        this.bind[g].fill(null);
        this.pendingDma[g] = null;
        this.owed[g] = null;
        break;
      }
      default:
        break;
    }
  }

  private onHcall(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const hg = this.m.host.guests[g]!;
    const [call, edx, ebx, ecx, eax] = [ev.a, ev.b, ev.c, ev.d, ev.e];
    if (this.exited[g]) this.fail(`guest ${g} made hypercall ${call} after its Launcher exited`);
    if (this.killedAt[g] >= 0) {
      // The call being handled when the kill happened may still record itself; nothing after it.
      if (this.killedQuantum[g] !== this.quantum || this.afterKill[g] >= 1) this.fail(`guest ${g} made hypercall ${call} after its KILL (event ${this.killedAt[g]})`);
      this.afterKill[g]++;
    }
    // Killed by an earlier call (a kill inside this call is among this call's events).
    const deadBefore = this.killedAt[g] >= 0 && this.killedAt[g] < (this.callEvents[0]?.index ?? ev.index);
    const expectDead = (why: string): void => {
      if (hg.dead === null) this.fail(`guest ${g} hypercall ${call}(${hex(edx)}, ${hex(ebx)}, ${hex(ecx)}) should have killed it: ${why}`);
    };
    if (!this.initialized[g]) {
      // The first hypercall must be LGUEST_INIT with a good lguest_data page (spec §1.2).
      if (call === LHCALL_LGUEST_INIT && this.phys.addressOk(g, edx, this.data.size)) {
        this.initialized[g] = true;
        this.lguestData[g] = edx;
        const F = this.data.fields;
        const fields: [number, number][] = [F.reserve_mem, F.guestid, F.tsc_khz].map((f) => [edx + f.offset, f.size]);
        this.explain(batch, (w) => w.g === g && fields.some(([lo, n]) => inside(w, lo, n)), 'LGUEST_INIT');
        const id = le16(this.phys.read(g, edx + F.guestid.offset, 2), 0);
        if (id !== g) this.fail(`LGUEST_INIT wrote guestid ${id} for Host guest ${g}`);
      } else expectDead(call === LHCALL_LGUEST_INIT ? 'bad guest page' : 'hypercall before LGUEST_INIT');
    } else if (!deadBefore) {
      switch (call) {
        case LHCALL_BIND_DMA:
          this.onBind(g, edx, ebx, ecx, eax);
          break;
        case LHCALL_SEND_DMA:
          this.onSend(g, edx, ebx);
          break;
        case LHCALL_LGUEST_INIT:
          expectDead('already have lguest_data');
          break;
        case LHCALL_CRASH:
          expectDead('CRASH');
          break;
        default:
          if (call > LHCALL_LOAD_TLS) expectDead('Bad hypercall');
      }
    }
    this.callEvents = [];
    this.callWriteStart = this.writes.length;
  }

  /** BIND_DMA (spec §2.3, §7.19-21) on the model; the Host's answer must agree. */
  private onBind(g: number, key: number, dmas: number, packed: number, eax: number): void {
    const num = (packed >>> 8) & 0xffff;
    const irq = packed & 0xff;
    let want: number;
    if (irq >= LGUEST_IRQS) want = 0;
    else {
      const fk = this.phys.keyOf(g, key);
      if (!fk) {
        if (this.m.host.guests[g]!.dead === null) this.fail(`BIND_DMA on bad key ${hex(key)} did not kill guest ${g} (spec §7.1)`);
        want = 0;
      } else if (irq === 0) {
        const slot = this.bind[g].findIndex((b) => b !== null && b.id === fk.id && b.dmas === dmas);
        if (slot >= 0) this.bind[g][slot] = null;
        want = slot >= 0 ? 1 : 0;
      } else {
        const slot = this.bind[g].findIndex((b) => b === null);
        if (slot >= 0) this.bind[g][slot] = { key, dmas, num, irq, shared: fk.shared, ident: fk.ident, id: fk.id, seq: ++this.bindSeq, next: 0 };
        want = slot >= 0 ? 1 : 0;
      }
    }
    if (eax !== want) this.fail(`guest ${g} BIND_DMA(${hex(key)}, ${hex(dmas)}, ${hex(packed)}) returned ${eax}, spec says ${want}`);
  }

  /** SEND_DMA (spec §2.4): the transfer events of this call must match the model's routing. */
  private onSend(g: number, key: number, udma: number): void {
    const fk = this.phys.keyOf(g, key);
    if (!fk) {
      if (this.m.host.guests[g]!.dead === null) this.fail(`SEND_DMA on bad key ${hex(key)} did not kill guest ${g} (spec §7.1)`);
      return;
    }
    const transfers = this.callEvents.filter((e) => e.kind === EventKind.DMA || e.kind === EventKind.DMA_FULL);
    if (fk.shared === 0) {
      // §7.2: a private key always goes to this guest's Launcher, never through bindings.
      const pd = this.m.host.guests[g]!.pendingDma;
      if (!pd || pd.dma !== udma || pd.key !== key) this.fail(`SEND_DMA(${hex(key)}, ${hex(udma)}) on a private key did not hand the send to the Launcher (pending: ${JSON.stringify(pd)}; spec §7.2)`);
      if (transfers.length > 0) this.fail(`SEND_DMA on private key ${hex(key)} was delivered to another guest (spec §7.2)`);
      this.pendingDma[g] = { dma: udma, key };
      return;
    }
    const rt = this.receiverFor(g, fk.id);
    if (!rt) {
      if (transfers.length > 0) this.fail(`SEND_DMA on shared key ${hex(key)} was delivered although no other guest bound it (spec §7.4)`);
      return;
    }
    if (transfers.length === 0) {
      // No transfer event: the model must predict a kill (silent when that guest is already dead: §7.18)
      // or the abort of spec §2.4 step 3e.
      const L = this.dma;
      const ul = L.fields.used_len.offset;
      const window = this.writes.slice(this.callWriteStart).filter((w) => w.phase === 'host');
      const killEvent = this.callEvents.some((e) => e.kind === EventKind.KILL);
      const killOk = (victim: number): boolean => killEvent || this.killedAt[victim] >= 0;
      let entry = -1;
      for (let i = 0; i < rt.b.num && entry < 0; i++) {
        const at = rt.b.dmas + ((rt.b.next + i) % rt.b.num) * L.size;
        if (!this.phys.addressOk(rt.g, at, L.size)) {
          // §7.16: an unreadable registered array kills the receiver.
          if (!killOk(rt.g)) this.fail(`SEND_DMA: guest ${rt.g}'s entry ${hex(at)} is unreadable, yet nobody was killed (spec §7.16)`);
          return;
        }
        if (this.preU32(rt.g, at + ul, window) === 0) entry = at;
      }
      if (entry < 0) {
        this.fail(`SEND_DMA on key ${hex(key)} to guest ${rt.g}, whose entries are all in use, gave no DMA_FULL (spec §7.13, §7.14)`);
        return;
      }
      const dst = this.preDma(rt.g, entry, window);
      const srcOk = this.phys.addressOk(g, udma, L.size);
      const src = srcOk ? this.preDma(g, udma, window) : null;
      // An unreadable sender struct reads as zeros (an empty source): that is a delivery, not an abort.
      if (!src || src.len[0] === 0) {
        this.fail(`SEND_DMA of an empty source on key ${hex(key)} to guest ${rt.g} (free entry ${hex(entry)}) produced no DMA (spec §2.4 step 3e: only a non-empty source aborts)`);
        return;
      }
      // A failed check_dma_list is a count of 0, not an early return (io.c v2.6.23 do_dma/dma_transfer):
      // the owner dies and the non-empty source aborts at step 3e, after step 3d wrote 0 to the sender.
      if (this.badSection(rt.g, dst) !== null) {
        if (!killOk(rt.g)) this.fail(`SEND_DMA: guest ${rt.g}'s entry ${hex(entry)} has a bad section, yet nobody was killed (spec §7.15)`);
      } else if (this.badSection(g, src) !== null) {
        if (!killOk(g)) this.fail(`SEND_DMA: the sender's struct at ${hex(udma)} is bad, yet it was not killed (spec §7.15)`);
      } else if (dst.len[0] !== 0) {
        this.fail(`SEND_DMA on key ${hex(key)} that guest ${rt.g} bound (free entry ${hex(entry)}) produced no DMA, DMA_FULL or KILL (spec §2.4)`);
        return;
      }
      this.explain(window, (w) => w.g === g && inside(w, udma + ul, 4), 'the aborted SEND_DMA (nothing copied)');
      if (this.phys.u32(g, udma + ul) !== 0) this.fail(`SEND_DMA that copied nothing left the sender's used_len at ${this.phys.u32(g, udma + ul)} (spec §2.4 step 3d: the count, 0)`);
      return;
    }
    const full = transfers.filter((e) => e.kind === EventKind.DMA_FULL).length;
    const done = transfers.length - full;
    if (!((done === 1 && full === 0) || (done === 0 && full === 2))) this.fail(`SEND_DMA gave ${done} DMA and ${full} DMA_FULL events; expected one delivery, or full twice (retry once: spec §7.14)`);
  }

  private routed(ev: SimEvent): { g: number; slot: number; b: BindModel } | null {
    const s = ev.guest;
    const fk = this.phys.keyOf(s, ev.b);
    if (!fk || fk.shared === 0) {
      this.fail(`${EVENT_KIND_NAMES[ev.kind]} from guest ${s} on key ${hex(ev.b)}, which is not a shared key (spec §7.2, §7.5)`);
      return null;
    }
    const rt = this.receiverFor(s, fk.id);
    if (!rt) {
      this.fail(`${EVENT_KIND_NAMES[ev.kind]} from guest ${s} on key ${hex(ev.b)} that no other guest has bound (spec §7.4)`);
      return null;
    }
    if (rt.g !== ev.a) {
      this.fail(`${EVENT_KIND_NAMES[ev.kind]} on key ${hex(ev.b)} went to guest ${ev.a}; the most recently bound matching binding is guest ${rt.g}'s (spec §7.3)`);
      return null;
    }
    return rt;
  }

  /** A delivery: routing, entry choice, byte count, used_len words, content and the bytes it touched. */
  private onDma(ev: SimEvent, batch: readonly WriteRec[]): void {
    const [s, a, c, d, e] = [ev.guest, ev.a, ev.c, ev.d, ev.e];
    const rt = this.routed(ev);
    if (!rt) return;
    const L = this.dma;
    const b = rt.b;
    // §7.6, §7.7: from next_dma, wrapping once, the first entry with used_len == 0 (as it was before this transfer).
    let entry = -1;
    for (let i = 0; i < b.num; i++) {
      const at = b.dmas + ((b.next + i) % b.num) * L.size;
      if (!this.phys.addressOk(a, at, L.size)) {
        this.fail(`DMA delivered although entry ${hex(at)} of guest ${a}'s array is unreadable (spec §7.16: kill the receiver)`);
        return;
      }
      if (this.preU32(a, at + L.fields.used_len.offset, batch) === 0) {
        entry = at;
        break;
      }
    }
    if (entry < 0) {
      this.fail(`DMA into guest ${a}'s entry ${hex(d)} although every entry had a non-zero used_len (spec §7.6)`);
      return;
    }
    if (d !== entry) {
      const was = this.preU32(a, d + L.fields.used_len.offset, batch);
      this.fail(`DMA used guest ${a}'s entry ${hex(d)} (used_len before: ${was}); the first free one from next_dma ${b.next} is ${hex(entry)} (spec §7.6, §7.7)`);
      return;
    }
    const dst = this.preDma(a, d, batch);
    const srcOk = this.phys.addressOk(s, c, L.size);
    const src: Sections = srcOk ? this.preDma(s, c, batch) : { len: new Array<number>(16).fill(0), addr: new Array<number>(16).fill(0) };
    const bad = this.badSection(a, dst) ?? this.badSection(s, src);
    // A failed check is a count of 0 (do_dma), so only an empty source gets this far: it takes the entry with 0 bytes.
    if (bad && (src.len[0] !== 0 || e !== 0)) {
      this.fail(`DMA of ${e} bytes although section ${bad} breaks check_dma_list (spec §7.15: the count is 0 and a non-empty source aborts)`);
      return;
    }
    // §7.9, §7.10: walk both lists, min(rest of source section, rest of destination section) per step.
    const pieces: { dst: number; src: number; n: number }[] = [];
    let si = 0;
    let di = 0;
    let so = 0;
    let dof = 0;
    let count = 0;
    while (si < LGUEST_MAX_DMA_SECTIONS && src.len[si] !== 0 && di < LGUEST_MAX_DMA_SECTIONS && dst.len[di] !== 0) {
      const k = Math.min(src.len[si] - so, dst.len[di] - dof);
      pieces.push({ dst: dst.addr[di] + dof, src: src.addr[si] + so, n: k });
      count += k;
      so += k;
      dof += k;
      if (so === src.len[si]) (si++, (so = 0));
      if (dof === dst.len[di]) (di++, (dof = 0));
    }
    const capacity = sectionTotal(dst);
    if (e !== count) this.fail(`DMA reports ${e} bytes; min(source ${sectionTotal(src)}, destination ${capacity}) is ${count} (spec §7.9)`);
    if (e > capacity) this.fail(`DMA wrote used_len ${e} past the receiving entry's total section length ${capacity}`);
    const ul = L.fields.used_len.offset;
    if (this.phys.u32(a, d + ul) !== e) this.fail(`receiver used_len at ${hex(d)} is ${this.phys.u32(a, d + ul)}, DMA says ${e} (spec §7.11)`);
    if (this.phys.addressOk(s, c + ul, 4) && this.phys.u32(s, c + ul) !== e) this.fail(`sender used_len at ${hex(c)} is ${this.phys.u32(s, c + ul)}, DMA says ${e} (spec §7.11)`);
    this.explain(
      batch,
      (w) => (w.g === a && (inside(w, d + ul, 4) || pieces.some((p) => inside(w, p.dst, p.n)))) || (w.g === s && inside(w, c + ul, 4)),
      `the DMA from guest ${s} (${hex(c)}) into guest ${a}'s entry ${hex(d)}`,
    );
    // Content, when no destination byte aliases a source byte or another destination byte.
    const dstSegs = pieces.flatMap((p) => this.phys.segs(a, p.dst, p.n));
    const srcSegs = pieces.flatMap((p) => this.phys.segs(s, p.src, p.n));
    const overlap = (x: Seg, y: Seg): boolean => x.arr === y.arr && x.off < y.off + y.len && y.off < x.off + x.len;
    const words = [...this.phys.segs(a, d + ul, 4), ...(this.phys.addressOk(s, c + ul, 4) ? this.phys.segs(s, c + ul, 4) : [])];
    const aliased = dstSegs.some((x, i) => srcSegs.some((y) => overlap(x, y)) || dstSegs.some((y, j) => j !== i && overlap(x, y)) || words.some((y) => overlap(x, y)));
    if (!aliased) {
      for (const p of pieces) {
        const got = this.phys.read(a, p.dst, p.n);
        const want = this.pre(s, p.src, p.n, batch);
        if (!Buffer.from(got).equals(Buffer.from(want))) {
          this.fail(`DMA copied the wrong bytes into guest ${a} at ${hex(p.dst)} (from guest ${s} ${hex(p.src)}, ${p.n} bytes)`);
          break;
        }
      }
    }
    b.next = (b.next + 1) & 0xffff;
    this.expectIrq = { g: a, irq: b.irq, after: 'DMA' };
  }

  private onDmaFull(ev: SimEvent, batch: readonly WriteRec[]): void {
    const rt = this.routed(ev);
    if (!rt) return;
    const L = this.dma;
    for (let i = 0; i < rt.b.num; i++) {
      const at = rt.b.dmas + i * L.size;
      if (!this.phys.addressOk(ev.a, at, L.size)) {
        this.fail(`DMA_FULL although entry ${hex(at)} of guest ${ev.a} is unreadable (spec §7.16: kill the receiver)`);
        break;
      }
      if (this.preU32(ev.a, at + L.fields.used_len.offset, batch) === 0) {
        this.fail(`DMA_FULL although guest ${ev.a}'s entry ${hex(at)} has used_len 0 (spec §7.7)`);
        break;
      }
    }
    this.explain(batch, () => false, 'DMA_FULL');
    this.expectIrq = { g: ev.a, irq: rt.b.irq, after: 'DMA_FULL' };
  }

  /** /dev/lguest writes (spec §3.1, §7.22-26). */
  private onLhreq(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    if (g >= this.n) return;
    const deadBefore = this.exited[g] || (this.killedAt[g] >= 0 && this.killedQuantum[g] < this.quantum);
    if (ev.a === LHREQ_IRQ) {
      const want = deadBefore ? ENOENT_RET : ev.b >= LGUEST_IRQS ? EINVAL_RET : 0;
      if (ev.c !== want) this.fail(`LHREQ_IRQ ${ev.b} on guest ${g} returned ${ev.c | 0}, spec says ${want | 0} (§7.25)`);
      this.explain(batch, () => false, 'LHREQ_IRQ');
      const c = this.conIn;
      if (this.kind === 'step' && c && c.g === g && c.delivered && !c.irqSent) {
        // After filling the buffer: {IRQ, the binding's irq} (spec §4.1 input delivery).
        if (ev.b !== c.irq) this.fail(`guest ${g}'s Launcher triggered irq ${ev.b} after console input; the buffer's binding has irq ${c.irq} (spec §4.1)`);
        c.irqSent = true;
      }
      return;
    }
    if (ev.a !== LHREQ_GETDMA) return;
    const key = ev.b;
    let want = ENOENT_RET;
    let irq = -1;
    if (!deadBefore) {
      const fk = this.phys.keyOf(g, key);
      if (!fk) {
        if (this.m.host.guests[g]!.dead === null) this.fail(`GETDMA on bad key ${hex(key)} did not kill guest ${g} (spec §7.1)`);
      } else {
        // §2.5: this guest's most recent binding of the key; scan from 0; all used → the last entry.
        let mine: BindModel | null = null;
        for (const b of this.bind[g]) if (b && b.id === fk.id && (!mine || b.seq > mine.seq)) mine = b;
        if (mine && mine.num > 0) {
          const L = this.dma;
          let i = 0;
          for (; i < mine.num; i++) {
            const at = mine.dmas + i * L.size;
            const used = this.phys.addressOk(g, at, L.size) ? this.preU32(g, at + L.fields.used_len.offset, batch) : 0;
            if (used === 0) break;
          }
          const idx = i === mine.num ? mine.num - 1 : i;
          want = (mine.dmas + idx * L.size) >>> 0;
          irq = mine.irq;
        }
      }
    }
    if (ev.c !== want) this.fail(`LHREQ_GETDMA(${hex(key)}) on guest ${g} returned ${ev.c === ENOENT_RET ? '-ENOENT' : hex(ev.c)}; spec says ${want === ENOENT_RET ? '-ENOENT' : hex(want)} (§7.22-24)`);
    if (irq >= 0 && ev.c === want) {
      // The irq travels back in used_len (spec §3.1).
      if (this.phys.addressOk(g, want, 4) && this.phys.u32(g, want) !== irq) this.fail(`GETDMA did not store irq ${irq} in used_len at ${hex(want)}`);
      this.explain(batch, (w) => w.g === g && inside(w, want, 4), 'LHREQ_GETDMA');
    } else this.explain(batch, () => false, 'LHREQ_GETDMA');
    if (this.kind === 'step') this.onConsoleGetdma(ev, irq);
  }

  /** A GETDMA inside a quantum: the console input handler (no other device here asks), spec §3.3, §4.2. */
  private onConsoleGetdma(ev: SimEvent, irq: number): void {
    const g = ev.guest;
    if (ev.b !== LGUEST_CONSOLE_DMA_KEY) this.fail(`guest ${g}'s Launcher asked GETDMA for key ${hex(ev.b)} in a quantum; only the console (key 0) asks here`);
    // read() runs pending hypercalls (step 1) and returns a pending send (step 2) before EAGAIN (step 4) lets the Launcher read input.
    const o = this.owed[g];
    if (o) this.fail(`guest ${g}'s Launcher handled console input while the Host still owed its trapped hypercall ${callText(o)} (spec §3.2: read() runs pending hypercalls before it returns EAGAIN)`);
    else if (this.pendingDma[g]) this.fail(`guest ${g}'s Launcher handled console input while its send ${JSON.stringify(this.pendingDma[g])} was pending (spec §3.2: read() returns the send before EAGAIN)`);
    if (this.ignored[g]) this.fail(`guest ${g}'s Launcher read the console after it ignored it (spec §4.2: the fd is dropped)`);
    if (this.tty[g] === 0) this.fail(`guest ${g}'s Launcher handled console input with nothing typed`);
    const udma = ev.c;
    const found = irq >= 0;
    this.conIn = { g, found, udma, irq, badPtr: found ? this.launcherBadPtr(g, udma, []) : null, warned: 'none', delivered: false, irqSent: false };
  }

  /** handle_output's end (spec §4.1): the watching device's used_len, or the warning and used_len untouched. */
  private onLauncherOutput(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const o = this.out;
    this.out = null;
    this.pendingDma[g] = null;
    const ul = this.dma.fields.used_len.offset;
    const send = `{dma ${hex(ev.b)}, key ${hex(ev.a)}}`;
    if (!o || o.g !== g || o.key !== ev.a || o.dma !== ev.b) {
      this.fail(`guest ${g}'s Launcher handled the send ${send} without reading it first`);
      this.explain(batch, (w) => w.g === g && inside(w, ev.b + ul, 4), 'the Launcher output handler');
      return;
    }
    if (o.badPtr && !(o.dev < 0 && TOLERATE.has('unclaimed-send-ptr')))
      this.fail(`guest ${g}'s Launcher handled the send ${send} although its ${o.badPtr} is at or past top: dma2iov must make it exit ("Invalid address", spec §4.1, §7.39)`);
    const wantDev = o.dev < 0 ? 0xffffffff : o.dev;
    if (ev.d !== wantDev) this.fail(`guest ${g}'s send ${send} went to device ${ev.d | 0}; the device watching that key is ${o.dev} (spec §4.1)`);
    if (o.dev < 0) {
      if (!o.warned) this.fail(`no device of guest ${g} watches key ${hex(ev.a)}, yet its Launcher did not warn "Pending dma %p, key %p" (spec §4.1)`);
      if (ev.c !== 0) this.fail(`guest ${g}'s unhandled send ${send} reports used_len ${ev.c}; it stays untouched (spec §4.1)`);
      this.explain(batch, () => false, 'the unhandled Launcher send (used_len stays untouched)');
      return;
    }
    // The console writes every section to stdout: used_len = their total (§4.2).
    const total = sectionTotal(this.preDma(g, ev.b, batch));
    if (ev.c !== total) this.fail(`console output ${send} of guest ${g}: used_len ${ev.c}, but its sections hold ${total} bytes (spec §4.2)`);
    this.explain(batch, (w) => w.g === g && inside(w, ev.b + ul, 4), 'the Launcher output handler');
    if (this.phys.u32(g, ev.b + ul) !== ev.c) this.fail(`Launcher output: used_len at ${hex(ev.b)} is ${this.phys.u32(g, ev.b + ul)}, event says ${ev.c}`);
  }

  /** warnx() of the Launcher: only where spec §4.1 and §4.2 say, worded as they say. */
  private onLauncherWarn(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const msg = this.m.events.strings[ev.a] ?? '';
    this.explain(batch, () => false, 'a Launcher warning');
    if (g >= this.n) {
      this.fail(`Launcher warning ${JSON.stringify(msg)} for no guest`);
      return;
    }
    const c = this.conIn && this.conIn.g === g ? this.conIn : null;
    if (msg.startsWith('Pending dma ')) {
      const o = this.out;
      if (!o || o.g !== g || o.warned) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} while handling no unclaimed send`);
      else if (o.dev >= 0) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} although device ${o.dev} watches key ${hex(o.key)} (spec §4.1)`);
      else if (o.badPtr) {
        if (!TOLERATE.has('unclaimed-send-ptr'))
          this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} for a send whose ${o.badPtr} is at or past top: handle_output runs dma2iov's pointer check before looking for a device, so it must exit ("Invalid address", spec §4.1, §7.39)`);
        o.warned = true;
      } else {
        const want = `Pending dma ${userPtr(o.dma)}, key ${userPtr(o.key)}`;
        if (msg !== want && msg !== `Pending dma ${kernelPtr(o.dma)}, key ${kernelPtr(o.key)}`) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)}; spec §4.1 says ${JSON.stringify(want)}`);
        o.warned = true;
        this.cover.pendingDmaWarns++;
      }
    } else if (msg === 'console: no dma buffer!') {
      if (!c || c.found || c.warned !== 'none') this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)}, but its GETDMA of the console buffer did not fail just before`);
      else c.warned = 'nobuf';
      this.cover.noBufferWarns++;
      // readv into the 1024-byte discard buffer (§4.1): that much of the typed input is gone.
      this.tty[g] -= Math.min(1024, this.tty[g]);
    } else if (msg === 'Failed to get console input, ignoring console.') {
      if (!c || !c.found || c.warned !== 'none') this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} without reading into a console buffer`);
      else {
        const room = sectionTotal(this.preDma(g, c.udma, batch));
        if (room !== 0) this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)} although console buffer ${hex(c.udma)} has room for ${room} bytes and ${this.tty[g]} are typed`);
        c.warned = 'failed';
      }
      // The fd is dropped: nothing typed is read any more (§4.2).
      this.cover.consolesIgnored++;
      this.ignored[g] = true;
      this.tty[g] = 0;
    } else this.fail(`guest ${g}'s Launcher warned ${JSON.stringify(msg)}, which spec §4 never prints`);
  }

  /** handle_console_input's delivery (spec §4.2): min(room, typed) bytes, or 0 after "Failed to get console input". */
  private onConsoleInput(ev: SimEvent, batch: readonly WriteRec[]): void {
    const g = ev.guest;
    const udma = ev.b;
    const s = this.preDma(g, udma, batch);
    const iov: [number, number][] = [[udma, 4]];
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) iov.push([s.addr[i], s.len[i]]);
    this.explain(batch, (w) => w.g === g && iov.some(([lo, n]) => inside(w, lo, n)), 'console input');
    if (this.phys.u32(g, udma) !== ev.a) this.fail(`console input: used_len at ${hex(udma)} is ${this.phys.u32(g, udma)}, event says ${ev.a}`);
    const c = this.conIn;
    if (!c || c.g !== g || !c.found || c.udma !== udma || c.delivered) {
      this.fail(`console input into ${hex(udma)} of guest ${g} without a GETDMA of that buffer just before (spec §4.2)`);
      return;
    }
    c.delivered = true;
    this.cover.consoleInputs++;
    if (c.badPtr) this.fail(`console input into buffer ${hex(udma)} of guest ${g}, whose ${c.badPtr} is at or past top: the Launcher must exit ("Invalid address", spec §4.1)`);
    const room = sectionTotal(s);
    if (room === 0) {
      if (c.warned !== 'failed')
        this.fail(`console buffer ${hex(udma)} of guest ${g} has no room, so readv reads 0: the Launcher must warn "Failed to get console input, ignoring console." and drop the console (spec §4.2)`);
      if (ev.a !== 0) this.fail(`console input of ${ev.a} bytes into a buffer with no room`);
      return;
    }
    const want = Math.min(room, this.tty[g]);
    if (ev.a !== want) this.fail(`console input of ${ev.a} bytes into guest ${g}'s buffer ${hex(udma)}; min(room ${room}, typed ${this.tty[g]}) is ${want} (spec §4.2: readv straight into it)`);
    this.tty[g] -= Math.min(ev.a, this.tty[g]);
  }
}

// ---------------------------------------------------------------------------
// Running a case

interface RunResult {
  readonly events: Uint32Array;
  readonly strings: readonly string[];
  readonly hash: string;
  readonly hcalls: number;
  readonly quanta: number;
  readonly dmas: number;
  readonly kills: number;
  readonly cover: Cover;
}

function eventWords(m: Machine): Uint32Array {
  const out = new Uint32Array(m.events.count * EVENT_WORDS);
  for (let i = 0; i < m.events.count; i++) {
    const e = m.events.get(i);
    out.set([e.kind, e.guest, e.time, e.a, e.b, e.c, e.d, e.e], i * EVENT_WORDS);
  }
  return out;
}

function tail(m: Machine, n: number): string {
  const lines: string[] = [];
  for (let i = Math.max(0, m.events.count - n); i < m.events.count; i++) lines.push(JSON.stringify(eventToJson(m.events.get(i), m.events.strings)));
  return lines.join('\n');
}

/**
 * Run a case, audited or not. `mutate` (the auditor's own tests) may wrap
 * parts of the Machine after the auditor has hooked it, to make it misbehave.
 */
function runCase(c: FuzzCase, audit: boolean, mutate?: (m: Machine) => void): RunResult {
  const v = validateScenario(c.scenario);
  if (!v.ok) throw new Error(`generator produced an invalid scenario: ${v.error.message}`);
  const m = new Machine(v.value);
  const a = audit ? new Auditor(m, v.value) : null;
  mutate?.(m);
  const check = (): void => {
    if (a && a.violations.length > 0) throw new Error(`invariant violated:\n${a.violations.join('\n')}\nlast events:\n${tail(m, 14)}`);
  };
  const guarded = (what: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      // No exception may escape the Machine, the Host or the Launcher (guest kills are events).
      throw new Error(`exception escaped ${what}: ${(e as Error).stack ?? String(e)}\nlast events:\n${tail(m, 14)}`);
    }
  };
  // Liveness bound: a quantum runs a script step, a Launcher pass or a console delivery; all are finite here.
  let work = c.ext.length;
  for (const g of v.value.guests) work += g.script?.length ?? 0;
  for (const x of v.value.inputs ?? []) work += new TextEncoder().encode(x.text).length;
  const bound = Math.min(MAX_QUANTA, 4 * work + 100);
  // q: the schedule clock for Launcher requests (jumps over idle time); busy: quanta that ran.
  let q = 0;
  let busy = 0;
  let next = 0;
  let idle = false;
  while (busy < bound) {
    while (next < c.ext.length && c.ext[next].at <= q) {
      const op = c.ext[next++];
      const L = m.launchers[op.guest];
      if (L.exitMessage !== null) continue;
      a?.begin('ext');
      guarded(`Launcher ${op.guest} write {${op.req}, ${hex(op.arg)}}`, () => void L.write(op.req, [op.arg]));
      a?.end();
      check();
    }
    let ran = false;
    a?.begin('step');
    guarded('Machine.step()', () => {
      ran = m.step();
    });
    a?.end();
    check();
    if (!ran) {
      if (next < c.ext.length) {
        q = Math.max(q + 1, c.ext[next].at);
        continue;
      }
      idle = true;
      break;
    }
    q++;
    busy++;
  }
  a?.finish(idle);
  check();
  if (audit && !idle)
    throw new Error(`livelock: the Machine is still busy after ${busy} quanta for ${work} steps/inputs/requests of work (nothing here can run forever)\nlast events:\n${tail(m, 14)}`);
  let hcalls = 0;
  for (let i = 0; i < m.events.count; i++) if (m.events.get(i).kind === EventKind.HCALL) hcalls++;
  return { events: eventWords(m), strings: [...m.events.strings], hash: m.hash(), hcalls, quanta: m.quanta, dmas: a?.dmas ?? 0, kills: a?.kills ?? 0, cover: a?.cover ?? newCover() };
}

const fuzzCaseArb: fc.Arbitrary<FuzzCase> = caseGenArb.map(compileCase);

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
    // The issue's volume (only with the default number of runs).
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
