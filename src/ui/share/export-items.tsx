/**
 * The items of "export ▾" (export-menu.tsx), fetched when the menu first
 * opens (issue #15: the first load). Export the trace (issue #5): the Chrome
 * trace-event JSON that Perfetto UI and chrome://tracing open (one track per
 * guest, the Host and each Launcher), or the JSON-lines event log; the same
 * formats as the CLI's `--trace-format chrome|jsonl`. The worker builds the
 * file as a Blob (api.exportTrace). Back in time, each format is offered
 * twice, saying which: the events up to the shown one, or everything this
 * timeline recorded (issue #10).
 */
import React, { useState } from 'react';
import { downloadBlob } from './share.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';
import { type FrameViews, liveAt } from '../client/frame-views.ts';

const FORMATS = [
  { format: 'chrome', testId: 'export-chrome', file: 'lguest-lab-trace.json', label: 'Chrome trace (Perfetto UI, chrome://tracing)' },
  { format: 'jsonl', testId: 'export-jsonl', file: 'lguest-lab-events.jsonl', label: 'JSON-lines event log' },
] as const;

const decodeRange = (v: FrameViews): { view: number; recorded: number } => ({ view: liveAt(v, 'view'), recorded: liveAt(v, 'recorded') });
const n = (x: number): string => x.toLocaleString('en-US');

export function ExportItems({ at, menu, onDone }: { at: { top: number; right: number }; menu: React.RefObject<HTMLDivElement | null>; onDone: () => void }): React.JSX.Element {
  const client = useSimClient();
  const { view, recorded } = useSharedView(decodeRange, { view: 0, recorded: 0 });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = async (f: (typeof FORMATS)[number], range: 'shown' | 'all'): Promise<void> => {
    setBusy(`${f.format}-${range}`);
    setError(null);
    try {
      downloadBlob(f.file, await client.api.exportTrace(f.format, range));
      onDone();
    } catch (e) {
      setError(`export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export-menu" role="menu" ref={menu} style={{ top: at.top, right: at.right }}>
      {FORMATS.flatMap((f) => {
        // At the end both ranges are the same file: one item. Back in time: both, each saying what it holds.
        const ranges: { range: 'shown' | 'all'; testId: string; what: string }[] =
          view < recorded
            ? [
                { range: 'shown', testId: f.testId, what: `up to the shown event #${n(view - 1)} (${n(view)} events)` },
                { range: 'all', testId: `${f.testId}-all`, what: `everything recorded (${n(recorded)} events)` },
              ]
            : [{ range: 'all', testId: f.testId, what: `all ${n(recorded)} events` }];
        return ranges.map((r) => (
          <button type="button" role="menuitem" key={`${f.format}-${r.range}`} data-testid={r.testId} data-range={r.range} disabled={busy !== null} onClick={() => void save(f, r.range)}>
            {busy === `${f.format}-${r.range}` ? 'preparing…' : `${f.label}: ${r.what}`}
            <span className="dim mono">{f.file}</span>
          </button>
        ));
      })}
      {error !== null && <div className="export-error">{error}</div>}
    </div>
  );
}
