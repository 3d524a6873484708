import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LGUEST_MAX_DMA_SECTIONS } from '../abi/constants.ts';
import { writeDma } from '../guest/script-builders.ts';
import { ScriptStepSchema, type ScriptStep } from '../guest/script-step.ts';
import { compileScript, formatSyntaxError, HYPERCALL_NAME_LIST } from './script-syntax.ts';
import { printScript } from './script-print.ts';

const u32 = fc.nat({ max: 0xffffffff });
const u16 = fc.nat({ max: 0xffff });
const u8 = fc.nat({ max: 0xff });
const count = fc.nat({ max: 65536 });
const arch = fc.constantFrom('i386' as const, 'x86_64' as const);

/** Any step of the JSON contract, in the form the compiler writes (hcall args always listed). */
const step: fc.Arbitrary<ScriptStep> = fc.oneof(
  fc.record({ op: fc.constant('write' as const), addr: u32, u32: fc.array(u32, { maxLength: 20 }) }),
  fc.record({ op: fc.constant('write' as const), addr: u32, u16: fc.array(u16, { maxLength: 20 }) }),
  fc.record({ op: fc.constant('write' as const), addr: u32, u8: fc.array(u8, { maxLength: 20 }) }),
  fc.record({ op: fc.constant('write' as const), addr: u32, text: fc.string({ unit: 'binary', maxLength: 30 }) }),
  fc.record({ op: fc.constant('read' as const), addr: u32, u32: count }),
  fc.record({ op: fc.constant('read' as const), addr: u32, u16: count }),
  fc.record({ op: fc.constant('read' as const), addr: u32, u8: count }),
  fc.record({ op: fc.constant('read' as const), addr: u32, text: count }),
  fc.record({
    op: fc.constant('hcall' as const),
    call: fc.oneof(fc.constantFrom(...HYPERCALL_NAME_LIST), fc.constantFrom(...HYPERCALL_NAME_LIST).map((n) => `LHCALL_${n}`), u32),
    args: fc.array(u32, { maxLength: 3 }),
  }),
  fc.constant({ op: 'wait' as const }),
  fc.constant({ op: 'yield' as const }),
);

/** A struct lguest_dma as a `dma` line writes it, at a random place, with random sections. */
const dmaSteps = (a: 'i386' | 'x86_64'): fc.Arbitrary<ScriptStep[]> =>
  fc
    .tuple(fc.nat({ max: 0xffff0000 }), fc.array(fc.record({ addr: u32, len: u16 }), { maxLength: LGUEST_MAX_DMA_SECTIONS }), u32)
    .map(([at, sections, used]) => writeDma(at, sections, used, a));

const script = arch.chain((a) =>
  fc.tuple(
    fc.constant(a),
    fc.array(fc.oneof({ arbitrary: step.map((s) => [s]), weight: 4 }, { arbitrary: dmaSteps(a), weight: 1 }), { maxLength: 25 }).map((xs) => xs.flat()),
  ),
);

describe('script printer', () => {
  it('round-trips random scripts: JSON → source → JSON gives the same steps', () => {
    fc.assert(
      fc.property(script, ([a, steps]) => {
        for (const s of steps) expect(ScriptStepSchema.safeParse(s).success).toBe(true);
        const source = printScript(steps, a);
        const back = compileScript(source, a);
        if (!back.ok) throw new Error(`${back.errors.map(formatSyntaxError).join('; ')}\n${source}`);
        expect(back.steps).toEqual(steps);
        // And the source is a fixed point: printing the compiled steps gives it back.
        expect(printScript(back.steps, a)).toBe(source);
      }),
      { numRuns: 500 },
    );
  });

  it('prints a struct lguest_dma written by a dma line as that one line', () => {
    const src = 'dma 0x6000 used=0 0x4000:64 0x4100:32\n';
    for (const a of ['i386', 'x86_64'] as const) {
      const r = compileScript(src, a);
      expect(r.ok && printScript(r.steps, a)).toBe(src);
    }
    // The i386 writes are not an x86_64 struct (addr[] sits elsewhere): printed as plain writes.
    const i386 = compileScript(src, 'i386');
    expect(i386.ok && printScript(i386.steps, 'x86_64').split('\n')[0]).toBe('write 0x6000 u32 0');
  });

  it('prints partial struct writes (the JSON examples) step by step', () => {
    const steps: ScriptStep[] = [
      { op: 'write', addr: 8192, u32: [0] },
      { op: 'write', addr: 8196, u16: [64] },
      { op: 'write', addr: 8228, u32: [12288] },
      { op: 'hcall', call: 'BIND_DMA', args: [196608, 8192, 259] },
    ];
    expect(printScript(steps)).toBe('write 0x2000 u32 0\nwrite 0x2004 u16 64\nwrite 0x2024 u32 12288\nhcall BIND_DMA 0x30000 0x2000 0x103\n');
  });
});
