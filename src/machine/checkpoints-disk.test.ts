/**
 * Checkpoints keep a disk as sectors (issue #15): each checkpoint holds only
 * the sectors written since the previous one, and a seek puts the disk back
 * exactly as it was at that event.
 */
import { describe, expect, it } from 'vitest';
import { Checkpoints } from './checkpoints.ts';
import { hashBytes, hashHex, hashInit } from '../base/hash.ts';
import { Machine } from './machine.ts';
import { validateScenario } from '../scenario/scenario.ts';

const alloc = (n: number): ArrayBuffer => new ArrayBuffer(n);
const MiB = 1024 * 1024;

function diskHash(m: Machine): string {
  const h = hashInit();
  hashBytes(h, m.blockDevices()[0].disk);
  return hashHex(h);
}

describe('disk checkpoints', () => {
  it('a 64 MiB disk and 20 writes: the checkpoints hold the image plus the written sectors, and seeks restore each state', () => {
    const r = validateScenario({
      name: 'disk-64',
      guests: [{ kernel: 'lguest', devices: [{ type: 'block', size: 64 * MiB, sectors: { '0': 'sector zero\n' } }] }],
    });
    if (!r.ok) throw new Error(r.error.message);
    const m = new Machine(r.value, { alloc });
    // A checkpoint every 64 events: most writes fall between two of them.
    const cps = new Checkpoints(m, 64);
    const settle = (): void => {
      for (;;) {
        cps.beforeStep();
        if (!m.step()) break;
      }
    };
    settle();
    const states: { at: number; disk: string }[] = [{ at: m.events.count, disk: diskHash(m) }];
    for (let k = 0; k < 20; k++) {
      m.typeInput(0, `blk write ${k * 4099 + 3} write-${k}\r`);
      settle();
      states.push({ at: m.events.count, disk: diskHash(m) });
    }
    expect(m.consoleText(0)).not.toMatch(/error|bad/i);
    expect(new Set(states.map((s) => s.disk)).size).toBe(21);
    // Sector 0 of the image, then one sector per write (each write here fits one sector).
    expect(cps.diskBytesStored).toBe((1 + 20) * 512);
    for (const s of [states[3], states[20], states[0], states[11]]) {
      expect(cps.seek(s.at - 1)).toBe(true);
      expect(diskHash(m)).toBe(s.disk);
    }
  });
});
