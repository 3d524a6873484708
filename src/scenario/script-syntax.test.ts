import { describe, expect, it } from 'vitest';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_DMA } from '../abi/structs.ts';
import { LGUEST_MAX_DMA_SECTIONS } from '../abi/constants.ts';
import { compileScript, formatSyntaxError, parseNumber, tokenize } from './script-syntax.ts';
import type { ScriptStep } from '../guest/script-step.ts';

const steps = (src: string, arch: 'i386' | 'x86_64' = 'i386'): ScriptStep[] => {
  const r = compileScript(src, arch);
  if (!r.ok) throw new Error(r.errors.map(formatSyntaxError).join('\n'));
  return r.steps;
};
/** The first error, formatted as the CLI prints it. */
const err = (src: string): string => {
  const r = compileScript(src);
  if (r.ok) throw new Error(`compiled: ${JSON.stringify(r.steps)}`);
  return formatSyntaxError(r.errors[0]);
};

describe('script line syntax', () => {
  it('compiles the issue #14 example to the JSON steps of the scripted-guest contract', () => {
    const src = [
      '# comments start with #',
      'write 0x2000 u32 0              # also u16, u8, text "hello"',
      'read 0x2000 u32 1',
      'hcall BIND_DMA 0x110000 0x2000 0x104',
      'hcall SEND_DMA 0x110004 0x6000',
      'wait',
      'yield',
    ].join('\n');
    expect(steps(src)).toEqual([
      { op: 'write', addr: 0x2000, u32: [0] },
      { op: 'read', addr: 0x2000, u32: 1 },
      { op: 'hcall', call: 'BIND_DMA', args: [0x110000, 0x2000, 0x104] },
      { op: 'hcall', call: 'SEND_DMA', args: [0x110004, 0x6000] },
      { op: 'wait' },
      { op: 'yield' },
    ]);
    const r = compileScript(src);
    expect(r.ok && r.lines).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('takes every write and read type, decimal or hex, and JSON string escapes', () => {
    expect(steps('write 8192 u16 1 0xffff\nwrite 0x10 u8 255 0\nwrite 0x3000 text "a \\"b\\" # not a comment\\n\\u00e9"\nread 4096 u16 2\nread 0x3000 u8 3\nread 0x3000 text 64')).toEqual([
      { op: 'write', addr: 8192, u16: [1, 0xffff] },
      { op: 'write', addr: 16, u8: [255, 0] },
      { op: 'write', addr: 0x3000, text: 'a "b" # not a comment\né' },
      { op: 'read', addr: 4096, u16: 2 },
      { op: 'read', addr: 0x3000, u8: 3 },
      { op: 'read', addr: 0x3000, text: 64 },
    ]);
    expect(steps('hcall lhcall_send_dma 0x4000 0x5000')).toEqual([{ op: 'hcall', call: 'LHCALL_SEND_DMA', args: [0x4000, 0x5000] }]);
    expect(steps('hcall 14')).toEqual([{ op: 'hcall', call: 14, args: [] }]);
    expect(steps('  \n\t# only a comment\n')).toEqual([]);
    expect(parseNumber('0x00000000ffffffff')).toBe(0xffffffff);
    expect(parseNumber('000000000001')).toBe(1);
    expect(parseNumber('4294967296')).toBeNull();
  });

  for (const arch of ['i386', 'x86_64'] as const) {
    it(`dma writes a whole struct lguest_dma at the ${arch} offsets of the ABI table, unlisted sections zero`, () => {
      const L = layoutOf(LGUEST_DMA, arch).fields;
      const out = steps('dma 0x6000 used=7 0x4000:64 0x4100:32', arch);
      // Apply the writes to a byte array and read the struct back through the layout.
      const mem = new DataView(new ArrayBuffer(0x7000));
      for (const s of out) {
        if (s.op !== 'write') throw new Error('dma compiles to writes only');
        (s.u32 ?? []).forEach((v, i) => mem.setUint32(s.addr + 4 * i, v, true));
        (s.u16 ?? []).forEach((v, i) => mem.setUint16(s.addr + 2 * i, v, true));
      }
      expect(mem.getUint32(0x6000 + L.used_len.offset, true)).toBe(7);
      const lens = Array.from({ length: LGUEST_MAX_DMA_SECTIONS }, (_, i) => mem.getUint16(0x6000 + L.len.offset + 2 * i, true));
      const addrs = Array.from({ length: LGUEST_MAX_DMA_SECTIONS }, (_, i) => Number(L.addr.elemSize === 8 ? mem.getBigUint64(0x6000 + L.addr.offset + 8 * i, true) : mem.getUint32(0x6000 + L.addr.offset + 4 * i, true)));
      expect(lens).toEqual([64, 32, ...Array<number>(14).fill(0)]);
      expect(addrs).toEqual([0x4000, 0x4100, ...Array<number>(14).fill(0)]);
      // Every byte of every field is written (a stale value cannot survive under it); only x86_64's alignment padding before addr[] is not.
      const covered = new Set<number>();
      for (const s of out) if (s.op === 'write') for (let b = 0; b < (s.u32 ?? []).length * 4 + (s.u16 ?? []).length * 2; b++) covered.add(s.addr + b);
      const D = layoutOf(LGUEST_DMA, arch);
      expect(covered.size).toBe(D.order.reduce((n, f) => n + f.size, 0));
      expect(covered.size).toBe(arch === 'i386' ? D.size : D.size - 4);
    });
  }

  it('dma without used= or sections is an empty struct (used_len 0)', () => {
    const [u] = steps('dma 0x4000');
    expect(u).toEqual({ op: 'write', addr: 0x4000, u32: [0] });
  });

  it('names the line, the column and what was expected', () => {
    expect(err('# set up\nwrite 0x2000 u32 0\nread 0x2000 u32 1\nhcall SEND_DMA zz')).toBe('line 4, col 16: expected an argument (a number or 0x…)');
    expect(err('\n\n\nread 0x2000 u32 1 extra')).toBe('line 4, col 19: unexpected "extra": a read takes an address, a type and a count');
    expect(err('write')).toBe('line 1, col 6: expected a number or 0x… address');
    expect(err('write 0x2000 u32 0\n\n\nread 0x200g u32 1')).toBe('line 4, col 6: expected a number or 0x… address');
    expect(err('    read 0x2000 u64 1')).toBe('line 1, col 17: expected u32, u16, u8 or text after the read address, not "u64"');
    expect(err('wrte 0x2000 u32 0')).toBe('line 1, col 1: unknown op "wrte"; expected write, read, hcall, dma, wait or yield');
    expect(err('hcall FLY 1')).toMatch(/^line 1, col 7: unknown hypercall FLY; expected one of .*BIND_DMA.*SEND_DMA/);
    expect(err('hcall SEND_DMA 1 2 3 4')).toBe('line 1, col 22: a hypercall takes at most 3 arguments');
    expect(err('write 0x2000 u16 65536')).toBe('line 1, col 18: a u16 value is at most 65535 (0xffff); 65536 is too large');
    expect(err('write 0x2000 u8 0x1ff')).toMatch(/^line 1, col 17: a u8 value is at most 255/);
    expect(err('write 0x100000000 u32 1')).toBe('line 1, col 7: 0x100000000 is larger than 0xffffffff');
    expect(err('write 0x2000 text "abc')).toBe('line 1, col 19: expected a closing " for this string');
    expect(err('write 0x2000 text "\\q"')).toMatch(/^line 1, col 19: bad string/);
    expect(err('write 0x2000 text abc')).toBe('line 1, col 19: expected a "quoted string"');
    expect(err('read 0x2000 text')).toBe('line 1, col 17: expected how many bytes to read at most');
    expect(err('wait 1')).toBe('line 1, col 6: unexpected "1": wait takes nothing');
    expect(err('dma 0x6000 used=0 0x4000:64 0x4100')).toBe('line 1, col 29: expected used=N or an addr:len section, not "0x4100"');
    expect(err('dma 0x6000 0x4000:0x10000')).toBe('line 1, col 19: a section length (u16) is at most 65535 (0xffff); 0x10000 is too large');
    expect(err('dma 0x6000 used=x')).toBe('line 1, col 17: expected a number after used=');
    expect(err('dma 0x6000 used=1 used=2')).toBe('line 1, col 19: used= is given twice');
    expect(err(`dma 0x6000 ${Array.from({ length: 17 }, (_, i) => `0x${(0x4000 + i * 16).toString(16)}:1`).join(' ')}`)).toMatch(/^line 1, col \d+: a struct lguest_dma has at most 16 sections$/);
    expect(err('dma 0xffffffe0')).toMatch(/^line 1, col 5: a struct lguest_dma \(100 bytes on i386\) at 0xffffffe0 would run past 0xffffffff$/);
  });

  it('reports every bad line, so the editor can mark each', () => {
    const r = compileScript('wait\nwrite x\nyield\nhcall NOPE\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => [e.line, e.col, e.endCol])).toEqual([
      [2, 7, 8],
      [4, 7, 11],
    ]);
  });

  it('bounds the input before reading it', () => {
    expect(err('x'.repeat(300 * 1024))).toMatch(/^line 1, col 1: a script is at most 262144 characters/);
    expect(err(`wait ${' '.repeat(5000)}`)).toMatch(/^line 1, col 4097: a line is at most 4096 characters/);
  });

  it('tokenizes strings with escaped quotes and stops at a comment', () => {
    expect(tokenize('write 1 text "a\\"#b" # c').map((t) => [t.kind, t.text, t.col])).toEqual([
      ['word', 'write', 1],
      ['word', '1', 7],
      ['word', 'text', 9],
      ['string', '"a\\"#b"', 14],
    ]);
  });
});
