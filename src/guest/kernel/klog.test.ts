import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../hw/memory.ts';
import { klogInit, klogRead, klogWrite } from './klog.ts';
import { KLOG_BYTES, KLOG_DATA, kernelLayouts } from './layout.ts';

const L = kernelLayouts('i386');
const mem = (): GuestMemory => new GuestMemory(0x10000, 0x10000, (n) => new ArrayBuffer(n));

describe('klog', () => {
  it('keeps lines in guest memory and reads them back', () => {
    const m = mem();
    klogInit(m, L);
    klogWrite(m, L, 'one\n');
    klogWrite(m, L, 'two\n');
    expect(klogRead(m, L)).toBe('one\ntwo\n');
    expect(m.cstring(KLOG_DATA, 8)).toBe('one\ntwo\n');
  });

  it('after wrapping, keeps the newest bytes from the first whole line', () => {
    const m = mem();
    klogInit(m, L);
    const line = (i: number): string => `line ${String(i).padStart(5, '0')}\n`; // 11 bytes
    const n = Math.ceil(KLOG_BYTES / 11) + 10;
    for (let i = 0; i < n; i++) klogWrite(m, L, line(i));
    const text = klogRead(m, L);
    expect(text.length).toBeLessThanOrEqual(KLOG_BYTES);
    expect(text.startsWith('line ')).toBe(true);
    expect(text.endsWith(line(n - 1))).toBe(true);
    expect(text.split('\n').every((l) => l === '' || /^line \d{5}$/.test(l))).toBe(true);
  });
});
