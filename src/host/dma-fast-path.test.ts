/**
 * The one-section send (dma-engine.ts transferTo) against the general dma_transfer (spec §2.4,
 * §7.6-18). Twin machines get the same receiver array and sender struct, placed and filled at random:
 * aligned or not, in private or shared pages, crossing a page, past the end of memory, entries in use,
 * zero to three sections on each side, sections that are too long or cross a page. One twin sends the way
 * sendDma does (the fast path, and dmaTransfer when it declines), the other through dmaTransfer alone;
 * every byte of guest and shared memory, the page marks, the events and their strings, the kills, the
 * pending irqs, the binding and the byte counter must come out the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutOf, type StructLayout } from '../abi/layout.ts';
import { LGUEST_DMA } from '../abi/structs.ts';
import { PAGE_SIZE } from '../abi/constants.ts';
import type { Section } from '../abi/dma.ts';
import { setUsedLen, writeDma } from '../guest/kernel/dma.ts';
import { packBind } from '../guest/script-builders.ts';
import type { Machine } from '../machine/machine.ts';
import { EventKind } from '../hw/events.ts';
import { eventsOf, hcallOn, lg, mem, run } from '../testing/checklist-rig.ts';
import { dmaTransfer, TransferOutcome, transferTo } from './dma-engine.ts';
import { BINDING_WORDS, BW } from './lguest.ts';

const MEM = 0x20000;
const SHARED = 0x30000;
const KEY = SHARED + 0x40;
const RECEIVER = 0;
const SENDER = 1;
const IRQ = 5;

type Arch = 'i386' | 'x86_64';

/** Where a struct goes: mostly the usual aligned private spot, else one of the cases the fast path must decline. */
const structAt = fc.oneof(
  { weight: 8, arbitrary: fc.constant(0x2000) }, // aligned, private
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0x2002, // unaligned
      0x2ff0, // crosses into the next page
      SHARED + 0x100, // in the shared page
      MEM - 0x10, // runs past the end of RAM
      0xfffffff0, // nowhere
    ),
  },
);

/** A section: mostly one that fits in a private page; else in the shared page, outside memory, too long or crossing a page. */
const fitting = fc
  .record({ page: fc.integer({ min: 4, max: 30 }), off: fc.oneof(fc.constantFrom(0, 0x40), fc.integer({ min: 0, max: PAGE_SIZE - 1 })), len: fc.integer({ min: 1, max: PAGE_SIZE }) })
  .map(({ page, off, len }) => ({ where: 'private' as const, page, off, len: Math.max(1, Math.min(len, PAGE_SIZE - off)) }));
const anywhere = fc.record({
  where: fc.constantFrom('private' as const, 'shared' as const, 'outside' as const),
  page: fc.integer({ min: 4, max: 30 }),
  off: fc.integer({ min: 0, max: PAGE_SIZE - 1 }),
  len: fc.oneof(fc.integer({ min: 1, max: 128 }), fc.constantFrom(64, PAGE_SIZE, PAGE_SIZE + 1), fc.integer({ min: 1, max: PAGE_SIZE })),
});
const section = fc.oneof({ weight: 5, arbitrary: fitting }, { weight: 2, arbitrary: anywhere });
type SectionSpec = typeof section extends fc.Arbitrary<infer T> ? T : never;

function place(s: SectionSpec): Section {
  if (s.where === 'shared') return { addr: SHARED + 0x200 + (s.off & 0x7ff), len: s.len };
  if (s.where === 'outside') return { addr: 0x7ff00000 + s.off, len: s.len };
  return { addr: s.page * PAGE_SIZE + s.off, len: s.len };
}

const sections = fc.oneof(
  { weight: 6, arbitrary: fc.array(section, { minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.array(section, { minLength: 0, maxLength: 3 }) },
);

const entrySpec = fc.record({
  used: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1000 }) }),
  sections,
});

const caseSpec = fc.record({
  arch: fc.constantFrom<Arch>('i386', 'x86_64'),
  arrayAt: structAt,
  entries: fc.array(entrySpec, { minLength: 1, maxLength: 4 }),
  next: fc.integer({ min: 0, max: 7 }),
  srcAt: structAt,
  src: sections,
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
});
type Case = typeof caseSpec extends fc.Arbitrary<infer T> ? T : never;

/** Write a struct where it fits in guest memory (a struct outside it is left unwritten: the Host must reject it). */
function putStruct(m: Machine, guest: number, L: StructLayout, at: number, list: readonly Section[], used: number): void {
  const g = mem(m, guest);
  if (!g.contains(at, L.size)) return;
  writeDma(g, L, at, list);
  setUsedLen(g, L, at, used);
}

/** One twin, set up for the case: the receiver bound on KEY, its entries and the sender's struct written, data in both. */
function twin(c: Case): Machine {
  const m = run({
    arch: c.arch,
    guests: [
      { kernel: 'script', memory: MEM, script: [] },
      { kernel: 'script', memory: MEM, script: [] },
    ],
    shared: [{ pages: 1, map: [{ guest: RECEIVER, gpa: SHARED }, { guest: SENDER, gpa: SHARED }] }],
  });
  const L = layoutOf(LGUEST_DMA, c.arch);
  // Distinct bytes in the sender's pages, so a wrong source or length shows in the receiver.
  let x = c.seed;
  const tx = mem(m, SENDER);
  for (let a = 4 * PAGE_SIZE; a < MEM; a += 4) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    tx.setU32(a, x);
  }
  c.entries.forEach((e, i) => putStruct(m, RECEIVER, L, c.arrayAt + i * L.size, e.sections.map(place), e.used));
  putStruct(m, SENDER, L, c.srcAt, c.src.map(place), 0x5a5a);
  expect(hcallOn(m, RECEIVER, 'BIND_DMA', KEY, c.arrayAt, packBind(c.entries.length, IRQ))).toBe(1);
  lg(m, RECEIVER).bindings[0 * BINDING_WORDS + BW.nextDma] = c.next;
  return m;
}

/** Everything a send can change. */
function state(m: Machine): unknown {
  const memories = [...m.launchers.map((l) => l.memory), ...m.sharedObjects];
  return {
    bytes: memories.map((x) => Buffer.from(x.bytes.buffer, x.bytes.byteOffset, x.bytes.byteLength).toString('base64')),
    dirty: memories.map((x) => Array.from(x.dirty)),
    stale: memories.map((x) => Array.from(x.stale)),
    events: eventsOf(m),
    strings: [...m.events.strings],
    guests: m.host.guests.map((g) => g && { dead: g.dead, pending: g.pendingIrqs, bindings: Array.from(g.bindings) }),
    bytesCopied: m.host.bytesCopied,
  };
}

describe('the one-section send is dma_transfer for its case, and declines every other', () => {
  it('same memory, marks, events, kills, irqs and binding as dmaTransfer alone, on random structs', () => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(caseSpec, (c) => {
        const a = twin(c);
        const b = twin(c);
        expect(state(a)).toEqual(state(b));
        const [ha, hb] = [a.host, b.host];
        const outcome = transferTo(ha, ha.guests[SENDER]!, c.srcAt, ha.guests[RECEIVER]!, 0, KEY);
        const fast = outcome === TransferOutcome.oneSection;
        const fullA = outcome === TransferOutcome.full;
        const fullB = dmaTransfer(hb, hb.guests[SENDER]!, c.srcAt, hb.guests[RECEIVER]!, 0, KEY);
        runs++;
        if (fast) taken++;
        expect(fullA).toBe(fullB);
        expect(state(a)).toEqual(state(b));
      }),
      { numRuns: 300 },
    );
    // The cases are drawn so that a good share is the fast path's own (else this compares dmaTransfer with itself).
    expect(taken).toBeGreaterThan(runs * 0.1);
    expect(taken).toBeLessThan(runs * 0.9);
  });

  it('takes the send of one 64-byte section into a free aligned entry, and declines a two-section one and unaligned structs', () => {
    const c: Case = {
      arch: 'x86_64',
      arrayAt: 0x2000,
      entries: [{ used: 0, sections: [{ where: 'private', page: 8, off: 0, len: 64 }] }],
      next: 0,
      srcAt: 0x2000,
      src: [{ where: 'private', page: 9, off: 0x40, len: 64 }],
      seed: 7,
    };
    const m = twin(c);
    const h = m.host;
    expect(transferTo(h, h.guests[SENDER]!, 0x2000, h.guests[RECEIVER]!, 0, KEY)).toBe(TransferOutcome.oneSection);
    expect(mem(m, RECEIVER).read(8 * PAGE_SIZE, 64)).toEqual(mem(m, SENDER).read(9 * PAGE_SIZE + 0x40, 64));
    const two = twin({ ...c, src: [c.src[0], { where: 'private', page: 10, off: 0, len: 8 }] });
    expect(transferTo(two.host, two.host.guests[SENDER]!, 0x2000, two.host.guests[RECEIVER]!, 0, KEY)).toBe(TransferOutcome.sent);
    // Declined, and sent by dmaTransfer: the receiver's one 64-byte buffer took the first 64 of 72 bytes.
    expect(eventsOf(two, EventKind.DMA).map((e) => e.e)).toEqual([64]);
    // Unaligned structs go through the DataView of the general path, whatever their words would say.
    for (const at of [{ srcAt: 0x2002 }, { arrayAt: 0x2002 }]) {
      const u = twin({ ...c, ...at });
      expect(transferTo(u.host, u.host.guests[SENDER]!, at.srcAt ?? c.srcAt, u.host.guests[RECEIVER]!, 0, KEY)).toBe(TransferOutcome.sent);
    }
    // An empty i386 struct at 0x2002 (used_len at +0, len[16] at +4, addr[16] at +36) whose aligned words,
    // misread as its fields, would say "64 bytes at 0x5000": the word holding len[0] starts with used_len's
    // top half, the one holding addr[0]'s low half starts with len[15] (after len[0] == 0 the Host reads neither).
    const odd = twin({ ...c, arch: 'i386', srcAt: 0x2002, src: [] });
    const tx = mem(odd, SENDER);
    tx.setU16(0x2004, 64);
    tx.setU16(0x2024, 0x5000);
    expect(transferTo(odd.host, odd.host.guests[SENDER]!, 0x2002, odd.host.guests[RECEIVER]!, 0, KEY)).toBe(TransferOutcome.sent);
  });
});
