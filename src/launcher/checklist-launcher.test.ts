/**
 * Spec §7 rules 22-28, 36, 39 and 40 (/dev/lguest and the Launcher: spec
 * §2.5, §3, §4.1, §4.3). /dev/lguest is driven the way the Launcher and its
 * Waker drive it: write() with a request word from a process id, read() from
 * the Launcher's process; the devices through scripted guests in the Machine.
 */
import { describe, expect, it } from 'vitest';
import { LGUEST_DEVICE_T_BLOCK, LGUEST_IRQS, LHREQ_BREAK, LHREQ_GETDMA, LHREQ_INITIALIZE, LHREQ_IRQ, PAGE_SIZE } from '../abi/constants.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_BLOCK_PAGE } from '../abi/structs.ts';
import { bench, DMA, eventsOf, hcallOn, killed, lg, mem, putDma, results, run, scenarioOf, textAt, usedLen, valuesOf } from '../testing/checklist-rig.ts';
import { EventKind } from '../hw/events.ts';
import { Machine, wakerPid } from '../machine/machine.ts';
import { defaultAllocator } from '../hw/shared-object.ts';
import { hcall, packBind, readU32, wait, writeDma, writeText } from '../guest/script-builders.ts';
import { DevLguest } from '../host/lguest-user.ts';
import { EAGAIN, EBUSY, EINVAL, ENOENT, EPERM } from '../abi/errno.ts';

const WAKER_PID = wakerPid(0);

const MEM = 0x20000;
const SHARED = 0x30000;
const KEY = SHARED + 0x10;
const shared = [{ pages: 1, map: [{ guest: 0, gpa: SHARED }, { guest: 1, gpa: SHARED }] }];
/** Another process than the Launcher (its Waker, say). */
const OTHER_PID = 4242;
const entry = (arr: number, i: number): number => arr + i * DMA.size;
const BP = layoutOf(LGUEST_BLOCK_PAGE, 'i386').fields;

/** Guest 0 binds a private key with `used.length` entries (entry i's used_len = used[i]) and `irq`. */
function boundPrivate(used: readonly number[], irq = 7, key = 0x6000, arr = 0x2000): Machine {
  const m = bench(1);
  used.forEach((u, i) => putDma(m, 0, entry(arr, i), [{ addr: 0x8000 + i * 0x100, len: 0x100 }], u));
  expect(hcallOn(m, 0, 'BIND_DMA', key, arr, packBind(used.length, irq))).toBe(1);
  return m;
}

describe('spec §7 Launcher interface', () => {
  it('§7.22 LHREQ_GETDMA returns the gpa of the first used_len == 0 entry scanning from index 0 of this guest\'s binding, and overwrites that entry\'s used_len with the binding\'s irq.', () => {
    const m = boundPrivate([9, 0, 0]);
    const L = m.launchers[0];
    expect(L.write(LHREQ_GETDMA, [0x6000])).toBe(entry(0x2000, 1));
    expect([usedLen(m, 0, entry(0x2000, 0)), usedLen(m, 0, entry(0x2000, 1)), usedLen(m, 0, entry(0x2000, 2))]).toEqual([9, 7, 0]);
    // The irq stamp makes entry 1 "used": the next GETDMA takes entry 2.
    expect(L.write(LHREQ_GETDMA, [0x6000])).toBe(entry(0x2000, 2));

    // next_dma is ignored: a guest-to-guest delivery moved it to 1, but GETDMA scans from index 0.
    const s = bench(2, shared);
    for (let i = 0; i < 2; i++) putDma(s, 0, entry(0x2000, i), [{ addr: 0x8000 + i * 0x100, len: 0x100 }]);
    expect(hcallOn(s, 0, 'BIND_DMA', KEY, 0x2000, packBind(2, 5))).toBe(1);
    putDma(s, 1, 0x4000, [{ addr: 0x5000, len: 4 }]);
    hcallOn(s, 1, 'SEND_DMA', KEY, 0x4000);
    expect(eventsOf(s, EventKind.DMA).map((e) => e.d)).toEqual([entry(0x2000, 0)]);
    mem(s, 0).setU32(entry(0x2000, 0), 0); // the receiver consumed it
    // Guest 1 binds the same shared key later (in its second slot, another array): guest 0's Launcher still gets guest 0's array.
    expect(hcallOn(s, 1, 'BIND_DMA', 0x6000, 0x2000, packBind(1, 9))).toBe(1);
    putDma(s, 1, 0x2800, [{ addr: 0x8000, len: 16 }]);
    expect(hcallOn(s, 1, 'BIND_DMA', KEY, 0x2800, packBind(1, 6))).toBe(1);
    expect(s.launchers[0].write(LHREQ_GETDMA, [KEY])).toBe(entry(0x2000, 0));
    expect(usedLen(s, 0, entry(0x2000, 0))).toBe(5);
    expect(usedLen(s, 1, 0x2800)).toBe(0);
    expect(s.launchers[1].write(LHREQ_GETDMA, [KEY])).toBe(0x2800);
    expect(usedLen(s, 1, 0x2800)).toBe(6);

    // Of two bindings of one key by this guest, the most recent is found first.
    const t = boundPrivate([0], 7, 0x6000, 0x2000);
    putDma(t, 0, 0x3000, [{ addr: 0x9000, len: 16 }]);
    expect(hcallOn(t, 0, 'BIND_DMA', 0x6000, 0x3000, packBind(1, 8))).toBe(1);
    expect(t.launchers[0].write(LHREQ_GETDMA, [0x6000])).toBe(0x3000);
    expect(usedLen(t, 0, 0x3000)).toBe(8);
  });

  it('§7.23 LHREQ_GETDMA on a binding whose entries are all used returns the last entry\'s gpa (it does not fail).', () => {
    const m = boundPrivate([1, 2, 3], 9);
    expect(m.launchers[0].write(LHREQ_GETDMA, [0x6000])).toBe(entry(0x2000, 2));
    // …and stamps the irq over the full entry's used_len (spec §8: the Launcher then overwrites its data).
    expect([usedLen(m, 0, entry(0x2000, 0)), usedLen(m, 0, entry(0x2000, 1)), usedLen(m, 0, entry(0x2000, 2))]).toEqual([1, 2, 9]);
    expect(killed(m, 0)).toBeNull();

    // Scripted console: the guest's single 256-byte buffer is full and unread; new input overwrites it.
    const c = run({
      guests: [{ kernel: 'script', memory: MEM, script: [...writeDma(0x2000, [{ addr: 0x3000, len: 256 }]), hcall('BIND_DMA', 0, 0x2000, packBind(1, 1)), wait, wait] }],
    });
    c.typeInput(0, 'first');
    c.runUntilIdle();
    expect(textAt(c, 0, 0x3000, 5)).toBe('first');
    c.typeInput(0, 'XY');
    c.runUntilIdle();
    expect(textAt(c, 0, 0x3000, 5)).toBe('XYrst');
    expect(usedLen(c, 0, 0x2000)).toBe(2);
  });

  it('§7.24 LHREQ_GETDMA with no binding for the key fails with ENOENT.', () => {
    const m = boundPrivate([0]);
    const L = m.launchers[0];
    expect(L.write(LHREQ_GETDMA, [0x6004])).toBe(-ENOENT);
    // After an unbind, and for a binding with no entries.
    expect(hcallOn(m, 0, 'BIND_DMA', 0x6000, 0x2000, 0)).toBe(1);
    expect(L.write(LHREQ_GETDMA, [0x6000])).toBe(-ENOENT);
    expect(hcallOn(m, 0, 'BIND_DMA', 0x6000, 0x2000, packBind(0, 3))).toBe(1);
    expect(L.write(LHREQ_GETDMA, [0x6000])).toBe(-ENOENT);
    expect(killed(m, 0)).toBeNull();
    // Only another guest bound the shared key.
    const s = bench(2, shared);
    putDma(s, 1, 0x2000, [{ addr: 0x8000, len: 16 }]);
    expect(hcallOn(s, 1, 'BIND_DMA', KEY, 0x2000, packBind(1, 3))).toBe(1);
    expect(s.launchers[0].write(LHREQ_GETDMA, [KEY])).toBe(-ENOENT);
    expect(usedLen(s, 1, 0x2000)).toBe(0);
  });

  it('§7.25 LHREQ_IRQ with irq ≥ LGUEST_IRQS fails with EINVAL; otherwise it only sets a pending bit.', () => {
    const m = run({ guests: [{ kernel: 'script', memory: MEM, script: [wait, readU32(0x1000)] }] });
    const L = m.launchers[0];
    const g = lg(m, 0);
    expect(g.halted).toBe(true);
    expect(L.write(LHREQ_IRQ, [LGUEST_IRQS])).toBe(-EINVAL);
    expect(L.write(LHREQ_IRQ, [0xffffffff])).toBe(-EINVAL);
    expect(g.pendingIrqs).toBe(0);
    const before = m.events.count;
    expect(L.write(LHREQ_IRQ, [LGUEST_IRQS - 1])).toBe(0);
    // Only the bit: the guest is still halted, nothing was delivered, the wait has not returned.
    expect(g.pendingIrqs).toBe((1 << (LGUEST_IRQS - 1)) >>> 0);
    expect(g.halted).toBe(true);
    expect(eventsOf(m).slice(before).map((e) => e.kind)).toEqual([EventKind.IRQ_RAISE, EventKind.LHREQ]);
    expect(results(m, 0)[0]).toBeNull();
    // The Launcher's next read() runs the delivery check before the halted check (spec §6).
    m.runUntilIdle();
    expect(results(m, 0)[0]).toEqual({ irq: LGUEST_IRQS - 1 });
  });

  it('§7.26 Writes other than BREAK from a process other than the initializer fail with EPERM; any write to a dead guest fails with ENOENT.', () => {
    const m = boundPrivate([0]);
    const L = m.launchers[0];
    const dev = L.dev;
    expect(dev.write(OTHER_PID, LHREQ_GETDMA, [0x6000])).toBe(-EPERM);
    expect(usedLen(m, 0, 0x2000)).toBe(0); // the refused GETDMA did not stamp anything
    expect(dev.write(OTHER_PID, LHREQ_IRQ, [3])).toBe(-EPERM);
    expect(lg(m, 0).pendingIrqs).toBe(0);
    expect(dev.write(OTHER_PID, LHREQ_INITIALIZE, [1, 0, 0, 0])).toBe(-EPERM);
    expect(dev.write(OTHER_PID, 99, [])).toBe(-EPERM);
    expect(dev.write(OTHER_PID, LHREQ_BREAK, [1])).toBe(0);
    expect(dev.write(OTHER_PID, LHREQ_BREAK, [0])).toBe(0);
    // The initializer itself: INITIALIZE again is EBUSY, an unknown request EINVAL.
    expect(L.write(LHREQ_INITIALIZE, [1, 0, 0, 0])).toBe(-EBUSY);
    expect(L.write(99, [])).toBe(-EINVAL);
    // Dead: every request from anyone is ENOENT, BREAK included.
    m.host.kill(lg(m, 0), 'gone');
    for (const pid of [L.pid, OTHER_PID]) for (const req of [LHREQ_GETDMA, LHREQ_IRQ, LHREQ_BREAK, LHREQ_INITIALIZE]) expect(dev.write(pid, req, [0])).toBe(-ENOENT);
    // Before INITIALIZE, anything else is EINVAL.
    const fresh = new DevLguest(m.host, mem(m, 0), defaultAllocator);
    expect(fresh.write(OTHER_PID, LHREQ_GETDMA, [0])).toBe(-EINVAL);
    expect(fresh.read(OTHER_PID, 8)?.ret).toBe(-EINVAL);
  });

  it('§7.27 read() returns EAGAIN while break_out is set, and a BREAK-on write blocks its writer until a BREAK-off write.', () => {
    const m = bench(1);
    const L = m.launchers[0];
    const dev = L.dev;
    expect(dev.read(L.pid, 8)).toBeNull(); // would run the guest
    expect(dev.write(OTHER_PID, LHREQ_BREAK, [1])).toBe(0);
    expect([...dev.breakWaiters]).toEqual([OTHER_PID]);
    expect(dev.read(L.pid, 8)?.ret).toBe(-EAGAIN);
    expect(dev.read(L.pid, 8)?.ret).toBe(-EAGAIN);
    expect(dev.poll()).toEqual({ kind: 'again' });
    expect(dev.write(L.pid, LHREQ_BREAK, [0])).toBe(0);
    expect(dev.breakWaiters.size).toBe(0);
    expect(dev.read(L.pid, 8)).toBeNull();

    // The console input path: the Waker's BREAK on, GETDMA, IRQ, the Launcher's BREAK off, in that order.
    const c = run({
      guests: [{ kernel: 'script', memory: MEM, script: [...writeDma(0x2000, [{ addr: 0x3000, len: 256 }]), hcall('BIND_DMA', 0, 0x2000, packBind(1, 1)), wait, readU32(0x2000)] }],
    });
    c.typeInput(0, 'hi');
    c.runUntilIdle();
    const reqs = eventsOf(c, EventKind.LHREQ).filter((e) => e.a !== LHREQ_INITIALIZE);
    expect(reqs.map((e) => [e.a, e.b])).toEqual([
      [LHREQ_BREAK, 1],
      [LHREQ_GETDMA, 0],
      [LHREQ_IRQ, 1],
      [LHREQ_BREAK, 0],
    ]);
    expect(c.launchers[0].dev.breakWaiters.size).toBe(0);
    expect(results(c, 0)[4]).toEqual({ irq: 1 });
    expect(valuesOf(c, 0, 5)).toEqual([2]);
    // Blocked, then released: one BREAK_WAIT each way, around the Launcher's work.
    const waits = eventsOf(c, EventKind.BREAK_WAIT);
    expect(waits.map((e) => [e.a, e.b])).toEqual([
      [WAKER_PID, 1],
      [WAKER_PID, 0],
    ]);
    const off = reqs[3].index;
    expect(waits[0].index).toBeLessThan(reqs[1].index);
    expect(waits[1].index).toBeGreaterThan(off);

    // The Waker really waits: between its BREAK on and the Launcher's BREAK off a quantum passes
    // with the Waker blocked, and input typed meanwhile raises no second BREAK on.
    const w = run({
      guests: [{ kernel: 'script', memory: MEM, script: [...writeDma(0x2000, [{ addr: 0x3000, len: 256 }]), hcall('BIND_DMA', 0, 0x2000, packBind(1, 1)), wait, readU32(0x2000)] }],
    });
    w.typeInput(0, 'a');
    expect(w.step()).toBe(true);
    const dw = w.launchers[0].dev;
    expect([...dw.breakWaiters]).toEqual([WAKER_PID]);
    expect(lg(w, 0).breakOut).toBe(true);
    expect(w.runState(0)).toBe('launcher');
    expect(eventsOf(w, EventKind.LHREQ).filter((e) => e.a === LHREQ_GETDMA)).toHaveLength(0);
    w.launchers[0].typeInput(new TextEncoder().encode('b'));
    expect(w.step()).toBe(true);
    expect(dw.breakWaiters.size).toBe(0);
    expect(eventsOf(w, EventKind.LHREQ).filter((e) => e.a === LHREQ_BREAK).map((e) => e.b)).toEqual([1, 0]);
    expect(eventsOf(w, EventKind.BREAK_WAIT).map((e) => e.b)).toEqual([1, 0]);
  });

  it('§7.28 After death the run returns ENOENT and the following read() returns the reason string with its NUL, cut to the read size.', () => {
    const m = bench(1);
    const L = m.launchers[0];
    m.host.kill(lg(m, 0), 'CRASH: oops');
    expect(L.dev.read(OTHER_PID, 100)?.ret).toBe(-EPERM);
    expect(L.dev.read(L.pid, 1023)?.ret).toBe(-ENOENT);
    const cut = L.dev.read(L.pid, 5)!;
    expect(cut.ret).toBe(5);
    expect(String.fromCharCode(...cut.data)).toBe('CRASH');
    const whole = L.dev.read(L.pid, 100)!;
    expect(whole.ret).toBe('CRASH: oops'.length + 1);
    expect(String.fromCharCode(...whole.data)).toBe('CRASH: oops\0');
    expect(L.dev.read(L.pid, 12)!.ret).toBe(12);
    expect(L.dev.read(L.pid, 11)!.data.includes(0)).toBe(false);

    // In the Machine the Launcher does the same and exits with the reason.
    const c = run({ guests: [{ kernel: 'script', memory: MEM, script: [writeText(0x3000, 'out of cheese'), hcall('CRASH', 0x3000), readU32(0x1000)] }] });
    expect(killed(c, 0)).toBe('CRASH: out of cheese');
    expect(c.launchers[0].exitMessage).toBe('CRASH: out of cheese');
    expect(eventsOf(c, EventKind.LAUNCHER_EXIT).map((e) => c.events.strings[e.a])).toEqual(['CRASH: out of cheese']);
    expect(results(c, 0)[2]).toBeNull();
  });

  it('§7.36 A block request whose sector × 512 ≥ disk size terminates the Launcher (not only the guest).', () => {
    // Guest 0 has a 4096-byte disk (8 sectors); its block page is device 0's page, right above the descriptor page.
    const blockPage = MEM + PAGE_SIZE;
    const request = (sector: number) => [
      { op: 'write' as const, addr: blockPage + BP.type.offset, u32: [0] },
      { op: 'write' as const, addr: blockPage + BP.sector.offset, u32: [sector] },
      { op: 'write' as const, addr: blockPage + BP.bytes.offset, u32: [512] },
      ...writeDma(0x2000, [{ addr: 0x3000, len: 512 }]),
      hcall('BIND_DMA', blockPage, 0x2000, packBind(1, 1)),
      ...writeDma(0x4000, []),
      hcall('SEND_DMA', blockPage, 0x4000),
      readU32(blockPage + BP.result.offset),
    ];
    const scenario = (sector: number) => ({
      guests: [
        { kernel: 'script' as const, memory: MEM, devices: [{ type: 'block' as const, size: 4096, sectors: { '7': 'last sector' } }], script: request(sector) },
        { kernel: 'script' as const, memory: MEM, script: [hcall('GET_WALLCLOCK'), { op: 'yield' as const }, hcall('GET_WALLCLOCK')] },
      ],
    });
    const ok = run(scenario(7));
    const desc = ok.launchers[0].memory.u16(MEM);
    expect(desc).toBe(LGUEST_DEVICE_T_BLOCK);
    expect(valuesOf(ok, 0, 11)).toEqual([1]);
    expect(textAt(ok, 0, 0x3000, 11)).toBe('last sector');
    expect(ok.launchers[0].exitMessage).toBeNull();

    const bad = run(scenario(8));
    expect(bad.launchers[0].exitMessage).toBe('Bad offset 4096 vs 4096');
    expect(killed(bad, 0)).toBe('launcher exited: Bad offset 4096 vs 4096');
    expect(eventsOf(bad, EventKind.LAUNCHER_EXIT, 0)).toHaveLength(1);
    expect(results(bad, 0).slice(10)).toEqual([null, null]);
    // The Host never killed the guest itself; the Launcher went, and took its bindings with it.
    expect(eventsOf(bad, EventKind.KILL)).toHaveLength(0);
    expect(lg(bad, 0).bindings.length).toBeGreaterThan(0);
    expect(lg(bad, 0).bindings.every((w) => w === 0)).toBe(true);
    // The other guest's Launcher is unaffected.
    expect(bad.launchers[1].exitMessage).toBeNull();
    expect(results(bad, 1).length).toBeGreaterThan(0);
    expect(results(bad, 1).every((r) => r !== null)).toBe(true);
  });

  it('§7.39 Launcher-side checks reject any address ≥ top or addr + len ≥ top and terminate the Launcher; they do not enforce the 4096-byte/page-crossing rules.', () => {
    const top = MEM + PAGE_SIZE; // console only: RAM then the descriptor page
    const consoleSend = (dmaAt: number, addr: number, len: number, text = '') => ({
      guests: [{ kernel: 'script' as const, memory: MEM, script: [...(text ? [writeText(addr, text)] : []), ...writeDma(dmaAt, [{ addr, len }]), hcall('SEND_DMA', 0, dmaAt), readU32(dmaAt)] }],
    });
    // 5000 bytes crossing two page boundaries: the Host would refuse this between guests, the Launcher prints it.
    const big = 'B'.repeat(4990) + 'end of it!';
    const ok = run(consoleSend(0x4000, 0x5f00, 5000, big));
    expect(ok.launchers[0].memory.top).toBe(top);
    expect(ok.consoleText(0)).toBe(big);
    expect(usedLen(ok, 0, 0x4000)).toBe(5000);
    expect(killed(ok, 0)).toBeNull();

    // A section ending one byte below the top is fine; ending at the top, or starting there, ends the Launcher.
    const below = run(consoleSend(0x4000, top - 17, 16, 'sixteen bytes!!!'));
    expect(below.consoleText(0)).toBe('sixteen bytes!!!');
    for (const [addr, len] of [
      [top - 16, 16],
      [top, 1],
      [0xfffffff0, 0x20],
    ]) {
      const m = run(consoleSend(0x4000, addr, len));
      expect(m.launchers[0].exitMessage).toBe(`lguest.c: Invalid address ${addr | 0}`);
      expect(m.consoleText(0)).toBe('');
      expect(results(m, 0)[4]).toBeNull();
    }
    // The struct itself is checked for its full size.
    const structAtTop = run(consoleSend(top - DMA.size, 0x5000, 0));
    expect(structAtTop.launchers[0].exitMessage).toBe(`lguest.c: Invalid address ${top - DMA.size}`);
    const structBelow = run(consoleSend(top - DMA.size - 1, 0x5000, 0));
    expect(structBelow.launchers[0].exitMessage).toBeNull();
  });

  it('§7.40 A SEND_DMA to the Launcher is synchronous: the guest does not run again until the Launcher has written used_len and read() again.', () => {
    const m = new Machine(
      scenarioOf({ guests: [{ kernel: 'script', memory: MEM, script: [writeText(0x5000, 'hello'), ...writeDma(0x4000, [{ addr: 0x5000, len: 5 }]), hcall('SEND_DMA', 0, 0x4000), readU32(0x4000)] }] }),
    );
    const g = lg(m, 0);
    while (g.pendingDma === null && m.step());
    // Stopped in the send: used_len not written yet, the read after it not run, the guest waits on its Launcher.
    expect(usedLen(m, 0, 0x4000)).toBe(0);
    expect(m.runState(0)).toBe('launcher');
    expect(results(m, 0)[4]).toBeNull();
    // One quantum: the Launcher's output handler writes used_len; the guest still has not run.
    m.step();
    expect(usedLen(m, 0, 0x4000)).toBe(5);
    expect(m.consoleText(0)).toBe('hello');
    expect(results(m, 0)[4]).toBeNull();
    expect(L_readAgain(m)).toBeNull();
    m.runUntilIdle();
    // The guest's first look at used_len already sees the Launcher's count.
    expect(results(m, 0)[4]).toEqual({ ret: expect.any(Number) });
    expect(valuesOf(m, 0, 5)).toEqual([5]);
    const kinds = eventsOf(m)
      .map((e) => e.kind)
      .filter((k) => k === EventKind.LAUNCHER_READ || k === EventKind.LAUNCHER_OUTPUT || k === EventKind.HCALL);
    // INIT, SEND_DMA, then the Launcher's read and output; no guest hypercall in between.
    expect(kinds).toEqual([EventKind.HCALL, EventKind.HCALL, EventKind.LAUNCHER_READ, EventKind.LAUNCHER_OUTPUT]);
  });
});

/** After the output is handled, read() no longer reports the send (the previous send is complete). */
function L_readAgain(m: Machine): ReturnType<DevLguest['read']> {
  const L = m.launchers[0];
  return L.dev.read(L.pid, 8);
}
