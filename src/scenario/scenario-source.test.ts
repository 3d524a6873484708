/**
 * Issue #14: a scripted guest may carry `source` (the line syntax) instead of
 * `script`, with the same run and hash; numbers may be "0x…" strings.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../machine/machine.ts';
import { parseScenario, validateScenario, type ScenarioInput } from './scenario.ts';
import { summarize } from '../machine/summary.ts';

const msg = (data: unknown): string => {
  const r = validateScenario(data);
  return r.ok ? 'ok' : r.error.message;
};

const SOURCE = `# guest 0 receives into one 64-byte buffer at 0x3000
dma 0x2000 used=0 0x3000:64
hcall BIND_DMA 0x30000 0x2000 0x103
wait
read 0x2000 u32 1
read 0x3000 text 64
`;
const SENDER = `write 0x5000 text "hello"
dma 0x4000 used=0 0x5000:5
hcall SEND_DMA 0x30000 0x4000
read 0x4000 u32 1
`;
const shared = [{ pages: 1, map: [{ guest: 0, gpa: 0x30000 }, { guest: 1, gpa: 0x30000 }] }];

function run(input: unknown) {
  const r = validateScenario(input);
  if (!r.ok) throw new Error(r.error.message);
  const m = new Machine(r.value);
  m.runUntilIdle();
  return { s: summarize(m), scenario: r.value };
}

describe('scenario source (the script line syntax)', () => {
  for (const arch of ['i386', 'x86_64'] as const) {
    it(`a guest with "source" runs exactly as one with the compiled "script" (${arch})`, () => {
      const bySource = run({ arch, guests: [{ kernel: 'script', memory: 0x20000, source: SOURCE }, { kernel: 'script', memory: 0x20000, source: SENDER }], shared });
      const steps = bySource.scenario.guests.map((g) => g.script);
      const byScript = run({ arch, guests: steps.map((script) => ({ kernel: 'script', memory: 0x20000, script })), shared });
      expect(bySource.s.hash).toBe(byScript.s.hash);
      expect(bySource.s.guests).toEqual(byScript.s.guests);
      expect(bySource.s.guests[0].script?.filter((x) => x.op !== 'write').map((x) => x.ret ?? x.irq ?? x.values ?? x.text)).toEqual([1, 3, [5], 'hello']);
    });
  }

  it('keeps the source in the validated scenario, and that scenario validates again (recordings, links)', () => {
    const { scenario } = run({ guests: [{ kernel: 'script', source: 'wait\n' }] });
    expect(scenario.guests[0].source).toBe('wait\n');
    expect(scenario.guests[0].script).toEqual([{ op: 'wait' }]);
    const again = validateScenario(JSON.parse(JSON.stringify(scenario)));
    expect(again.ok && again.value.guests[0]).toEqual(scenario.guests[0]);
  });

  it('names the guest and the line of a syntax error', () => {
    expect(msg({ guests: [{ kernel: 'script', source: 'yield' }, { kernel: 'script', source: '# x\nwrite 0x2000 u32 0\nread 0x2000 u32 1\nhcall SEND_DMA 0x4000 oops' }] })).toBe(
      'guests[1].source: line 4, col 23: expected an argument (a number or 0x…)',
    );
    expect(msg({ guests: [{ kernel: 'lguest', source: 'wait' }] })).toBe('guests[0].source: only a "script" kernel takes a source');
    expect(msg({ guests: [{ kernel: 'script', source: 'wait', script: [{ op: 'yield' }] }] })).toMatch(/^guests\[0\]\.script: give either "script" or "source"/);
    expect(msg({ guests: [{ kernel: 'script', source: 'x'.repeat(300 * 1024) }] })).toMatch(/^guests\[0\]\.source: a source is at most 262144 characters/);
  });

  it('compiles dma for the scenario arch (x86_64 addr[] is 8 bytes, at +40)', () => {
    const a = run({ guests: [{ kernel: 'script', source: 'dma 0x2000 0x3000:16' }] }).scenario.guests[0].script;
    const b = run({ arch: 'x86_64', guests: [{ kernel: 'script', source: 'dma 0x2000 0x3000:16' }] }).scenario.guests[0].script;
    expect(a?.[2]).toMatchObject({ addr: 0x2000 + 36 });
    expect(b?.[2]).toMatchObject({ addr: 0x2000 + 40 });
    expect(b?.[2].op === 'write' && b[2].u32?.length).toBe(32);
  });
});

describe('"0x…" strings wherever a number is expected', () => {
  it('reads hex strings as the numbers they name, with the same run', () => {
    const hex: ScenarioInput = JSON.parse(
      '{"guests": [{"kernel": "script", "memory": "0x20000", "script": [{"op": "write", "addr": "0x2000", "u16": ["0xffff", 1]}, {"op": "read", "addr": "0x2000", "u16": "0x2"}, {"op": "hcall", "call": "0xe", "args": ["0x30000", "0x2000"]}]}, {"kernel": "lguest", "devices": [{"type": "block", "size": "0x200"}]}], "shared": [{"pages": "0x1", "map": [{"guest": "0x0", "gpa": "0x30000"}]}], "inputs": [{"guest": "0x1", "text": "0x10", "at": "0x0"}]}',
    ) as ScenarioInput;
    const r = validateScenario(hex);
    if (!r.ok) throw new Error(r.error.message);
    const g = r.value.guests[0];
    expect(g.memory).toBe(0x20000);
    expect(g.script).toEqual([
      { op: 'write', addr: 0x2000, u16: [0xffff, 1] },
      { op: 'read', addr: 0x2000, u16: 2 },
      { op: 'hcall', call: 14, args: [0x30000, 0x2000] },
    ]);
    expect(r.value.guests[1].devices?.[0]).toMatchObject({ size: 512 });
    expect(r.value.shared).toEqual([{ pages: 1, map: [{ guest: 0, gpa: 0x30000 }] }]);
    // A string that is text stays text.
    expect(r.value.inputs).toEqual([{ guest: 1, text: '0x10', at: 0 }]);
  });

  it('still refuses strings that are not hex numbers, and checks the ranges', () => {
    expect(msg({ guests: [{ kernel: 'script', script: [{ op: 'read', addr: '16', u8: 1 }] }] })).toMatch(/^guests\[0\]\.script\[0\]\.addr: .*expected number, received string/);
    expect(msg({ guests: [{ kernel: 'script', script: [{ op: 'write', addr: '0x100000000', u8: [1] }] }] })).toMatch(/^guests\[0\]\.script\[0\]\.addr: /);
    expect(msg({ guests: [{ kernel: 'script', script: [{ op: 'write', addr: 0, u8: ['0x100'] }] }] })).toMatch(/^guests\[0\]\.script\[0\]\.u8\[0\]: /);
    expect(msg({ guests: [{ memory: '0x1001' }] })).toMatch(/^guests\[0\]\.memory: memory must be a multiple of 4096/);
    expect(parseScenario('{"guests": [{"memory": "0x' + 'f'.repeat(17) + '"}]}').ok).toBe(false);
  });
});
