/** Running one case, audited or not, with the Machine's hooks installed. */
import fc from 'fast-check';
import { EVENT_WORDS, EventKind } from '../../hw/events.ts';
import { eventToJson } from '../../hw/event-json.ts';
import { Machine } from '../../machine/machine.ts';
import { validateScenario } from '../../scenario/scenario.ts';
import { MAX_QUANTA, newCover, type Cover, cover } from './budget.ts';
import { type FuzzCase, caseGenArb, compileCase } from './case-gen.ts';
import { hex } from './phys-map.ts';
import { Auditor } from './auditor.ts';


// ---------------------------------------------------------------------------
// Running a case

export interface RunResult {
  readonly events: Uint32Array;
  readonly strings: readonly string[];
  readonly hash: string;
  readonly hcalls: number;
  readonly quanta: number;
  readonly dmas: number;
  readonly kills: number;
  readonly cover: Cover;
}

export function eventWords(m: Machine): Uint32Array {
  const out = new Uint32Array(m.events.count * EVENT_WORDS);
  for (let i = 0; i < m.events.count; i++) {
    const e = m.events.get(i);
    out.set([e.kind, e.guest, e.time, e.a, e.b, e.c, e.d, e.e], i * EVENT_WORDS);
  }
  return out;
}

export function tail(m: Machine, n: number): string {
  const lines: string[] = [];
  for (let i = Math.max(0, m.events.count - n); i < m.events.count; i++) lines.push(JSON.stringify(eventToJson(m.events.get(i), m.events.strings)));
  return lines.join('\n');
}

/**
 * Run a case, audited or not. `mutate` (the auditor's own tests) may wrap
 * parts of the Machine after the auditor has hooked it, to make it misbehave.
 */
export function runCase(c: FuzzCase, audit: boolean, mutate?: (m: Machine) => void): RunResult {
  const v = validateScenario(c.scenario);
  if (!v.ok) throw new Error(`generator produced an invalid scenario: ${v.error.message}`);
  const m = new Machine(v.value);
  const a = audit ? new Auditor(m, v.value) : null;
  mutate?.(m);
  const check = (): void => {
    if (a && a.violations.length > 0) throw new Error(`invariant violated:\n${a.violations.join('\n')}\nlast events:\n${tail(m, 14)}`);
  };
  const guarded = (what: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      // No exception may escape the Machine, the Host or the Launcher (guest kills are events).
      throw new Error(`exception escaped ${what}: ${(e as Error).stack ?? String(e)}\nlast events:\n${tail(m, 14)}`);
    }
  };
  // Liveness bound: a quantum runs a script step, a Launcher pass or a console delivery; all are finite here.
  let work = c.ext.length;
  for (const g of v.value.guests) work += g.script?.length ?? 0;
  for (const x of v.value.inputs ?? []) work += new TextEncoder().encode(x.text).length;
  const bound = Math.min(MAX_QUANTA, 4 * work + 100);
  // q: the schedule clock for Launcher requests (jumps over idle time); busy: quanta that ran.
  let q = 0;
  let busy = 0;
  let next = 0;
  let idle = false;
  while (busy < bound) {
    while (next < c.ext.length && c.ext[next].at <= q) {
      const op = c.ext[next++];
      const L = m.launchers[op.guest];
      if (L.exitMessage !== null) continue;
      a?.begin('ext');
      guarded(`Launcher ${op.guest} write {${op.req}, ${hex(op.arg)}}`, () => void L.write(op.req, [op.arg]));
      a?.end();
      check();
    }
    let ran = false;
    a?.begin('step');
    guarded('Machine.step()', () => {
      ran = m.step();
    });
    a?.end();
    check();
    if (!ran) {
      if (next < c.ext.length) {
        q = Math.max(q + 1, c.ext[next].at);
        continue;
      }
      idle = true;
      break;
    }
    q++;
    busy++;
  }
  a?.finish(idle);
  check();
  if (audit && !idle)
    throw new Error(`livelock: the Machine is still busy after ${busy} quanta for ${work} steps/inputs/requests of work (nothing here can run forever)\nlast events:\n${tail(m, 14)}`);
  let hcalls = 0;
  for (let i = 0; i < m.events.count; i++) if (m.events.get(i).kind === EventKind.HCALL) hcalls++;
  return { events: eventWords(m), strings: [...m.events.strings], hash: m.hash(), hcalls, quanta: m.quanta, dmas: a?.dmas ?? 0, kills: a?.kills ?? 0, cover: a?.cover ?? newCover() };
}

export const fuzzCaseArb: fc.Arbitrary<FuzzCase> = caseGenArb.map(compileCase);
