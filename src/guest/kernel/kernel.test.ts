/**
 * The kernel against a small fake host: this file answers the hypercalls
 * itself (console output = SEND_DMA to key 0, BIND_DMA returns `bindResult`,
 * net sends are recorded and acknowledged as the test says), so the exact
 * trap sequence and the memory the kernel writes can be checked.
 */
import { describe, expect, it } from 'vitest';
import {
  LGUEST_DEVICE_S_ACKNOWLEDGE as ACK,
  LGUEST_DEVICE_S_DRIVER as DRIVER,
  LGUEST_DEVICE_S_DRIVER_OK as DRIVER_OK,
  LGUEST_DEVICE_S_FAILED as FAILED,
  LGUEST_DEVICE_T_CONSOLE,
  LGUEST_DEVICE_T_NET,
  LGUEST_NET_F_NOCSUM,
  LHCALL_BIND_DMA,
  LHCALL_HALT,
  LHCALL_LGUEST_INIT,
  LHCALL_SEND_DMA,
  PAGE_SIZE,
  X86_EFLAGS_IF,
  type Arch,
} from '../../abi/index.ts';
import { GuestMemory } from '../../hw/memory.ts';
import type { GuestCpu, Trap } from '../../hw/cpu.ts';
import { gatherDma, readDma, usedLen } from './dma.ts';
import { getField, setField } from './guest-struct.ts';
import { LguestKernel } from './kernel.ts';
import { CON_RX_BUF, CON_RX_DMA, LGUEST_DATA_GPA, NET_BUF_BYTES, NET_RX_DMAS, NET_STATS_GPA, kernelLayouts } from './layout.ts';
import { PKT_ECHO_REPLY, PKT_ECHO_REQUEST, decodePacket, echoPayload, encodePacket, macForGuest } from './packet.ts';
import { KernelStateError } from './state-check.ts';

interface FakeDev {
  readonly type: number;
  readonly features?: number;
  readonly pages?: number;
}

/** Records every u16 store, so the status handshake's individual writes are visible. */
class SpyMemory extends GuestMemory {
  readonly u16Writes: [number, number][] = [];
  override setU16(gpa: number, v: number): void {
    this.u16Writes.push([gpa, v]);
    super.setU16(gpa, v);
  }
}

interface Send {
  readonly key: number;
  readonly bytes: Uint8Array;
}

class FakeHost {
  readonly L;
  readonly mem: SpyMemory;
  readonly kernel: LguestKernel;
  readonly pfns: number[] = [];
  eax = 0;
  console = '';
  readonly traps: Trap[] = [];
  readonly binds: { key: number; array: number; a3: number }[] = [];
  readonly sends: Send[] = [];
  bindResult = 1;
  /** used_len the "peer" reports for a non-console send: the full length by default. */
  sendResult: (s: Send) => number = (s) => s.bytes.length;
  /** Checks run at each console send, before the host writes used_len. */
  onConsoleSend: ((dmaGpa: number) => void) | null = null;

  constructor(
    readonly devs: readonly FakeDev[],
    readonly guestid = 0,
    readonly arch: Arch = 'i386',
    readonly ramBytes = 0x10000,
  ) {
    this.L = kernelLayouts(arch);
    let next = ramBytes + PAGE_SIZE;
    const pfns = devs.map((d) => {
      if (!d.pages) return 0;
      const pfn = next / PAGE_SIZE;
      next += d.pages * PAGE_SIZE;
      return pfn;
    });
    this.mem = new SpyMemory(ramBytes, next, (n) => new ArrayBuffer(n));
    devs.forEach((d, i) => {
      const at = ramBytes + i * this.L.desc.size;
      setField(this.mem, at, this.L.desc, 'type', d.type);
      setField(this.mem, at, this.L.desc, 'features', d.features ?? 0);
      setField(this.mem, at, this.L.desc, 'num_pages', d.pages ?? 0);
      setField(this.mem, at, this.L.desc, 'pfn', pfns[i]);
    });
    this.pfns = pfns;
    this.mem.u16Writes.length = 0;
    this.kernel = new LguestKernel({ arch });
  }

  cpu(): GuestCpu {
    return { mem: this.mem, eax: this.eax, guestIndex: 99, ramBytes: this.ramBytes };
  }

  status(i: number): number {
    return getField(this.mem, this.ramBytes + i * this.L.desc.size, this.L.desc, 'status');
  }

  /** One guest entry and the host's answer. */
  step(irq: number | null = null): Trap {
    const t = this.kernel.run(this.cpu(), irq);
    this.traps.push(t);
    if (t.kind !== 'hcall') return t;
    this.eax = t.call;
    switch (t.call) {
      case LHCALL_LGUEST_INIT:
        setField(this.mem, t.a1, this.L.data, 'guestid', this.guestid);
        break;
      case LHCALL_BIND_DMA:
        this.binds.push({ key: t.a1, array: t.a2, a3: t.a3 });
        this.eax = this.bindResult;
        break;
      case LHCALL_SEND_DMA: {
        const total = readDma(this.mem, this.L.dma, t.a2).reduce((n, s) => n + s.len, 0);
        const bytes = gatherDma(this.mem, this.L.dma, t.a2, total);
        if (t.a1 === 0) {
          this.onConsoleSend?.(t.a2);
          this.console += String.fromCharCode(...bytes);
          setField(this.mem, t.a2, this.L.dma, 'used_len', bytes.length);
        } else {
          const s = { key: t.a1, bytes };
          this.sends.push(s);
          setField(this.mem, t.a2, this.L.dma, 'used_len', this.sendResult(s));
        }
        break;
      }
    }
    return t;
  }

  /** Enter the guest until it HALTs. */
  runUntilHalt(irq: number | null = null): void {
    let first: number | null = irq;
    for (let n = 0; n < 10_000; n++) {
      const t = this.step(first);
      first = null;
      if (t.kind === 'hcall' && t.call === LHCALL_HALT) return;
    }
    throw new Error('the kernel never halted');
  }

  /** The Launcher's console input path: fill the bound buffer, used_len, irq (spec §4.2). */
  type(text: string, consoleIrq: number): string {
    const before = this.console.length;
    this.mem.write(CON_RX_BUF, Uint8Array.from(text, (c) => c.charCodeAt(0)));
    setField(this.mem, CON_RX_DMA, this.L.dma, 'used_len', text.length);
    this.runUntilHalt(consoleIrq);
    return this.console.slice(before);
  }

  /** A peer's frame landing in receive entry i (what the Host's dma_transfer does). */
  deliver(i: number, frame: Uint8Array, netIrq: number): void {
    const e = NET_RX_DMAS + i * this.L.dma.size;
    let at = 0;
    for (const s of readDma(this.mem, this.L.dma, e)) {
      const n = Math.min(s.len, frame.length - at);
      if (n <= 0) break;
      this.mem.write(s.addr, frame.subarray(at, at + n));
      at += n;
    }
    setField(this.mem, e, this.L.dma, 'used_len', frame.length);
    this.runUntilHalt(netIrq);
  }

  stat(name: string): number {
    return getField(this.mem, NET_STATS_GPA, this.L.stats, name);
  }
}

const CONSOLE: FakeDev = { type: LGUEST_DEVICE_T_CONSOLE };
const net = (slot: number): FakeDev => ({ type: LGUEST_DEVICE_T_NET, features: slot | LGUEST_NET_F_NOCSUM, pages: 1 });

describe('boot', () => {
  it('initialises lguest_data, then makes LGUEST_INIT its first trap', () => {
    const h = new FakeHost([CONSOLE]);
    const t = h.step();
    expect(t).toEqual({ kind: 'hcall', call: LHCALL_LGUEST_INIT, a1: LGUEST_DATA_GPA, a2: 0, a3: 0 });
    const D = h.L.data;
    expect(getField(h.mem, 0, D, 'irq_enabled')).toBe(X86_EFLAGS_IF);
    expect(getField(h.mem, 0, D, 'blocked_interrupts')).toBe(0);
    for (let i = 0; i < 64; i++) expect(getField(h.mem, 0, D, 'hcall_status', i)).toBe(0xff);
    expect(getField(h.mem, 0, D, 'noirq_start')).toBe(0);
    expect(getField(h.mem, 0, D, 'noirq_end')).toBe(0);
  });

  it('sets ACKNOWLEDGE, DRIVER, DRIVER_OK as three separate stores and binds the console input', () => {
    const h = new FakeHost([CONSOLE]);
    h.runUntilHalt();
    const statusAt = h.ramBytes + h.L.desc.fields.status.offset;
    expect(h.mem.u16Writes.filter(([a]) => a === statusAt).map(([, v]) => v)).toEqual([ACK, ACK | DRIVER, ACK | DRIVER | DRIVER_OK]);
    expect(h.binds).toEqual([{ key: 0, array: CON_RX_DMA, a3: (1 << 8) | 1 }]);
    expect(readDma(h.mem, h.L.dma, CON_RX_DMA)).toEqual([{ addr: CON_RX_BUF, len: 256 }]);
    expect(h.console).toContain('hvc_lguest: console at irq 1');
    expect(h.console.endsWith('lguest# ')).toBe(true);
  });

  it('marks FAILED when BIND_DMA returns 0, and ACKNOWLEDGE only for a type nobody drives', () => {
    const h = new FakeHost([{ type: 9 }, CONSOLE]);
    h.bindResult = 0;
    h.runUntilHalt();
    expect(h.status(0)).toBe(ACK);
    expect(h.status(1)).toBe(ACK | DRIVER | FAILED);
    expect(h.console).toContain('lguest_bus: device 0: no driver for type 9');
    expect(h.console).toContain('hvc_lguest: device 1: BIND_DMA of the input buffer failed');
  });

  it('probes every slot, not stopping at an empty one (spec §5.1)', () => {
    const h = new FakeHost([{ type: 0 }, { type: 0 }, CONSOLE]);
    h.runUntilHalt();
    expect(h.status(2)).toBe(ACK | DRIVER | DRIVER_OK);
    expect(h.binds[0].a3 & 0xff).toBe(3);
  });

  it('sends console output as single-section ≤256-byte DMAs with used_len zeroed', () => {
    const h = new FakeHost([CONSOLE]);
    let sends = 0;
    h.onConsoleSend = (dma) => {
      sends++;
      const secs = readDma(h.mem, h.L.dma, dma);
      expect(secs).toHaveLength(1);
      expect(secs[0].len).toBeLessThanOrEqual(256);
      expect(usedLen(h.mem, h.L.dma, dma)).toBe(0);
    };
    h.runUntilHalt();
    h.type('help\r', 1);
    expect(sends).toBeGreaterThan(3);
    expect(h.console).toContain('poke-dma ADDR');
  });

  it('halts with interrupts enabled, also after a handler ran with them off', () => {
    const h = new FakeHost([CONSOLE]);
    h.runUntilHalt();
    expect(getField(h.mem, 0, h.L.data, 'irq_enabled')).toBe(X86_EFLAGS_IF);
    setField(h.mem, 0, h.L.data, 'irq_enabled', 0); // the Host's interrupt gate entry
    expect(h.type('x', 1)).toBe('x');
    expect(getField(h.mem, 0, h.L.data, 'irq_enabled')).toBe(X86_EFLAGS_IF);
  });

  it('boots with the x86_64 layouts and reads guestid where that ABI puts it', () => {
    const h = new FakeHost([net(4), CONSOLE], 0x0102, 'x86_64');
    h.runUntilHalt();
    expect(h.L.data.fields.guestid.offset).toBe(1120);
    expect(h.console).toContain('lguest_net: eth0: 02:00:02:01:00:00, slot 4');
    expect(h.console.endsWith('lguest# ')).toBe(true);
  });
});

describe('net driver against a fake wire', () => {
  function withPeers(peers: Record<number, number[]>): FakeHost {
    const h = new FakeHost([net(0), CONSOLE], 7);
    h.runUntilHalt();
    const page = h.pfns[0] * PAGE_SIZE;
    for (const [slot, mac] of Object.entries(peers)) h.mem.write(page + Number(slot) * 6, Uint8Array.from(mac));
    return h;
  }

  it('opens: own MAC in slot me, 8 buffers bound at page + 4·me', () => {
    const h = withPeers({});
    const page = h.pfns[0] * PAGE_SIZE;
    expect(Array.from(h.mem.read(page, 6))).toEqual(macForGuest(7));
    expect(h.binds[0]).toEqual({ key: page, array: NET_RX_DMAS, a3: (8 << 8) | 1 });
    for (let i = 0; i < 8; i++) {
      const secs = readDma(h.mem, h.L.dma, NET_RX_DMAS + i * h.L.dma.size);
      expect(secs.reduce((n, s) => n + s.len, 0)).toBe(NET_BUF_BYTES);
      expect(secs.length).toBeLessThanOrEqual(2);
    }
  });

  it('sends to the matching slot and to promiscuous slots, each its own SEND_DMA', () => {
    const h = withPeers({ 1: macForGuest(1), 2: [0x03, 0, 9, 0, 0, 0], 3: macForGuest(3) });
    h.sendResult = (s) => (s.key === h.pfns[0] * PAGE_SIZE + 4 ? s.bytes.length : 0);
    const out = h.type('ping 1\r', 2);
    const page = h.pfns[0] * PAGE_SIZE;
    expect(h.sends.map((s) => s.key)).toEqual([page + 4, page + 8]);
    expect(out).toContain('PING guest 1');
    expect(h.stat('tx_packets')).toBe(1);
    expect(h.stat('tx_carrier_errors')).toBe(1); // the promiscuous slot took nothing
    // Waiting for the reply: ^C gives the prompt back.
    expect(h.type('\x03', 2)).toBe('^C\r\nlguest# ');
  });

  it('reports an unreachable guest when nothing was delivered', () => {
    const h = withPeers({ 1: macForGuest(1) });
    h.sendResult = () => 0;
    expect(h.type('ping 1\r', 2)).toContain('ping: guest 1 unreachable\r\nlguest# ');
    expect(h.stat('tx_carrier_errors')).toBe(1);
  });

  it('answers an echo request, completes a ping on the matching reply, drops runts', () => {
    const h = withPeers({ 1: macForGuest(1) });
    const page = h.pfns[0] * PAGE_SIZE;
    h.deliver(0, encodePacket({ dst: macForGuest(7), src: macForGuest(1), op: PKT_ECHO_REQUEST, seq: 42, payload: echoPayload(42) }), 1);
    const reply = decodePacket(h.sends[0].bytes);
    expect(h.sends[0].key).toBe(page + 4);
    expect(reply.ok && reply.pkt.op === PKT_ECHO_REPLY && reply.pkt.seq === 42).toBe(true);
    expect(usedLen(h.mem, h.L.dma, NET_RX_DMAS)).toBe(0); // refilled at once

    h.type('ping 1\r', 2);
    h.deliver(3, encodePacket({ dst: macForGuest(7), src: macForGuest(1), op: PKT_ECHO_REPLY, seq: 1, payload: echoPayload(1) }), 1);
    expect(h.console).toContain('64 bytes: reply from guest 1 seq=1\r\nlguest# ');

    h.deliver(5, new Uint8Array(10), 1);
    expect(h.stat('rx_dropped')).toBe(1);
    expect(usedLen(h.mem, h.L.dma, NET_RX_DMAS + 5 * h.L.dma.size)).toBe(0);
    expect(h.stat('rx_packets')).toBe(2);
  });
});

describe('save / load', () => {
  it('save() is a deep copy and load() continues identically', () => {
    const a = new FakeHost([CONSOLE]);
    a.runUntilHalt();
    a.type('echo one', 1);
    const snap = a.kernel.save();
    const memCopy = a.mem.bytes.slice();
    const b = new FakeHost([CONSOLE]);
    b.mem.bytes.set(memCopy);
    b.kernel.load(snap);
    (snap as { lines: string[] }).lines.push('mutated after save');
    const outA = a.type(' two\r', 1);
    const outB = b.type(' two\r', 1);
    expect(outB).toBe(outA);
    expect(outA).toBe(' two\r\none two\r\nlguest# ');
    expect(b.mem.bytes).toEqual(a.mem.bytes);
  });

  it('rejects what save() could not have made', () => {
    const k = new LguestKernel();
    expect(() => k.load(null)).toThrow(KernelStateError);
    expect(() => k.load({ ...(k.save() as object), format: 'v0' })).toThrow(/format/);
    expect(() => k.load({ ...(k.save() as object), jobs: [{ op: 'fly' }] })).toThrow(/jobs\[0\]\.op/);
    expect(() => k.load({ ...(k.save() as object), arch: 'arm' })).toThrow(/arch/);
  });
});
