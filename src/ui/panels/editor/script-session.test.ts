import { describe, expect, it } from 'vitest';
import { Machine } from '../../../machine/machine.ts';
import { PRESETS } from '../../../scenario/presets.ts';
import { validateScenario, type ScenarioInput } from '../../../scenario/scenario.ts';
import { ScriptGuest } from '../../../guest/script-guest.ts';
import { compileScript } from '../../../scenario/script-syntax.ts';
import type { ScriptView } from '../../../worker/api.ts';
import { currentLine, editedScenario, lineResults, loadedSources, newScriptedScenario } from './script-session.ts';

function machineOf(input: ScenarioInput): Machine {
  const r = validateScenario(input);
  if (!r.ok) throw new Error(r.error.message);
  return new Machine(r.value);
}

const viewOf = (m: Machine, g: number): ScriptView => {
  const p = m.programs[g];
  if (!(p instanceof ScriptGuest)) throw new Error('not scripted');
  return { steps: p.steps.map((s) => ({ ...s })), results: p.results.map((r) => (r ? { ...r } : null)), pc: p.pc };
};

const linesOf = (src: string): number[] => {
  const r = compileScript(src);
  if (!r.ok) throw new Error('bad source');
  return r.lines;
};

describe('script editor session logic', () => {
  it('the template is two scripted guests on a shared page, and it runs: guest 0 receives what guest 1 sent', () => {
    const t = newScriptedScenario();
    expect(t.guests).toHaveLength(2);
    expect(t.shared?.[0].map.map((x) => x.guest)).toEqual([0, 1]);
    const m = machineOf(t);
    m.runUntilIdle();
    const src = loadedSources(t)[0]!;
    const res = lineResults(linesOf(src), viewOf(m, 0), null);
    const byLine = new Map(res.map((r) => [r.line, r.text]));
    const lineOf = (needle: string) => src.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
    expect(byLine.get(lineOf('hcall BIND_DMA'))).toBe('ret 1');
    expect(byLine.get(lineOf('wait'))).toBe('irq 3');
    expect(byLine.get(lineOf('read 0x3000'))).toBe('text "hello"');
    expect(byLine.get(lineOf('dma'))).toBe('ok');
    expect(currentLine(res)).toBeNull();
  });

  it('marks the waiting line while stepping, then the line a guest was killed at and the skipped ones after it', () => {
    const sc: ScenarioInput = { guests: [{ kernel: 'script', source: 'wait\nyield\n' }, { kernel: 'script', source: '# x\nhcall SEND_DMA 0x1001 0x2000\nyield\n' }] };
    const m = machineOf(sc);
    m.runUntilIdle();
    const w = lineResults(linesOf('wait\nyield\n'), viewOf(m, 0), null);
    expect(w).toEqual([{ line: 1, state: 'waiting', text: 'waiting for an irq' }]);
    expect(currentLine(w)).toBe(1);
    const killed = m.host.guests[1]?.dead ?? null;
    expect(killed).toBe('bad sending DMA key');
    const k = lineResults(linesOf('# x\nhcall SEND_DMA 0x1001 0x2000\nyield\n'), viewOf(m, 1), killed);
    expect(k).toEqual([
      { line: 2, state: 'killed', text: 'killed: bad sending DMA key' },
      { line: 3, state: 'skipped', text: 'skipped' },
    ]);
  });

  it('prints a JSON-step preset as source whose lines are its steps', () => {
    const bad = PRESETS['bad-dma'];
    const [s0] = loadedSources(bad);
    expect(s0?.split('\n')[0]).toBe('dma 0x2000 used=0 0x3000:256');
    const m = machineOf(bad);
    m.runUntilIdle();
    const res = lineResults(linesOf(s0!), viewOf(m, 0), null);
    expect(res.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(res[1]).toEqual({ line: 2, state: 'done', text: 'ret 1' });
    expect(loadedSources(PRESETS.console)).toEqual([null]);
  });

  it('the edited scenario carries the sources, drops the JSON steps, keeps the recording inputs, and validates', () => {
    const base = PRESETS['bad-dma'];
    const ed = editedScenario(base, [[null, 0, 'hi'], [12, 0, 'x']], new Map([[1, 'yield\n']]));
    expect(ed.guests[1]).toMatchObject({ kernel: 'script', source: 'yield\n' });
    expect(ed.guests[1].script).toBeUndefined();
    expect(ed.guests[0].script).toEqual(base.guests[0].script);
    expect(ed.inputs).toEqual([{ guest: 0, text: 'hi' }, { at: 12, guest: 0, text: 'x' }]);
    expect(base.guests[1].script).toBeDefined();
    const v = validateScenario(JSON.parse(JSON.stringify(ed)));
    expect(v.ok && v.value.guests[1].script).toEqual([{ op: 'yield' }]);
  });
});
