/**
 * Captions of real runs: the context is worked out from the recorded events
 * and the guests' page maps (as the page does from its shared-memory views),
 * and each caption must say what the run did.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVICE_TYPE_NAMES, LHCALL_BIND_DMA, LHCALL_SEND_DMA, PAGE_SIZE } from '../abi/constants.ts';
import { eventsOf, run } from '../testing/checklist-rig.ts';
import { EventKind, type SimEvent } from '../hw/events.ts';
import type { Machine } from '../machine/machine.ts';
import { PRESETS } from '../scenario/presets.ts';
import { hcall, packBind, wait, writeDma, writeText } from '../guest/script-builders.ts';
import { DMA } from '../testing/checklist-rig.ts';
import type { ScenarioInput } from '../scenario/scenario.ts';
import { captionContext, type CaptionFacts } from './caption-context.ts';
import { captionOf } from './event-caption.ts';

const example = (name: string): ScenarioInput => JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8')) as ScenarioInput;

/** The facts a page would read: events, page maps, descriptor types. */
function facts(m: Machine): CaptionFacts {
  return {
    event: (i) => (i >= 0 && i < m.events.count ? m.events.get(i) : undefined),
    strings: m.events.strings,
    keyPage: (g, gpa) => {
      const mem = m.launchers[g]?.memory;
      if (!mem || gpa + 4 > mem.top) return 'unmapped';
      return mem.sharedAt(Math.floor(gpa / PAGE_SIZE) * PAGE_SIZE) ? 'shared' : 'private';
    },
    deviceType: (g, index) => {
      const d = m.launchers[g]?.devices.find((x) => x.index === index);
      return d ? DEVICE_TYPE_NAMES[d.type] : undefined;
    },
    // The scripts below never rewrite a struct after sending it, so its lengths are still as sent.
    sentBytes: (g, gpa) => {
      const mem = m.launchers[g].memory;
      let total = 0;
      for (let i = 0; i < 16; i++) {
        const len = mem.u16(gpa + DMA.fields.len.offset + 2 * i);
        if (len === 0) break;
        total += len;
      }
      return total;
    },
  };
}

const captionsOf = (m: Machine, list: readonly SimEvent[]): string[] => list.map((e) => captionOf(e, m.events.strings, captionContext(e, facts(m))).text);
const hcalls = (m: Machine, call: number, guest?: number): SimEvent[] => eventsOf(m, EventKind.HCALL, guest).filter((e) => e.a === call);

describe('captions of real runs', () => {
  it('console: output on key 0 goes to the Launcher; input lands via GETDMA', () => {
    const m = run(PRESETS.console);
    m.typeInput(0, 'echo hi\n');
    m.runUntilIdle();
    const sends = captionsOf(m, hcalls(m, LHCALL_SEND_DMA, 0));
    expect(sends.length).toBeGreaterThan(0);
    for (const t of sends) expect(t).toMatch(/^guest 0 SEND_DMA to key 0x0, a private key: the Host stops the guest and its Launcher's read\(\) returns the lguest_dma at 0x[0-9a-f]+$/);
    expect(captionsOf(m, hcalls(m, LHCALL_BIND_DMA, 0))[0]).toContain('only its Launcher can fill them');
    const out = captionsOf(m, eventsOf(m, EventKind.LAUNCHER_OUTPUT, 0));
    expect(out[0]).toMatch(/writes the \d+ bytes of console output to its terminal/);
    expect(captionsOf(m, eventsOf(m, EventKind.CONSOLE_INPUT, 0))[0]).toMatch(/read \d+ bytes of console input/);
    const status = captionsOf(m, eventsOf(m, EventKind.STATUS, 0)).join('\n');
    expect(status).toMatch(/sets ACKNOWLEDGE(, DRIVER)? in device \d+ \(console\)'s status: the guest's bus found it in the descriptor page/);
    expect(status).toContain('DRIVER_OK');
  });

  it('bind-and-send: a shared key goes to the other guest (the Futex Trick)', () => {
    const m = run(example('bind-and-send'));
    const [t] = captionsOf(m, hcalls(m, LHCALL_SEND_DMA, 1));
    expect(t).toContain("a shared key: the Host copied 18 bytes into guest 0's buffer");
    expect(t).not.toContain('Launcher');
    expect(captionsOf(m, eventsOf(m, EventKind.DMA))[0]).toContain('copied 18 bytes');
  });

  it('receiver-full: two DMA_FULL (the try and the one retry), then the send gives up', () => {
    const m = run(example('receiver-full'));
    expect(captionsOf(m, eventsOf(m, EventKind.DMA_FULL))).toEqual([expect.stringContaining('tries once more'), expect.stringContaining('gives up')]);
    const send = hcalls(m, LHCALL_SEND_DMA).filter((e) => captionContext(e, facts(m)).keyPage === 'shared');
    expect(captionsOf(m, send).some((t) => /tried once more, found it full again and gave up/.test(t))).toBe(true);
  });

  it('a send longer than the receiver\'s buffer is truncated, and the caption says by how much', () => {
    const m = run({
      name: 'truncate',
      guests: [
        { kernel: 'script', memory: 0x20000, script: [...writeDma(0x2000, [{ addr: 0x3000, len: 100 }]), hcall('BIND_DMA', 0x30000, 0x2000, packBind(1, 3)), wait] },
        { kernel: 'script', memory: 0x20000, script: [writeText(0x5000, 'x'.repeat(300)), ...writeDma(0x4000, [{ addr: 0x5000, len: 300 }]), hcall('SEND_DMA', 0x30000, 0x4000)] },
      ],
      shared: [{ pages: 1, map: [{ guest: 0, gpa: 0x30000 }, { guest: 1, gpa: 0x30000 }] }],
    });
    expect(captionsOf(m, eventsOf(m, EventKind.DMA))).toEqual([expect.stringContaining('only 100 of the 300 bytes sent fit in the entry at 0x2000')]);
  });

  it('ping-empty-dma: an empty send is a ping', () => {
    const m = run(example('ping-empty-dma'));
    expect(captionsOf(m, eventsOf(m, EventKind.DMA))[0]).toContain('a ping');
  });

  it('bad-key: each kill names its rule, and the HCALL says the guest died', () => {
    const m = run(example('bad-key'));
    const kills = captionsOf(m, eventsOf(m, EventKind.KILL));
    expect(kills[0]).toContain('"bad dma key 0x4002"');
    expect(kills[1]).toContain('"bad sending DMA key"');
    expect(captionsOf(m, hcalls(m, LHCALL_SEND_DMA, 1))[0]).toContain('bad sending DMA key');
    const g2 = captionsOf(m, hcalls(m, LHCALL_BIND_DMA, 2));
    expect(g2[0]).toContain('irq 32 is not below 32');
    expect(g2[1]).toContain('binds');
  });

  it('bad-dma preset: the sender is killed by check_dma_list; the receiver is told nothing', () => {
    const m = run(PRESETS['bad-dma']);
    const send = hcalls(m, LHCALL_SEND_DMA, 1);
    expect(send).toHaveLength(1);
    const ctx = captionContext(send[0], facts(m));
    expect(ctx.killedFor).toMatch(/^bad DMA entry/);
    expect(captionOf(send[0], m.events.strings, ctx).source?.fn).toBe('check_dma_list');
  });

  it('every event of the block and net presets has a caption with a rule and a source', () => {
    for (const name of ['block', 'net'] as const) {
      const m = run(PRESETS[name]);
      m.typeInput(0, name === 'net' ? 'ping 1\n' : 'blk read 0\n');
      m.runUntilIdle();
      const f = facts(m);
      for (let i = 0; i < m.events.count; i++) {
        const e = m.events.get(i);
        const c = captionOf(e, m.events.strings, captionContext(e, f));
        expect(c.spec.length).toBeGreaterThan(0);
        expect(c.source).not.toBeNull();
      }
      if (name === 'block') expect(captionsOf(m, eventsOf(m, EventKind.BLOCK_IO))[0]).toMatch(/read \d+ bytes from sector 0/);
      if (name === 'net') expect(captionsOf(m, eventsOf(m, EventKind.DMA)).length).toBeGreaterThan(0);
    }
  });
});
