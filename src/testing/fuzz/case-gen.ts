/** Generated cases: an abstract description of 2-4 scripted guests, shared regions and Launcher requests, compiled to a scenario. */
import fc from 'fast-check';
import { LHCALL_BIND_DMA, LHCALL_CRASH, LHCALL_HALT, LHCALL_LGUEST_INIT, LHCALL_LOAD_IDT_ENTRY, LHCALL_LOAD_TLS, LHCALL_SEND_DMA, LHREQ_GETDMA, LHREQ_IRQ, PAGE_SIZE } from '../../abi/constants.ts';
import type { Arch } from '../../abi/ctypes.ts';
import { layoutOf, type StructLayout } from '../../abi/layout.ts';
import { LGUEST_DATA, LGUEST_DMA } from '../../abi/structs.ts';
import type { ScenarioInput } from '../../scenario/scenario.ts';
import { hcall, packBind, wait, writeDma, yieldStep } from '../../guest/script-builders.ts';
import type { ScriptStep } from '../../guest/script-step.ts';
import { inside } from './phys-map.ts';

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

export interface FuzzCase {
  readonly scenario: ScenarioInput;
  readonly ext: readonly ExtOp[];
}

const MEMORY_SIZES = [0x10000, 0x18000, 0x20000, 0x30000, 0x40000] as const;

const u32Arb = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 0x3000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) });

export const addrArb = (weights: { struct: number; buf: number; shared: number; edge: number; raw: number }): fc.Arbitrary<AddrRef> =>
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
export const caseGenArb: fc.Arbitrary<CaseGen> = fc.record({
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

export function resolve(ctx: GuestCtx, a: AddrRef): number {
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

export function compileCase(g: CaseGen): FuzzCase {
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
