/**
 * The hypercall workbench: each scripted guest's steps beside their results
 * (ret, values, irq, fault, kill reason), the current step highlighted, so a
 * class can walk BIND_DMA / SEND_DMA one event at a time (issue #4).
 */
import React from 'react';
import type { ScriptView } from '../../../worker/api.ts';
import { killReasons } from '../../client/event-digest.ts';
import { type FrameViews, hex } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useSharedView, useSimClient } from '../../client/use-shared-view.ts';

interface ScriptRow {
  readonly guest: number;
  readonly script: ScriptView | null;
  readonly killed: string | null;
}

const decodeScripts = (v: FrameViews, c: SimClient): ScriptRow[] => {
  const reasons = killReasons(c.digest.kills, c.strings);
  return v.info.guests.filter((g) => g.kernel === 'script').map((g) => ({ guest: g.index, script: c.scripts[g.index] ?? null, killed: reasons.get(g.index) ?? null }));
};

const num = (x: unknown): string => (typeof x === 'number' ? (x > 9 ? hex(x) : String(x)) : String(x));

/** One step as a line: `hcall BIND_DMA(0x40000, 0x2000, 0x103)`. */
export function stepText(step: Record<string, unknown>): string {
  switch (step.op) {
    case 'hcall': {
      const args = Array.isArray(step.args) ? step.args.map(num).join(', ') : '';
      return `hcall ${String(step.call)}(${args})`;
    }
    case 'write': {
      for (const w of ['u32', 'u16', 'u8'] as const) {
        const a = step[w];
        if (Array.isArray(a)) {
          const shown = a.slice(0, 4).map(num).join(' ');
          return `write ${num(step.addr)} ${w}[${a.length}] ${shown}${a.length > 4 ? ' …' : ''}`;
        }
      }
      return `write ${num(step.addr)} text ${JSON.stringify(step.text)}`;
    }
    case 'read': {
      for (const w of ['u32', 'u16', 'u8', 'text'] as const) if (step[w] !== undefined) return `read ${num(step.addr)} ${w}×${String(step[w])}`;
      return `read ${num(step.addr)}`;
    }
    default:
      return String(step.op);
  }
}

function resultText(r: Record<string, unknown>): string {
  const parts: string[] = [];
  if ('ret' in r) parts.push(`ret ${String(r.ret)}`);
  if ('values' in r && Array.isArray(r.values)) parts.push(`values ${r.values.map(num).join(' ')}`);
  if ('text' in r) parts.push(`text ${JSON.stringify(r.text)}`);
  if ('irq' in r) parts.push(r.irq === null ? 'woken without an irq' : `irq ${String(r.irq)}`);
  if ('fault' in r) parts.push(`fault at ${String(r.fault)}`);
  return parts.length > 0 ? parts.join(' · ') : 'ok';
}

export function Workbench(): React.JSX.Element {
  const rows = useSharedView(decodeScripts, []);
  const client = useSimClient();
  if (rows.length === 0) return <div className="placeholder">No scripted guest in this scenario. Open a scenario file with "kernel": "script" guests to step through hypercalls.</div>;
  return (
    <div className="workbench" data-testid="workbench">
      {rows.map((r) => (
        <div key={r.guest} className="script" data-guest={r.guest}>
          <div className="buffer-title">
            guest {r.guest} script {r.killed && <span className="tag bad">killed: {r.killed}</span>}
            {/* Time travel by script step (issue #10): events until the step counter moves. */}
            <button type="button" className="small" data-testid="script-prev" onClick={() => void client.api.stepScript(r.guest, 'prev')} title="Back to the previous script step">
              ◂ step
            </button>
            <button type="button" className="small" data-testid="script-next" onClick={() => void client.api.stepScript(r.guest, 'next')} title="On to the next script step">
              step ▸
            </button>
          </div>
          {!r.script ? (
            <div className="dim">loading…</div>
          ) : (
            <table className="grid steps">
              <tbody>
                {r.script.steps.map((step, k) => {
                  const res = r.script!.results[k];
                  const current = k === r.script!.pc && res === null;
                  let outcome: React.ReactNode;
                  if (res) outcome = resultText(res);
                  else if (current && r.killed) outcome = <span className="tag bad">killed: {r.killed}</span>;
                  else if (current) outcome = <span className="tag">{step.op === 'wait' ? 'waiting for an irq' : 'current'}</span>;
                  else outcome = <span className="dim">{r.killed ? 'skipped' : '—'}</span>;
                  return (
                    <tr key={k} className={current ? 'current' : ''} data-testid="script-step" data-step={k}>
                      <td className="num">{k}</td>
                      <td className="mono">{stepText(step)}</td>
                      <td>{outcome}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}
