/** The page's side of share links: the key token a link carries, recording files told from scenarios, file names. */
import { describe, expect, it } from 'vitest';
import { isRecordingShaped, keyToken, parseKeyToken, recordingFileName } from './share.ts';

describe('share', () => {
  it('a selected key round-trips through its link token', () => {
    const k = { guest: 1, key: 0x1001004, dmas: 0x6000 };
    expect(keyToken(k)).toBe('1:0x1001004:0x6000');
    expect(parseKeyToken(keyToken(k))).toEqual(k);
    expect(parseKeyToken('0:0x0:0x2100')).toEqual({ guest: 0, key: 0, dmas: 0x2100 });
    for (const bad of ['', '0:0x0', 'x:0x0:0x0', '0:0x0:0x2100:9', '0:0x123456789:0x0', '<b>:0x0:0x0']) expect(parseKeyToken(bad)).toBeNull();
  });

  it('tells a recording (v: 1 with inputs) from a scenario', () => {
    expect(isRecordingShaped({ v: 1, preset: 'console', inputs: [] })).toBe(true);
    expect(isRecordingShaped({ guests: [{ kernel: 'lguest' }] })).toBe(false);
    expect(isRecordingShaped({ v: 2, inputs: [] })).toBe(false);
    expect(isRecordingShaped({ v: 1, inputs: {} })).toBe(false);
    expect(isRecordingShaped([1])).toBe(false);
    expect(isRecordingShaped(null)).toBe(false);
  });

  it('names recording files after the preset or the scenario', () => {
    expect(recordingFileName({ v: 1, preset: 'net', inputs: [] })).toBe('lguest-lab-net.lguest.json');
    expect(recordingFileName({ v: 1, scenario: { name: 'Big Disk #2!' } as never, inputs: [] })).toBe('lguest-lab-big-disk-2.lguest.json');
  });
});
