/**
 * Spec §7 rules 32-35, 37 and 38 (devices: the descriptor page, the bus
 * handshake, console, block and net; spec §1.4, §4, §5). The guest side is
 * the built-in kernel (src/guest/kernel); rule 35 is the Launcher's block
 * device and is also driven by scripted guests, byte by byte.
 */
import { describe, expect, it } from 'vitest';
import {
  LGUEST_DEVICE_DESC,
  LGUEST_BLOCK_PAGE,
  LGUEST_DEVICE_S_ACKNOWLEDGE,
  LGUEST_DEVICE_S_DRIVER,
  LGUEST_DEVICE_S_DRIVER_OK,
  LGUEST_DEVICE_S_FAILED,
  LGUEST_DEVICE_T_BLOCK,
  LGUEST_DEVICE_T_CONSOLE,
  LGUEST_DEVICE_T_NET,
  LGUEST_MAX_DEVICES,
  LGUEST_NET,
  LHCALL_SEND_DMA,
  LHREQ_GETDMA,
  PAGE_SIZE,
  layoutOf,
} from '../../abi/index.ts';
import { bindings, DMA, eventsOf, killed, lg, mem, results, run, scenarioOf, textAt, valuesOf } from '../../testing/checklist-rig.ts';
import { EventKind } from '../../hw/events.ts';
import { Machine } from '../../machine/machine.ts';
import type { ScenarioInput } from '../../scenario/scenario.ts';
import type { Section } from '../../guest/script-builders.ts';
import { hcall, packBind, readU32, writeDma, writeText } from '../../guest/script-builders.ts';
import type { ScriptStep } from '../../guest/script-step.ts';

/** Guest RAM for the built-in kernel (it keeps its data below 0x80000). */
const KMEM = 0x100000;
const DESC = layoutOf(LGUEST_DEVICE_DESC, 'i386');
const BP = layoutOf(LGUEST_BLOCK_PAGE, 'i386').fields;
const NET = layoutOf(LGUEST_NET, 'i386');
const OK = LGUEST_DEVICE_S_ACKNOWLEDGE | LGUEST_DEVICE_S_DRIVER | LGUEST_DEVICE_S_DRIVER_OK;

/** Descriptor `i` of a guest, decoded with the ABI table. */
function desc(m: Machine, guest: number, i: number): { type: number; features: number; status: number; numPages: number; pfn: number } {
  const L = m.launchers[guest];
  const at = L.descPage + i * DESC.size;
  const g = L.memory;
  const F = DESC.fields;
  return { type: g.u16(at + F.type.offset), features: g.u16(at + F.features.offset), status: g.u16(at + F.status.offset), numPages: g.u16(at + F.num_pages.offset), pfn: g.u32(at + F.pfn.offset) };
}

/** Type a line on a guest's console and run until idle; returns the new console output. */
function type(m: Machine, guest: number, text: string): string {
  const before = m.consoleText(guest).length;
  m.typeInput(guest, text);
  m.runUntilIdle();
  return m.consoleText(guest).slice(before);
}

const kernels = (n: number, devices: NonNullable<ScenarioInput['guests'][number]['devices']> = []): ScenarioInput => ({
  guests: Array.from({ length: n }, () => ({ kernel: 'lguest' as const, memory: KMEM, devices })),
});

/** Keys guest `guest` sent to with SEND_DMA (console key 0 left out), in order. */
const sendKeys = (m: Machine, guest: number, from = 0): number[] =>
  eventsOf(m, EventKind.HCALL, guest)
    .filter((e) => e.index >= from && e.a === LHCALL_SEND_DMA && e.b !== 0)
    .map((e) => e.b);

describe('spec §7 devices', () => {
  it('§7.32 The descriptor table sits in the page at gpa = guest RAM size, holds 16 twelve-byte entries, and the guest probes every slot whose type ≠ 0 setting ACKNOWLEDGE, then DRIVER, then DRIVER_OK (or FAILED).', () => {
    // The spec's numbers, against the ABI table.
    expect(DESC.size).toBe(12);
    expect(LGUEST_MAX_DEVICES * DESC.size).toBe(192);

    const m = new Machine(scenarioOf({ guests: [{ kernel: 'lguest', memory: KMEM, devices: [{ type: 'block' }, { type: 'net' }] }] }));
    const L = m.launchers[0];
    expect(L.descPage).toBe(KMEM);
    // A hole, then two slots the Launcher never made: an unknown type (no driver) and a block device without a page.
    const put = (i: number, type: number): void => L.memory.setU16(KMEM + i * DESC.size + DESC.fields.type.offset, type);
    put(9, 0x77);
    put(12, LGUEST_DEVICE_T_BLOCK);
    // Every store to a status word, in order.
    const stores: [number, number][] = [];
    const orig = L.memory.setU16.bind(L.memory);
    L.memory.setU16 = (gpa: number, v: number): void => {
      const rel = gpa - KMEM;
      if (rel >= 0 && rel < LGUEST_MAX_DEVICES * DESC.size && rel % DESC.size === DESC.fields.status.offset) stores.push([Math.floor(rel / DESC.size), v]);
      orig(gpa, v);
    };
    m.runUntilIdle();

    const A = LGUEST_DEVICE_S_ACKNOWLEDGE;
    const D = A | LGUEST_DEVICE_S_DRIVER;
    const per = (i: number): number[] => stores.filter(([s]) => s === i).map(([, v]) => v);
    expect(per(0)).toEqual([A, D, OK]); // block
    expect(per(1)).toEqual([A, D, OK]); // net
    expect(per(2)).toEqual([A, D, OK]); // console
    expect(per(9)).toEqual([A]); // no driver for type 0x77
    expect(per(12)).toEqual([A, D, D | LGUEST_DEVICE_S_FAILED]); // the driver's probe failed
    // Slots with type 0 were never touched.
    for (let i = 0; i < LGUEST_MAX_DEVICES; i++) if (![0, 1, 2, 9, 12].includes(i)) expect([per(i), desc(m, 0, i).status]).toEqual([[], 0]);
    expect(killed(m, 0)).toBeNull();
  });

  it('§7.33 Device irq = descriptor index + 1, and the console is the last descriptor with pfn 0.', () => {
    const m = run({ guests: [{ kernel: 'lguest', memory: KMEM, devices: [{ type: 'block' }, { type: 'net' }] }] });
    expect([0, 1, 2, 3].map((i) => desc(m, 0, i).type)).toEqual([LGUEST_DEVICE_T_BLOCK, LGUEST_DEVICE_T_NET, LGUEST_DEVICE_T_CONSOLE, 0]);
    expect(desc(m, 0, 2)).toMatchObject({ pfn: 0, numPages: 0 });
    const blockKey = desc(m, 0, 0).pfn * PAGE_SIZE;
    const netKey = desc(m, 0, 1).pfn * PAGE_SIZE + 4 * (desc(m, 0, 1).features & 0xfff);
    const byKey = new Map(bindings(m, 0).map((b) => [parseInt(b.key, 16), b.irq]));
    expect(byKey).toEqual(
      new Map([
        [blockKey, 1],
        [netKey, 2],
        [0, 3],
      ]),
    );
    // Console alone: index 0, irq 1.
    const c = run(kernels(1));
    expect(desc(c, 0, 0)).toMatchObject({ type: LGUEST_DEVICE_T_CONSOLE, pfn: 0 });
    expect(bindings(c, 0).map((b) => [b.key, b.irq])).toEqual([['0', 1]]);
  });

  it('§7.34 Console output on key 0 and console input into the guest\'s single 256-byte buffer bound on key 0 both use key 0.', () => {
    const m = run(kernels(1));
    // Input side: exactly one binding on key 0, one entry, one 256-byte section.
    const con = bindings(m, 0).filter((b) => b.key === '0');
    expect(con.map((b) => [b.num, b.shared])).toEqual([[1, false]]);
    const entry = parseInt(con[0].dmas, 16);
    const F = DMA.fields;
    expect([mem(m, 0).u16(entry + F.len.offset), mem(m, 0).u16(entry + F.len.offset + F.len.elemSize)]).toEqual([256, 0]);
    // Output side: every send to the Launcher so far was on key 0.
    const outKeys = eventsOf(m, EventKind.LAUNCHER_READ, 0).map((e) => e.a);
    expect(outKeys.length).toBeGreaterThan(0);
    expect(new Set(outKeys)).toEqual(new Set([0]));
    const from = m.events.count;
    const out = type(m, 0, 'echo key zero\r');
    expect(out).toContain('key zero');
    // The typed bytes went through GETDMA on key 0 into that entry; the echo came back out on key 0.
    const after = eventsOf(m).filter((e) => e.index >= from);
    expect(after.filter((e) => e.kind === EventKind.LHREQ && e.a === LHREQ_GETDMA).map((e) => e.b)).toEqual(expect.arrayContaining([0]));
    expect(new Set(after.filter((e) => e.kind === EventKind.LHREQ && e.a === LHREQ_GETDMA).map((e) => e.b))).toEqual(new Set([0]));
    const inputs = after.filter((e) => e.kind === EventKind.CONSOLE_INPUT);
    expect(inputs.length).toBeGreaterThan(0); // an empty list would pass .every
    expect(inputs.every((e) => e.b === entry)).toBe(true);
    expect(new Set(after.filter((e) => e.kind === EventKind.LAUNCHER_READ).map((e) => e.a))).toEqual(new Set([0]));
  });

  it('§7.35 The block result is 1 when the transferred byte count equals `bytes`, otherwise 2; write replies have used_len 0 and read replies used_len = bytes read.', () => {
    // Scripted guests against the Launcher's block device: an 8-sector (4096-byte) disk, the block page right above the descriptor page.
    const MEM = 0x20000;
    const page = MEM + PAGE_SIZE;
    const REPLY = 0x2000;
    const SEND = 0x2200;
    /** One request: block page fields, the reply entry (re-armed), the sent struct, SEND_DMA; then read result and reply used_len. */
    const request = (t: number, sector: number, bytes: number, reply: Section[], send: Section[]): ScriptStep[] => [
      { op: 'write', addr: page + BP.type.offset, u32: [t] },
      { op: 'write', addr: page + BP.sector.offset, u32: [sector] },
      { op: 'write', addr: page + BP.bytes.offset, u32: [bytes] },
      { op: 'write', addr: page + BP.result.offset, u32: [0] },
      ...writeDma(REPLY, reply),
      ...writeDma(SEND, send),
      hcall('SEND_DMA', page, SEND),
      readU32(page + BP.result.offset),
      readU32(REPLY),
      readU32(SEND),
    ];
    const N = 14; // steps per request
    const FIRST = 5; // steps before the first request
    const script: ScriptStep[] = [
      ...writeDma(REPLY, []),
      hcall('BIND_DMA', page, REPLY, packBind(1, 1)),
      writeText(0x5000, 'written by the guest'),
      // 0: write 512 bytes as 512 → 1; 1: write 512 bytes claiming 1000 → 2.
      ...request(1, 2, 512, [], [{ addr: 0x5000, len: 512 }]),
      ...request(1, 3, 1000, [], [{ addr: 0x5000, len: 512 }]),
      // 2: read sector 2 (512 into 512) → 1; 3: read 1024 from sector 7, the last: only 512 exist → 2.
      ...request(0, 2, 512, [{ addr: 0x6000, len: 512 }], []),
      ...request(0, 7, 1024, [{ addr: 0x7000, len: 1024 }], []),
    ];
    const m = run({ guests: [{ kernel: 'script', memory: MEM, devices: [{ type: 'block', size: 4096, sectors: { '7': 'seventh' } }], script }] });
    expect(killed(m, 0)).toBeNull();
    const got = (k: number): number[] => [11, 12, 13].map((s) => valuesOf(m, 0, FIRST + k * N + s)![0]);
    // [result, reply used_len, sent used_len]
    expect(got(0)).toEqual([1, 0, 0]);
    expect(got(1)).toEqual([2, 0, 0]);
    expect(got(2)).toEqual([1, 512, 0]);
    expect(got(3)).toEqual([2, 512, 0]);
    expect(textAt(m, 0, 0x6000, 20)).toBe('written by the guest');
    expect(textAt(m, 0, 0x7000, 8)).toBe('seventh\0');
    expect(results(m, 0).length).toBe(FIRST + 4 * N);
    expect(results(m, 0).every((r) => r !== null)).toBe(true);

    // The built-in kernel over the same device: a write then a read round-trips, and the irq completes each request.
    const k = run({ guests: [{ kernel: 'lguest', memory: KMEM, devices: [{ type: 'block', size: 8192 }] }] });
    expect(type(k, 0, 'blk write 5 round trip\r')).toContain('blk: wrote 512 bytes to sector 5');
    expect(type(k, 0, 'blk read 5\r')).toContain('round trip');
    expect(mem(k, 0).u32(desc(k, 0, 0).pfn * PAGE_SIZE + BP.result.offset)).toBe(1);
  });

  it('§7.37 A guest net transmit makes one SEND_DMA per other non-empty slot that matches the destination MAC, is promiscuous, or when the destination is multicast/broadcast, to key page + 4 × slot.', () => {
    const m = run(kernels(3, [{ type: 'net', network: 'lan' }]));
    const page = desc(m, 0, 0).pfn * PAGE_SIZE;
    const table = m.networks.get('lan')!.object.bytes;
    // Unicast: only slot 1.
    let from = m.events.count;
    expect(type(m, 0, 'ping 1\r')).toContain('reply from guest 1');
    expect(sendKeys(m, 0, from)).toEqual([page + 4]);
    // Slot 2 goes promiscuous (low bit of MAC byte 0): it gets a copy of unicast to slot 1 too.
    table[2 * NET.size] |= 1;
    from = m.events.count;
    type(m, 0, 'ping 1\r');
    expect(sendKeys(m, 0, from)).toEqual([page + 4, page + 8]);
    table[2 * NET.size] &= ~1;
    // Broadcast: every other non-empty slot.
    from = m.events.count;
    type(m, 0, 'send all hello\r');
    expect(sendKeys(m, 0, from)).toEqual([page + 4, page + 8]);
    // An empty slot (MAC byte 0 = 0) is skipped, even for broadcast.
    table[2 * NET.size] = 0;
    from = m.events.count;
    type(m, 0, 'send all again\r');
    expect(sendKeys(m, 0, from)).toEqual([page + 4]);
    // Nobody matches: no send at all.
    from = m.events.count;
    expect(type(m, 0, 'ping 7\r')).toContain('unreachable');
    expect(sendKeys(m, 0, from)).toEqual([]);
  });

  it('§7.38 Guest MAC = 02:00:<guestid low>:<guestid high>:00:00 and the slot number = net features & 0xFFF.', () => {
    // Guests 0 and 2 share network "a" (slots 0 and 1); guest 1 is alone on "b" (slot 0).
    const m = run({
      guests: [
        { kernel: 'lguest', memory: KMEM, devices: [{ type: 'net', network: 'a' }] },
        { kernel: 'lguest', memory: KMEM, devices: [{ type: 'net', network: 'b' }] },
        { kernel: 'lguest', memory: KMEM, devices: [{ type: 'net', network: 'a' }] },
      ],
    });
    const slotOf = (g: number): number => desc(m, g, 0).features & 0xfff;
    expect([0, 1, 2].map(slotOf)).toEqual([0, 0, 1]);
    const mac = (net: string, slot: number): number[] => Array.from(m.networks.get(net)!.object.bytes.subarray(slot * NET.size, slot * NET.size + 6));
    expect(mac('a', slotOf(0))).toEqual([2, 0, 0, 0, 0, 0]);
    expect(mac('b', slotOf(1))).toEqual([2, 0, 1, 0, 0, 0]);
    expect(mac('a', slotOf(2))).toEqual([2, 0, 2, 0, 0, 0]);
    // Each guest's receive binding is on its slot's key.
    expect(bindings(m, 2).some((b) => parseInt(b.key, 16) === desc(m, 2, 0).pfn * PAGE_SIZE + 4 * 1 && b.shared)).toBe(true);
    expect(lg(m, 2).index).toBe(2);
  });
});
