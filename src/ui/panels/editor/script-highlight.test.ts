import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highlightLine, type Span } from './script-highlight.ts';

const show = (line: string): string[] => highlightLine(line).map((s: Span) => `${s.cls}:${line.slice(s.from, s.to)}`);

describe('script highlighting', () => {
  it('colours each part of a line as the compiler reads it', () => {
    expect(show('hcall BIND_DMA 0x30000 0x2000 0x103   # ret 1')).toEqual(['op:hcall', 'call:BIND_DMA', 'num:0x30000', 'num:0x2000', 'num:0x103', 'comment:# ret 1']);
    expect(show('write 0x3000 text "a # b" # c')).toEqual(['op:write', 'num:0x3000', 'type:text', 'str:"a # b"', 'comment:# c']);
    expect(show('dma 0x6000 used=0 0x4000:64')).toEqual(['op:dma', 'num:0x6000', 'key:used=', 'num:0', 'num:0x4000', 'num:64']);
    expect(show('wrte 1 u64')).toEqual(['bad:wrte', 'num:1', 'bad:u64']);
    expect(show('hcall FLY')).toEqual(['op:hcall', 'bad:FLY']);
    expect(show('read 0x2000 u32 zz')).toEqual(['op:read', 'num:0x2000', 'type:u32', 'bad:zz']);
  });

  it('spans are in order, inside the line and never overlap', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (line) => {
        let at = 0;
        for (const s of highlightLine(line)) {
          expect(s.from).toBeGreaterThanOrEqual(at);
          expect(s.to).toBeGreaterThan(s.from);
          expect(s.to).toBeLessThanOrEqual(line.length);
          at = s.to;
        }
      }),
    );
  });
});
