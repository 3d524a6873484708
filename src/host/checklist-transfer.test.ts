/**
 * Spec §7 rules 6-18 (the transfer engine: dma_transfer, check_dma_list,
 * copy_data, lguest_address_ok and kill_guest; spec §2.1, §2.4). Guest 0 is
 * the receiver and guest 1 the sender, on one shared page mapped into both.
 * Scenario tests show the rule through scripted guests; property tests play
 * both guests from a bench machine (src/testing/checklist-rig.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } from '../abi/constants.ts';
import { bench, bindings, DMA, eventsOf, hcallOn, killed, lg, mem, putDma, results, run, textAt, usedLen, valuesOf } from '../testing/checklist-rig.ts';
import { EventKind, IrqSource } from '../hw/events.ts';
import type { Machine } from '../machine/machine.ts';
import type { Section } from '../guest/script-builders.ts';
import { hcall, packBind, readU32, wait, writeDma, writeText } from '../guest/script-builders.ts';

const MEM = 0x20000;
const SHARED = 0x30000;
/** The receive key: a word in the shared page. */
const KEY = SHARED + 0x40;
const RECEIVER = 0;
const SENDER = 1;
/** The receiver's array, and its buffers: entry i → BUF + i * 0x100. */
const ARR = 0x2000;
const BUF = 0x8000;
/** The sender's struct and its data. */
const SRC = 0x4000;
const DATA_AT = 0x5000;
const IRQ = 3;
const shared = [{ pages: 1, map: [{ guest: RECEIVER, gpa: SHARED }, { guest: SENDER, gpa: SHARED }] }];

const entry = (i: number): number => ARR + i * DMA.size;

/** Bench with the receiver bound: `used[i]` is entry i's initial used_len; each entry one 0x100-byte buffer. */
function bound(used: readonly number[], sections?: (i: number) => Section[]): Machine {
  const m = bench(2, shared);
  used.forEach((u, i) => putDma(m, RECEIVER, entry(i), sections ? sections(i) : [{ addr: BUF + i * 0x100, len: 0x100 }], u));
  expect(hcallOn(m, RECEIVER, 'BIND_DMA', KEY, ARR, packBind(used.length, IRQ))).toBe(1);
  return m;
}

/** The sender sends `text` (or an empty struct when text is ''), from a fresh struct with used_len zeroed. */
function send(m: Machine, text: string, at = SRC): void {
  const g = mem(m, SENDER);
  for (let i = 0; i < text.length; i++) g.setU8(DATA_AT + i, text.charCodeAt(i));
  putDma(m, SENDER, at, text.length === 0 ? [] : [{ addr: DATA_AT, len: text.length }]);
  hcallOn(m, SENDER, 'SEND_DMA', KEY, at);
}

const nextDma = (m: Machine): number => bindings(m, RECEIVER)[0].next;

describe('spec §7 transfer engine', () => {
  it('§7.6 SEND_DMA never writes into a receive entry whose used_len is non-zero.', () => {
    const m = bound([0, 7, 0]);
    mem(m, RECEIVER).write(BUF + 0x100, Uint8Array.from([75, 69, 69, 80])); // "KEEP" in entry 1's buffer
    for (const t of ['m0', 'm1', 'm2', 'm3']) send(m, t);
    expect(usedLen(m, RECEIVER, entry(1))).toBe(7);
    expect(textAt(m, RECEIVER, BUF + 0x100, 4)).toBe('KEEP');
    // m0 and m1 went to entries 0 and 2; m2 and m3 found every entry in use.
    expect(eventsOf(m, EventKind.DMA).map((e) => e.d)).toEqual([entry(0), entry(2)]);
    expect(textAt(m, RECEIVER, BUF, 2) + textAt(m, RECEIVER, BUF + 0x200, 2)).toBe('m0m1');
  });

  it('§7.7 The receive scan starts at next_dma mod num_dmas, wraps once, and picks the first entry with used_len == 0.', () => {
    // Scripted: entries 0 and 2 start in use, so the first send lands in entry 1 (next_dma 0 → 1).
    const m = bound([5, 0, 5, 0]);
    send(m, 'a');
    expect(eventsOf(m, EventKind.DMA).map((e) => e.d)).toEqual([entry(1)]);
    // The receiver frees entry 0; the scan starts at next_dma = 1 and takes entry 3, not the lower free entry 0.
    mem(m, RECEIVER).setU32(entry(0), 0);
    send(m, 'b');
    expect(eventsOf(m, EventKind.DMA).map((e) => e.d)).toEqual([entry(1), entry(3)]);
    // next_dma = 2: entries 2, 3 are in use, so the scan wraps to entry 0.
    send(m, 'c');
    expect(eventsOf(m, EventKind.DMA).map((e) => e.d)).toEqual([entry(1), entry(3), entry(0)]);
    expect(textAt(m, RECEIVER, BUF, 1) + textAt(m, RECEIVER, BUF + 0x100, 1) + textAt(m, RECEIVER, BUF + 0x300, 1)).toBe('cab');
  });

  it('§7.7 The receive scan starts at next_dma mod num_dmas, wraps once, and picks the first entry with used_len == 0. — property against a model of dma_transfer (with §7.6 and §7.8)', () => {
    const op = fc.oneof(fc.record({ send: fc.integer({ min: 1, max: 32 }) }), fc.record({ free: fc.integer({ min: 0, max: 7 }) }));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }), fc.array(op, { maxLength: 24 }), (initial, ops) => {
        const n = initial.length;
        const m = bound(initial);
        const used = [...initial];
        let next = 0;
        let sends = 0;
        for (const o of ops) {
          if ('free' in o) {
            const i = o.free % n;
            mem(m, RECEIVER).setU32(entry(i), 0);
            used[i] = 0;
            continue;
          }
          const before = eventsOf(m, EventKind.DMA).length;
          const fullBefore = eventsOf(m, EventKind.DMA_FULL).length;
          const snapshot = used.map((u, i) => (u !== 0 ? textAt(m, RECEIVER, BUF + i * 0x100, 0x100) : ''));
          send(m, String.fromCharCode(65 + (sends++ % 26)).repeat(o.send));
          let pick = -1;
          for (let i = 0; i < n; i++) {
            const idx = (next + i) % n;
            if (used[idx] === 0) {
              pick = idx;
              break;
            }
          }
          const dmas = eventsOf(m, EventKind.DMA);
          if (pick < 0) {
            expect(dmas.length).toBe(before);
            expect(eventsOf(m, EventKind.DMA_FULL).length).toBe(fullBefore + 2);
          } else {
            expect(dmas.length).toBe(before + 1);
            expect(dmas[before].d).toBe(entry(pick));
            used[pick] = o.send;
            next = (next + 1) & 0xffff;
          }
          expect(nextDma(m)).toBe(next);
          // Entries that were in use kept their used_len and bytes (§7.6).
          snapshot.forEach((text, i) => {
            if (text === '') return;
            expect(usedLen(m, RECEIVER, entry(i))).toBe(used[i]);
            expect(textAt(m, RECEIVER, BUF + i * 0x100, 0x100)).toBe(text);
          });
        }
      }),
      { numRuns: 120 },
    );
  });

  it('§7.8 After a delivery next_dma grows by exactly one, whichever entry was used.', () => {
    // Entries 0-2 in use: the delivery lands in entry 3, but next_dma becomes 1, not 4.
    const m = bound([1, 1, 1, 0, 0]);
    expect(nextDma(m)).toBe(0);
    send(m, 'x');
    expect(eventsOf(m, EventKind.DMA).map((e) => e.d)).toEqual([entry(3)]);
    expect(nextDma(m)).toBe(1);
    // Next scan from 1: entries 1-3 in use, entry 4 free; next_dma 2.
    send(m, 'y');
    expect(eventsOf(m, EventKind.DMA).map((e) => e.d)).toEqual([entry(3), entry(4)]);
    expect(nextDma(m)).toBe(2);
    // A full receiver does not move it.
    send(m, 'z');
    expect(nextDma(m)).toBe(2);
  });

  it('§7.8 After a delivery next_dma grows by exactly one, whichever entry was used. — it is a u16, so it wraps at 65536 (and the scan start with it)', () => {
    // 65536 empty "pings" into a 3-entry array: each leaves its entry free (§7.12) and bumps next_dma.
    const m = bound([0, 0, 0]);
    putDma(m, SENDER, SRC, []);
    for (let k = 0; k < 65536; k++) hcallOn(m, SENDER, 'SEND_DMA', KEY, SRC);
    expect(nextDma(m)).toBe(0);
    // 65536 % 3 = 1, but the u16 wrapped to 0: the next delivery lands in entry 0.
    send(m, 'w');
    const dmas = eventsOf(m, EventKind.DMA);
    expect(dmas[dmas.length - 1].d).toBe(entry(0));
  });

  it('§7.9 Bytes copied = min(total source bytes, total destination capacity), walking sections in order and splitting across section boundaries on both sides.', () => {
    // Source 3 + 5 + 4 = 12 bytes into destination sections of 2, 6 and 10 (capacity 18): 12 bytes, split as 2 | 6 | 4.
    const m = bound([0], () => [
      { addr: 0x8000, len: 2 },
      { addr: 0x9000, len: 6 },
      { addr: 0xa000, len: 10 },
    ]);
    const g = mem(m, SENDER);
    g.write(0x5000, Uint8Array.from('abc', (c) => c.charCodeAt(0)));
    g.write(0x6000, Uint8Array.from('defgh', (c) => c.charCodeAt(0)));
    g.write(0x7000, Uint8Array.from('ijkl', (c) => c.charCodeAt(0)));
    putDma(m, SENDER, SRC, [
      { addr: 0x5000, len: 3 },
      { addr: 0x6000, len: 5 },
      { addr: 0x7000, len: 4 },
    ]);
    hcallOn(m, SENDER, 'SEND_DMA', KEY, SRC);
    expect(usedLen(m, SENDER, SRC)).toBe(12);
    expect(textAt(m, RECEIVER, 0x8000, 2) + '|' + textAt(m, RECEIVER, 0x9000, 6) + '|' + textAt(m, RECEIVER, 0xa000, 10)).toBe('ab|cdefgh|ijkl\0\0\0\0\0\0');
  });

  it('§7.9 Bytes copied = min(total source bytes, total destination capacity), walking sections in order and splitting across section boundaries on both sides. — property over random section lists', () => {
    // One section per page (pages 2..17 of each guest), at a random offset, never crossing its page.
    const sections = fc.array(
      fc.integer({ min: 1, max: PAGE_SIZE }).chain((len) => fc.record({ len: fc.constant(len), off: fc.integer({ min: 0, max: PAGE_SIZE - len }) })),
      { minLength: 1, maxLength: LGUEST_MAX_DMA_SECTIONS },
    );
    const place = (list: readonly { len: number; off: number }[]): Section[] => list.map((s, i) => ({ addr: (2 + i) * PAGE_SIZE + s.off, len: s.len }));
    fc.assert(
      fc.property(sections, sections, fc.integer({ min: 0, max: 255 }), (src, dst, seed) => {
        const m = bench(2, shared);
        const ds = place(dst);
        putDma(m, RECEIVER, 0x1000, ds);
        hcallOn(m, RECEIVER, 'BIND_DMA', KEY, 0x1000, packBind(1, IRQ));
        const ss = place(src);
        const stream: number[] = [];
        for (const s of ss) {
          const bytes = Uint8Array.from({ length: s.len }, (_, k) => (seed + stream.length + k * 7) & 0xff);
          mem(m, SENDER).write(s.addr, bytes);
          stream.push(...bytes);
        }
        putDma(m, SENDER, 0x1000, ss);
        hcallOn(m, SENDER, 'SEND_DMA', KEY, 0x1000);
        const capacity = ds.reduce((n, s) => n + s.len, 0);
        const want = Math.min(stream.length, capacity);
        expect(usedLen(m, SENDER, 0x1000)).toBe(want);
        expect(usedLen(m, RECEIVER, 0x1000)).toBe(want);
        // The destination sections, concatenated, start with the source stream; the rest is untouched (zero).
        const got: number[] = [];
        for (const s of ds) got.push(...mem(m, RECEIVER).read(s.addr, s.len));
        expect(got).toEqual([...stream.slice(0, want), ...new Array<number>(capacity - want).fill(0)]);
      }),
      { numRuns: 100 },
    );
  });

  it('§7.10 A section list ends at the first zero len or after the 16th section.', () => {
    // Source [5, 0, 7]: only the 5 bytes before the zero go.
    const m = bound([0]);
    mem(m, SENDER).write(0x5000, Uint8Array.from('hello', (c) => c.charCodeAt(0)));
    putDma(m, SENDER, SRC, [
      { addr: 0x5000, len: 5 },
      { addr: 0, len: 0 },
      { addr: 0x6000, len: 7 },
    ]);
    hcallOn(m, SENDER, 'SEND_DMA', KEY, SRC);
    expect(usedLen(m, SENDER, SRC)).toBe(5);

    // Destination [3, 0, 100]: capacity 3. A bad section after the zero is never looked at (no kill).
    const d = bound([0], () => [
      { addr: 0x8000, len: 3 },
      { addr: 0, len: 0 },
      { addr: 0x3f80, len: 0x100 },
    ]);
    send(d, 'abcdef');
    expect(usedLen(d, SENDER, SRC)).toBe(3);
    expect(textAt(d, RECEIVER, 0x8000, 4)).toBe('abc\0');
    expect(killed(d, RECEIVER)).toBeNull();

    // All 16 sections used: 16 one-byte sections give 16 bytes (a 17th "len" would be read from addr[0]).
    const f = bound([0]);
    const ones: Section[] = Array.from({ length: LGUEST_MAX_DMA_SECTIONS }, (_, i) => ({ addr: 0x5000 + i, len: 1 }));
    mem(f, SENDER).write(0x5000, Uint8Array.from('0123456789abcdefXYZ', (c) => c.charCodeAt(0)));
    putDma(f, SENDER, SRC, ones);
    hcallOn(f, SENDER, 'SEND_DMA', KEY, SRC);
    expect(usedLen(f, SENDER, SRC)).toBe(16);
    expect(textAt(f, RECEIVER, BUF, 17)).toBe('0123456789abcdef\0');
  });

  it('§7.11 The same byte count is written to the sender\'s used_len and to the chosen receiver entry\'s used_len.', () => {
    // Scripted: 300 bytes into a 64-byte buffer (truncated), then 5 bytes; both sides read their used_len.
    const long = 'L'.repeat(300);
    const m = run({
      guests: [
        {
          kernel: 'script',
          memory: MEM,
          script: [
            ...writeDma(ARR, [{ addr: BUF, len: 64 }]),
            ...writeDma(entry(1), [{ addr: BUF + 0x100, len: 64 }]),
            hcall('BIND_DMA', KEY, ARR, packBind(2, IRQ)),
            wait,
            readU32(entry(0)),
            readU32(entry(1)),
          ],
        },
        {
          kernel: 'script',
          memory: MEM,
          script: [
            writeText(DATA_AT, long),
            ...writeDma(SRC, [{ addr: DATA_AT, len: 300 }]),
            hcall('SEND_DMA', KEY, SRC),
            readU32(SRC),
            ...writeDma(SRC + 0x100, [{ addr: DATA_AT, len: 5 }]),
            hcall('SEND_DMA', KEY, SRC + 0x100),
            readU32(SRC + 0x100),
          ],
        },
      ],
      shared,
    });
    const r = results(m, SENDER);
    expect(valuesOf(m, SENDER, 5)).toEqual([64]);
    expect(valuesOf(m, SENDER, r.length - 1)).toEqual([5]);
    expect(valuesOf(m, RECEIVER, 8)).toEqual([64]);
    expect(valuesOf(m, RECEIVER, 9)).toEqual([5]);
    expect(eventsOf(m, EventKind.DMA).map((e) => e.e)).toEqual([64, 5]);
  });

  it('§7.12 An empty source delivered to a free entry leaves that entry\'s used_len at 0 and still raises the receiver\'s interrupt.', () => {
    const m = run({
      guests: [
        {
          kernel: 'script',
          memory: MEM,
          script: [...writeDma(ARR, [{ addr: BUF, len: 64 }]), hcall('BIND_DMA', KEY, ARR, packBind(1, IRQ)), wait, readU32(ARR)],
        },
        { kernel: 'script', memory: MEM, script: [...writeDma(SRC, []), hcall('SEND_DMA', KEY, SRC), readU32(SRC)] },
      ],
      shared,
    });
    expect(results(m, RECEIVER)[4]).toEqual({ irq: IRQ });
    expect(valuesOf(m, RECEIVER, 5)).toEqual([0]);
    expect(valuesOf(m, SENDER, 4)).toEqual([0]);
    const dma = eventsOf(m, EventKind.DMA);
    expect(dma.map((e) => [e.d, e.e])).toEqual([[ARR, 0]]);
    // The "ping" took an entry as far as next_dma is concerned (§2.4 step 3f).
    expect(bindings(m, RECEIVER)[0].next).toBe(1);
    expect(eventsOf(m, EventKind.IRQ_RAISE).map((e) => [e.guest, e.a, e.b])).toEqual([[RECEIVER, IRQ, IrqSource.DMA]]);
  });

  it('§7.13 The receiver\'s interrupt is raised (and its task woken) even when all its entries are full.', () => {
    // The receiver's only entry is already in use; it halts in `wait` and the full send still wakes it.
    const m = run({
      guests: [
        {
          kernel: 'script',
          memory: MEM,
          script: [...writeDma(ARR, [{ addr: BUF, len: 64 }], 9), hcall('BIND_DMA', KEY, ARR, packBind(1, IRQ)), wait, readU32(ARR)],
        },
        { kernel: 'script', memory: MEM, script: [writeText(DATA_AT, 'full?'), ...writeDma(SRC, [{ addr: DATA_AT, len: 5 }]), hcall('SEND_DMA', KEY, SRC), readU32(SRC)] },
      ],
      shared,
    });
    expect(results(m, RECEIVER)[4]).toEqual({ irq: IRQ });
    expect(valuesOf(m, RECEIVER, 5)).toEqual([9]);
    expect(textAt(m, RECEIVER, BUF, 5)).toBe('\0'.repeat(5));
    expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    expect(eventsOf(m, EventKind.DMA_FULL).length).toBeGreaterThan(0);
    expect(eventsOf(m, EventKind.IRQ_DELIVER, RECEIVER).map((e) => e.a)).toEqual([IRQ]);
  });

  it('§7.14 When the receiver is full the Host retries delivery exactly once and then gives up, leaving the sender\'s used_len at 0.', () => {
    const m = bound([1, 2]);
    send(m, 'abc');
    // Two attempts, each finding the array full and raising the irq (the retry is immediate: spec §8, documented in dma-engine.ts).
    expect(eventsOf(m, EventKind.DMA_FULL).map((e) => [e.guest, e.a, e.b, e.c])).toEqual([
      [SENDER, RECEIVER, KEY, SRC],
      [SENDER, RECEIVER, KEY, SRC],
    ]);
    expect(eventsOf(m, EventKind.IRQ_RAISE, RECEIVER)).toHaveLength(2);
    expect(usedLen(m, SENDER, SRC)).toBe(0);
    // Freeing an entry afterwards delivers nothing retroactively.
    mem(m, RECEIVER).setU32(entry(0), 0);
    m.runUntilIdle();
    expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    expect(usedLen(m, RECEIVER, entry(0))).toBe(0);
    // A receiver with room takes one attempt only.
    send(m, 'def');
    expect(eventsOf(m, EventKind.DMA)).toHaveLength(1);
    expect(eventsOf(m, EventKind.DMA_FULL)).toHaveLength(2);
    expect(usedLen(m, SENDER, SRC)).toBe(3);
  });

  it('§7.15 In guest-to-guest transfers a section longer than 4096 bytes, crossing a 4096-byte boundary, or out of range kills the guest that owns that descriptor with "bad DMA entry: %u@%#lx", destination checked first.', () => {
    const cases: { dst: Section; src: Section; dead: [string | null, string | null] }[] = [
      // Sender at fault: crossing, too long, out of range.
      { dst: { addr: BUF, len: 0x100 }, src: { addr: 0x3f80, len: 256 }, dead: [null, 'bad DMA entry: 256@0x3f80'] },
      { dst: { addr: BUF, len: 0x100 }, src: { addr: 0x5000, len: 5000 }, dead: [null, 'bad DMA entry: 5000@0x5000'] },
      { dst: { addr: BUF, len: 0x100 }, src: { addr: 0x7fff0000, len: 16 }, dead: [null, 'bad DMA entry: 16@0x7fff0000'] },
      // Receiver at fault.
      { dst: { addr: 0x8f80, len: 0x100 }, src: { addr: 0x5000, len: 4 }, dead: ['bad DMA entry: 256@0x8f80', null] },
      { dst: { addr: 0x6000, len: 4097 }, src: { addr: 0x5000, len: 4 }, dead: ['bad DMA entry: 4097@0x6000', null] },
      // Both at fault: the destination is checked first, so only the receiver dies.
      { dst: { addr: 0x8f80, len: 0x100 }, src: { addr: 0x3f80, len: 256 }, dead: ['bad DMA entry: 256@0x8f80', null] },
    ];
    for (const c of cases) {
      const m = bound([0], () => [c.dst]);
      putDma(m, SENDER, SRC, [c.src]);
      hcallOn(m, SENDER, 'SEND_DMA', KEY, SRC);
      expect([killed(m, RECEIVER), killed(m, SENDER)]).toEqual(c.dead);
      // Nothing was copied, neither used_len was written, and no interrupt was raised.
      expect(usedLen(m, SENDER, SRC)).toBe(0);
      expect(usedLen(m, RECEIVER, entry(0))).toBe(0);
      expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(0);
      expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    }
  });

  it('§7.15 In guest-to-guest transfers a section longer than 4096 bytes, crossing a 4096-byte boundary, or out of range kills the guest that owns that descriptor with "bad DMA entry: %u@%#lx", destination checked first. — scripted (the bad-dma preset): the sender dies, the receiver keeps running', () => {
    const m = run({
      guests: [
        { kernel: 'script', memory: MEM, script: [...writeDma(ARR, [{ addr: 0x3000, len: 256 }]), hcall('BIND_DMA', KEY, ARR, packBind(1, 3)), wait, readU32(ARR)] },
        { kernel: 'script', memory: MEM, script: [writeText(0x3f80, 'x'), ...writeDma(SRC, [{ addr: 0x3f80, len: 256 }]), hcall('SEND_DMA', KEY, SRC), readU32(SRC)] },
      ],
      shared,
    });
    expect(killed(m, SENDER)).toBe('bad DMA entry: 256@0x3f80');
    expect(killed(m, RECEIVER)).toBeNull();
    expect(m.launchers[SENDER].exitMessage).toBe('bad DMA entry: 256@0x3f80');
    expect(results(m, SENDER)[5]).toBeNull(); // the read after the send never ran
    expect(m.runState(RECEIVER)).toBe('halted');
  });

  it('§7.16 An unreadable registered receive array kills the receiver ("bad address in registered DMA struct"), not the sender.', () => {
    // BIND_DMA does not look at the array (§7.21); the send does.
    const top = SHARED + PAGE_SIZE;
    for (const arr of [0x7fff0000, top - 50]) {
      const m = bench(2, shared);
      expect(mem(m, RECEIVER).top).toBe(top);
      expect(hcallOn(m, RECEIVER, 'BIND_DMA', KEY, arr, packBind(1, IRQ))).toBe(1);
      send(m, 'hi');
      expect(killed(m, RECEIVER)).toBe('bad address in registered DMA struct');
      expect(killed(m, SENDER)).toBeNull();
      expect(usedLen(m, SENDER, SRC)).toBe(0);
      expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(0);
    }
    // Entry 0 in use and readable, entry 1 past the top: the scan reaches entry 1 and the receiver dies.
    const m = bench(2, shared);
    const arr = top - DMA.size - 10;
    putDma(m, RECEIVER, arr, [{ addr: BUF, len: 16 }], 1);
    expect(hcallOn(m, RECEIVER, 'BIND_DMA', KEY, arr, packBind(2, IRQ))).toBe(1);
    send(m, 'hi');
    expect(killed(m, RECEIVER)).toBe('bad address in registered DMA struct');
    expect(killed(m, SENDER)).toBeNull();
  });

  it('§7.17 A range is valid only if (addr + len) / 4096 < pfn_limit with no 32-bit overflow, so a range ending exactly at the limit is rejected.', () => {
    const m = bench(2, shared);
    const g = lg(m, SENDER);
    const top = g.pfnLimit * PAGE_SIZE;
    expect(top).toBe(SHARED + PAGE_SIZE);
    expect(g.addressOk(top - 16, 15)).toBe(true);
    expect(g.addressOk(top - 16, 16)).toBe(false); // ends exactly at the limit
    expect(g.addressOk(top - 1, 0)).toBe(true);
    expect(g.addressOk(top, 0)).toBe(false);
    // 0xffffff00 + 0x200 wraps to 0x100 in 32 bits: a wrapped sum must not pass as a small address.
    expect(g.addressOk(0xffffff00, 0x200)).toBe(false);
    expect(g.addressOk(0xffffffff, 1)).toBe(false);

    // Through the transfer engine: a sender section ending exactly at the top dies, one byte shorter goes through.
    const at = (len: number): Machine => {
      const b = bound([0]);
      putDma(b, SENDER, SRC, [{ addr: top - 16, len }]);
      hcallOn(b, SENDER, 'SEND_DMA', KEY, SRC);
      return b;
    };
    expect(killed(at(16), SENDER)).toBe(`bad DMA entry: 16@0x${(top - 16).toString(16)}`);
    expect(killed(at(15), SENDER)).toBeNull();
    expect(usedLen(at(15), SENDER, SRC)).toBe(15);
  });

  it('§7.17 A range is valid only if (addr + len) / 4096 < pfn_limit with no 32-bit overflow, so a range ending exactly at the limit is rejected. — property (addressOk and the engine agree with 64-bit arithmetic)', () => {
    const m = bench(2, shared);
    const g = lg(m, SENDER);
    const pfnLimit = BigInt(g.pfnLimit);
    const valid = (addr: number, len: number): boolean => {
      const end = BigInt(addr) + BigInt(len);
      return end < 1n << 32n && end / 4096n < pfnLimit;
    };
    const near = fc.integer({ min: 0, max: g.pfnLimit * PAGE_SIZE + 2 * PAGE_SIZE });
    const addrArb = fc.oneof(near, fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(addrArb, fc.integer({ min: 0, max: 0xffffffff }), (addr, len) => {
        expect(g.addressOk(addr, len)).toBe(valid(addr, len));
      }),
      { numRuns: 2000 },
    );
    // The same rule decides a kill in check_dma_list (sections kept inside one page, so only the range matters).
    fc.assert(
      fc.property(addrArb, fc.integer({ min: 1, max: PAGE_SIZE }), (addr, want) => {
        const len = Math.min(want, PAGE_SIZE - (addr % PAGE_SIZE));
        const b = bound([0]);
        putDma(b, SENDER, SRC, [{ addr, len }]);
        hcallOn(b, SENDER, 'SEND_DMA', KEY, SRC);
        expect(killed(b, SENDER) === null).toBe(valid(addr, len));
      }),
      { numRuns: 200 },
    );
  });

  it('§7.18 A guest\'s first kill reason is kept; later kill reasons are discarded.', () => {
    // A send whose struct is out of range: lgread kills first ("bad read address … len 100"),
    // then writing the sender's used_len would kill again ("bad write address …"): only the first stays.
    const m = run({
      guests: [
        { kernel: 'script', memory: MEM, script: [...writeDma(ARR, [{ addr: BUF, len: 64 }]), hcall('BIND_DMA', KEY, ARR, packBind(1, IRQ)), wait] },
        { kernel: 'script', memory: MEM, script: [hcall('SEND_DMA', KEY, 0x7fff0000), readU32(SRC), hcall('CRASH', DATA_AT)] },
      ],
      shared,
    });
    expect(killed(m, SENDER)).toBe(`bad read address 0x7fff0000 len ${DMA.size}`);
    expect(eventsOf(m, EventKind.KILL, SENDER)).toHaveLength(1);
    // The guest never ran again: its later steps never happened.
    expect(results(m, SENDER).slice(1)).toEqual([null, null]);

    // Directly: two kills, one reason.
    const b = bench(1);
    b.host.kill(lg(b, 0), 'first');
    b.host.kill(lg(b, 0), 'second');
    expect(killed(b, 0)).toBe('first');
    expect(eventsOf(b, EventKind.KILL).map((e) => b.events.strings[e.a])).toEqual(['first']);
  });
});
