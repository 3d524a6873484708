/**
 * Spec §7 rules 1-5 (keys and routing; spec §2.2, §2.4 steps 1-3): each test is
 * named after its rule. Scripted guests run in the real Machine; the property
 * tests drive the Host from a bench machine (src/testing/checklist-rig.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LHREQ_GETDMA, PAGE_SIZE } from '../abi/constants.ts';
import { bench, DMA, eventsOf, hcallOn, killed, lg, mem, putDma, results, retOf, run, scenarioOf, textAt, usedLen, valuesOf } from '../testing/checklist-rig.ts';
import { EventKind } from '../hw/events.ts';
import { Machine } from '../machine/machine.ts';
import { hcall, packBind, readU32, wait, writeDma, writeText } from '../guest/script-builders.ts';
import { ENOENT } from '../abi/errno.ts';

/** RAM of each scripted guest; the descriptor page sits at MEM, so a console-only guest's top is MEM + 4096 (spec §1.4). */
const MEM = 0x20000;
const TOP = MEM + PAGE_SIZE;
/** Where the shared page is mapped (above the descriptor page). */
const SHARED = 0x30000;
const sharedPage = (guests: readonly number[], gpa = SHARED, pages = 1) => ({ pages, map: guests.map((guest) => ({ guest, gpa })) });

/** A receiver: one 64-byte buffer at 0x3000 in a one-entry array at 0x2000, bound on `key` with `irq`, then wait. */
const receiver = (key: number, irq: number) => ({
  kernel: 'script' as const,
  memory: MEM,
  script: [...writeDma(0x2000, [{ addr: 0x3000, len: 64 }]), hcall('BIND_DMA', key, 0x2000, packBind(1, irq)), wait, readU32(0x2000)],
});

/** A sender of `text` (from 0x5000) in a struct at 0x4000, to `key`; the last step reads its used_len. */
const sender = (key: number, text: string) => ({
  kernel: 'script' as const,
  memory: MEM,
  script: [writeText(0x5000, text), ...writeDma(0x4000, [{ addr: 0x5000, len: text.length }]), hcall('SEND_DMA', key, 0x4000), readU32(0x4000)],
});

describe('spec §7 keys and routing', () => {
  it('§7.1 A key that is not 4-byte aligned, or is outside mapped guest memory, kills the guest on BIND_DMA ("bad dma key %#lx"), SEND_DMA ("bad sending DMA key") and GETDMA ("bad registered DMA buffer").', () => {
    const one = (steps: ReturnType<typeof hcall>[]) => run({ guests: [{ kernel: 'script', memory: MEM, script: steps }] });

    // BIND_DMA: unaligned, and the first address past the top of guest memory.
    expect(killed(one([hcall('BIND_DMA', 0x4002, 0x2000, packBind(1, 3))]), 0)).toBe('bad dma key 0x4002');
    const past = one([hcall('BIND_DMA', TOP, 0x2000, packBind(1, 3))]);
    expect(mem(past, 0).top).toBe(TOP);
    expect(killed(past, 0)).toBe(`bad dma key 0x${TOP.toString(16)}`);
    // The last aligned word below the top is a fine key.
    const last = one([hcall('BIND_DMA', TOP - 4, 0x2000, packBind(1, 3))]);
    expect(killed(last, 0)).toBeNull();
    expect(retOf(last, 0, 0)).toBe(1);

    // SEND_DMA: the same two kinds of bad key.
    expect(killed(one([hcall('SEND_DMA', 0x1001, 0x2000)]), 0)).toBe('bad sending DMA key');
    expect(killed(one([hcall('SEND_DMA', 0x7fff0000, 0x2000)]), 0)).toBe('bad sending DMA key');

    // GETDMA from the Launcher: ENOENT, and the guest is killed.
    for (const key of [0x1002, TOP]) {
      const m = bench(1);
      expect(m.launchers[0].write(LHREQ_GETDMA, [key])).toBe(-ENOENT);
      expect(killed(m, 0)).toBe('bad registered DMA buffer');
    }
  });

  it('§7.1 A key that is not 4-byte aligned, or is outside mapped guest memory, kills the guest on BIND_DMA ("bad dma key %#lx"), SEND_DMA ("bad sending DMA key") and GETDMA ("bad registered DMA buffer"). — property: BIND_DMA kills iff key % 4 ≠ 0 or key ≥ top', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: TOP + 64 })), (key) => {
        const m = bench(1);
        const ret = hcallOn(m, 0, 'BIND_DMA', key, 0x2000, packBind(1, 3));
        const bad = key % 4 !== 0 || key >= TOP;
        expect(killed(m, 0)).toBe(bad ? `bad dma key 0x${key.toString(16)}` : null);
        expect(ret).toBe(bad ? 0 : 1);
      }),
      { numRuns: 150 },
    );
  });

  it('§7.2 SEND_DMA to a key in a private page always returns control to that guest\'s Launcher with read() = 8 bytes {struct gpa, key}, and never consults bindings.', () => {
    // The guest binds a private key itself, then sends to it: the send goes to the Launcher, not into its own buffer.
    const s = scenarioOf({
      guests: [
        {
          kernel: 'script',
          memory: MEM,
          script: [
            ...writeDma(0x2000, [{ addr: 0x3000, len: 64 }]),
            hcall('BIND_DMA', 0x6000, 0x2000, packBind(1, 4)),
            writeText(0x5000, 'private'),
            ...writeDma(0x4000, [{ addr: 0x5000, len: 7 }]),
            hcall('SEND_DMA', 0x6000, 0x4000),
            readU32(0x4000),
          ],
        },
      ],
    });
    const m = new Machine(s);
    const L = m.launchers[0];
    // Run until the Host has stopped the guest for its Launcher.
    while (lg(m, 0).pendingDma === null && m.step());
    const r = L.dev.read(L.pid, 8);
    expect(r?.ret).toBe(8);
    const words = new DataView(r!.data.buffer, r!.data.byteOffset, 8);
    expect([words.getUint32(0, true), words.getUint32(4, true)]).toEqual([0x4000, 0x6000]);
    m.runUntilIdle();

    expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(0);
    const reads = eventsOf(m, EventKind.LAUNCHER_READ, 0);
    expect(reads.map((e) => [e.a, e.b])).toEqual([[0x6000, 0x4000]]);
    // Its own binding on that key was never looked at: the buffer is untouched and still free.
    expect(usedLen(m, 0, 0x2000)).toBe(0);
    expect(textAt(m, 0, 0x3000, 7)).toBe('\0'.repeat(7));
    expect(killed(m, 0)).toBeNull();
  });

  it('§7.2 SEND_DMA to a key in a private page always returns control to that guest\'s Launcher with read() = 8 bytes {struct gpa, key}, and never consults bindings. — property: any aligned private key, even one another guest bound at the same gpa', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x1000 / 4, max: TOP / 4 - 1 }), (w) => {
        const key = w * 4;
        const m = bench(2);
        putDma(m, 1, 0x2000, [{ addr: 0x3000, len: 16 }]);
        expect(hcallOn(m, 1, 'BIND_DMA', key, 0x2000, packBind(1, 3))).toBe(1);
        putDma(m, 0, 0x4000, [{ addr: 0x5000, len: 16 }]);
        hcallOn(m, 0, 'SEND_DMA', key, 0x4000);
        expect(lg(m, 0).pendingDma).toEqual({ dma: 0x4000, key });
        expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
        expect(lg(m, 1).pendingIrqs).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('§7.3 SEND_DMA to a shared-page key delivers to at most one binding: the most recently bound matching binding of a *different* guest.', () => {
    // Guests 0 and 1 bind the key (1 last); guest 2 binds it too, then sends: guest 1 gets it, 0 and 2 do not.
    const m = run({
      guests: [
        receiver(SHARED, 3),
        receiver(SHARED, 4),
        {
          kernel: 'script',
          memory: MEM,
          script: [...writeDma(0x2000, [{ addr: 0x3000, len: 64 }]), hcall('BIND_DMA', SHARED, 0x2000, packBind(1, 5)), ...sender(SHARED, 'to one').script],
        },
      ],
      shared: [sharedPage([0, 1, 2])],
    });
    const dmas = eventsOf(m, EventKind.DMA);
    expect(dmas.map((e) => [e.guest, e.a])).toEqual([[2, 1]]);
    expect(textAt(m, 1, 0x3000, 6)).toBe('to one');
    expect(results(m, 1)[4]).toEqual({ irq: 4 });
    expect(usedLen(m, 0, 0x2000)).toBe(0);
    expect(usedLen(m, 2, 0x2000)).toBe(0);
    expect(lg(m, 0).pendingIrqs).toBe(0);
    expect(results(m, 0)[4]).toBeNull(); // guest 0 is still waiting
  });

  it('§7.3 SEND_DMA to a shared-page key delivers to at most one binding: the most recently bound matching binding of a *different* guest. — property: the receiver is the latest bind of another guest', () => {
    // A random sequence of binds (guest, and whether it is an unbind of that guest's latest array) on one key.
    const op = fc.record({ guest: fc.integer({ min: 0, max: 3 }), unbind: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.integer({ min: 0, max: 3 }), (ops, from) => {
        const m = bench(4, [sharedPage([0, 1, 2, 3])]);
        // Live bindings in bind order: [guest, array gpa].
        const live: [number, number][] = [];
        const made = [0, 0, 0, 0];
        for (const o of ops) {
          const mine = live.filter(([g]) => g === o.guest);
          if (o.unbind && mine.length > 0) {
            const [, arr] = mine[mine.length - 1];
            expect(hcallOn(m, o.guest, 'BIND_DMA', SHARED + 8, arr, 0)).toBe(1);
            live.splice(live.lastIndexOf(mine[mine.length - 1]), 1);
            continue;
          }
          const arr = 0x2000 + made[o.guest]++ * DMA.size;
          putDma(m, o.guest, arr, [{ addr: 0x8000, len: 32 }]);
          expect(hcallOn(m, o.guest, 'BIND_DMA', SHARED + 8, arr, packBind(1, 1 + o.guest))).toBe(1);
          live.push([o.guest, arr]);
        }
        putDma(m, from, 0x1000, [{ addr: 0x7000, len: 8 }]);
        hcallOn(m, from, 'SEND_DMA', SHARED + 8, 0x1000);
        const others = live.filter(([g]) => g !== from);
        const dmas = eventsOf(m, EventKind.DMA);
        if (others.length === 0) expect(dmas).toHaveLength(0);
        else {
          const [g, arr] = others[others.length - 1];
          expect(dmas.map((e) => [e.a, e.d])).toEqual([[g, arr]]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('§7.4 SEND_DMA to a shared key nobody else has bound copies nothing, raises no interrupt, and leaves the sender\'s used_len at 0.', () => {
    // Guest 0 binds a *different* offset of the shared page, and the sender binds the key itself.
    const m = run({
      guests: [
        receiver(SHARED + 4, 3),
        {
          kernel: 'script',
          memory: MEM,
          script: [...writeDma(0x2000, [{ addr: 0x3000, len: 64 }]), hcall('BIND_DMA', SHARED, 0x2000, packBind(1, 5)), ...sender(SHARED, 'nobody').script],
        },
      ],
      shared: [sharedPage([0, 1])],
    });
    expect(eventsOf(m, EventKind.DMA)).toHaveLength(0);
    expect(eventsOf(m, EventKind.DMA_FULL)).toHaveLength(0);
    expect(eventsOf(m, EventKind.IRQ_RAISE)).toHaveLength(0);
    expect(valuesOf(m, 1, results(m, 1).length - 1)).toEqual([0]);
    expect(textAt(m, 0, 0x3000, 6)).toBe('\0'.repeat(6));
    expect(textAt(m, 1, 0x3000, 6)).toBe('\0'.repeat(6));
    expect(killed(m, 0)).toBeNull();
    expect(killed(m, 1)).toBeNull();

    // The Host does not write used_len at all: whatever the guest left there stays.
    const b = bench(2, [sharedPage([0, 1])]);
    putDma(b, 1, 0x4000, [{ addr: 0x5000, len: 4 }], 0xdeadbeef);
    hcallOn(b, 1, 'SEND_DMA', SHARED, 0x4000);
    expect(usedLen(b, 1, 0x4000)).toBe(0xdeadbeef);
  });

  it('§7.5 Keys of two guests match only if both addresses lie in the same page of the same shared object at the same in-page offset, regardless of the gpa each guest uses (from the futex key rules, §2.2).', () => {
    // One two-page object at 0x30000 in guest 0 and 0x50000 in guest 1; a second object at 0x40000 in both.
    const shared = [
      { pages: 2, map: [{ guest: 0, gpa: 0x30000 }, { guest: 1, gpa: 0x50000 }] },
      { pages: 1, map: [{ guest: 0, gpa: 0x40000 }, { guest: 1, gpa: 0x40000 }] },
    ];
    const delivered = (bindKey: number, sendKey: number): boolean => {
      const m = bench(2, shared);
      putDma(m, 0, 0x2000, [{ addr: 0x3000, len: 16 }]);
      expect(hcallOn(m, 0, 'BIND_DMA', bindKey, 0x2000, packBind(1, 3))).toBe(1);
      putDma(m, 1, 0x4000, [{ addr: 0x5000, len: 4 }]);
      hcallOn(m, 1, 'SEND_DMA', sendKey, 0x4000);
      return eventsOf(m, EventKind.DMA).length === 1;
    };
    expect(delivered(0x30010, 0x50010)).toBe(true); // same page, same offset, different gpas
    expect(delivered(0x31ff8, 0x51ff8)).toBe(true); // page 1 of the object
    expect(delivered(0x30010, 0x50014)).toBe(false); // other offset
    expect(delivered(0x31010, 0x50010)).toBe(false); // other page of the object, same offset
    expect(delivered(0x40010, 0x50010)).toBe(false); // other object
    expect(delivered(0x6000, 0x6000)).toBe(false); // private pages: same gpa, never the same key
  });

  it('§7.5 Keys of two guests match only if both addresses lie in the same page of the same shared object at the same in-page offset, regardless of the gpa each guest uses (from the futex key rules, §2.2). — property', () => {
    const shared = [
      { pages: 4, map: [{ guest: 0, gpa: 0x30000 }, { guest: 1, gpa: 0x60000 }] },
      { pages: 4, map: [{ guest: 0, gpa: 0x40000 }, { guest: 1, gpa: 0x70000 }] },
    ];
    const base = [
      [0x30000, 0x40000],
      [0x60000, 0x70000],
    ];
    const place = fc.record({ obj: fc.integer({ min: 0, max: 1 }), page: fc.integer({ min: 0, max: 3 }), word: fc.integer({ min: 0, max: 1023 }) });
    fc.assert(
      fc.property(place, place, (b, s) => {
        const m = bench(2, shared);
        const bindKey = base[0][b.obj] + b.page * PAGE_SIZE + b.word * 4;
        const sendKey = base[1][s.obj] + s.page * PAGE_SIZE + s.word * 4;
        putDma(m, 0, 0x2000, [{ addr: 0x3000, len: 16 }]);
        hcallOn(m, 0, 'BIND_DMA', bindKey, 0x2000, packBind(1, 3));
        putDma(m, 1, 0x4000, [{ addr: 0x5000, len: 4 }]);
        hcallOn(m, 1, 'SEND_DMA', sendKey, 0x4000);
        const same = b.obj === s.obj && b.page === s.page && b.word === s.word;
        expect(eventsOf(m, EventKind.DMA).length).toBe(same ? 1 : 0);
        expect(usedLen(m, 1, 0x4000)).toBe(same ? 4 : 0);
      }),
      { numRuns: 150 },
    );
  });
});
