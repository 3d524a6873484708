/**
 * The script editor (issue #14): each scripted guest's source, editable, in
 * the console area (DESIGN.md: "consoles / script editor"). Errors show at
 * their line as you type; Run loads the edited scenario as a new session
 * (its share link carries the sources); each line's result shows at its end
 * and the current step's line is highlighted while stepping.
 */
import React, { useMemo, useState } from 'react';
import { compileScript, formatSyntaxError } from '../../../scenario/script-syntax.ts';
import type { ScriptView } from '../../../worker/api.ts';
import { killReasons } from '../../client/event-digest.ts';
import type { FrameViews } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useSharedView, useSimClient } from '../../client/use-shared-view.ts';
import { CodeEditor } from './code-editor.tsx';
import { ExerciseBox } from './exercise-box.tsx';
import { ExercisePicker } from './exercise-picker.tsx';
import { useEditor } from './editor-store.ts';
import { archOf, currentLine, lineResults, newScriptedScenario } from './script-session.ts';
import { loadEdited, runEdited } from './editor-actions.ts';
import './editor.css';

interface GuestRun {
  readonly guest: number;
  readonly view: ScriptView | null;
  readonly killed: string | null;
}

const decodeRuns = (v: FrameViews, c: SimClient): GuestRun[] => {
  const reasons = killReasons(c.digest.kills, c.strings);
  return v.info.guests.filter((g) => g.kernel === 'script').map((g) => ({ guest: g.index, view: c.scripts[g.index] ?? null, killed: reasons.get(g.index) ?? null }));
};

export function ScriptEditorPanel({ hidden }: { hidden: boolean }): React.JSX.Element {
  const client = useSimClient();
  const runs = useSharedView(decodeRuns, []);
  const texts = useEditor((s) => s.texts);
  const base = useEditor((s) => s.base);
  const setShowEditor = useEditor((s) => s.setShowEditor);
  const arch = base ? archOf(base) : 'i386';
  const errors = useMemo(() => texts.map((t) => (t === null ? null : compileScript(t, arch))), [texts, arch]);
  const bad = errors.some((r) => r !== null && !r.ok);
  const [tab, setTab] = useState(0);
  const exercise = useEditor((s) => s.exercise);
  // An exercise opens the editor on its guest's script alone.
  const scripted = texts.map((t, i) => (t === null || (exercise !== null && i !== exercise.guest) ? -1 : i)).filter((i) => i >= 0);
  const tabbed = scripted.length > 2;
  const run = (): void => void (!bad && runEdited(client));

  return (
    <section className="panel script-editor-panel" aria-label="Script editor" hidden={hidden}>
      <h2>
        Script editor <span className="sub">one line per step · Tab completes · Ctrl-Enter runs</span>
        {tabbed && (
          <span className="tabs" role="tablist">
            {scripted.map((g) => (
              <button type="button" role="tab" key={g} aria-selected={g === tab} className={g === tab ? 'active' : ''} onClick={() => setTab(g)}>
                guest {g}
              </button>
            ))}
          </span>
        )}
        <span className="spacer" />
        <ExercisePicker />
        <button type="button" className="small" data-testid="script-run" disabled={bad || !base || scripted.length === 0} onClick={run} title={bad ? 'fix the errors first' : 'Run the edited scripts from the start (a new session)'}>
          ▶ Run
        </button>
        <button type="button" className="small" data-testid="script-new" onClick={() => void loadEdited(client, newScriptedScenario(), 'new scripted scenario')} title="Start from two scripted guests sharing a page">
          new scripted scenario
        </button>
        <button type="button" className="small" data-testid="show-consoles" onClick={() => setShowEditor(false)} title="Show the consoles">
          consoles
        </button>
      </h2>
      <ExerciseBox />
      <div className={`panel-body script-editors ${tabbed ? 'tabbed' : 'split'}`}>
        {scripted.length === 0 && <div className="placeholder">No scripted guest in this scenario. Start one with “new scripted scenario”, or pick an example (bind-and-send, irq-order, …) from the presets.</div>}
        {scripted.map((g) => (
          <GuestEditor key={g} guest={g} hidden={tabbed && g !== tab} run={runs.find((r) => r.guest === g) ?? null} onRun={run} />
        ))}
      </div>
    </section>
  );
}

function GuestEditor({ guest, hidden, run, onRun }: { guest: number; hidden: boolean; run: GuestRun | null; onRun: () => void }): React.JSX.Element {
  const text = useEditor((s) => s.texts[guest] ?? '');
  const loaded = useEditor((s) => s.loaded[guest] ?? null);
  const name = useEditor((s) => s.base?.guests[guest]?.name);
  const arch = useEditor((s) => (s.base ? archOf(s.base) : 'i386'));
  const setText = useEditor((s) => s.setText);
  const compiled = useMemo(() => compileScript(text, arch), [text, arch]);
  const ranLines = useMemo(() => {
    const r = loaded === null ? null : compileScript(loaded, arch);
    return r?.ok ? r.lines : [];
  }, [loaded, arch]);
  const edited = text !== loaded;
  // Results belong to the script that ran: shown while the text is that script.
  const results = useMemo(() => (edited ? [] : lineResults(ranLines, run?.view ?? null, run?.killed ?? null)), [edited, ranLines, run]);
  const first = compiled.ok ? null : compiled.errors[0];
  return (
    <div className="guest-editor" hidden={hidden}>
      <div className="guest-editor-title">
        guest {guest} {name && <span className="dim">{name}</span>}
        {run?.killed && !edited && <span className="tag bad">killed: {run.killed}</span>}
        {edited && <span className="tag">edited: Run to see results</span>}
      </div>
      <CodeEditor guest={guest} text={text} arch={arch} results={results} current={currentLine(results)} onChange={(t) => setText(guest, t)} onRun={onRun} />
      {first && (
        <div className="script-error" role="status" data-testid="script-error" data-guest={guest} data-line={first.line} title={formatSyntaxError(first)}>
          {formatSyntaxError(first)}
          {!compiled.ok && compiled.errors.length > 1 && <span className="dim"> (+{compiled.errors.length - 1} more)</span>}
        </div>
      )}
    </div>
  );
}
