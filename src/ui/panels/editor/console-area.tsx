/**
 * The console area (DESIGN.md: "consoles (xterm on key 0) / script editor"):
 * the script editor in front when the scenario has scripted guests, the
 * consoles otherwise; both stay mounted once shown, so a terminal keeps its
 * text and an editor its undo history. The editor is a chunk of its own,
 * fetched the first time it is shown (issue #15: the first load carries
 * only the first screen).
 */
import React, { lazy, Suspense, useState } from 'react';
import { ConsolePanel } from '../console/console-panel.tsx';
import { PanelLoading } from '../../widgets/panel-loading.tsx';
import { useEditor } from './editor-store.ts';
import { useEditorSession, useExerciseFromUrl } from './editor-session.ts';
import './console-area.css';

const ScriptEditorPanel = lazy(() => import('./script-editor-panel.tsx').then((m) => ({ default: m.ScriptEditorPanel })));

export function ConsoleArea(): React.JSX.Element {
  useEditorSession();
  useExerciseFromUrl();
  const showEditor = useEditor((s) => s.showEditor);
  const setShowEditor = useEditor((s) => s.setShowEditor);
  const [editorMounted, setEditorMounted] = useState(false);
  if (showEditor && !editorMounted) setEditorMounted(true);
  return (
    <div className="console-area">
      {editorMounted && (
        <Suspense fallback={<PanelLoading name="script editor" className="script-editor-panel" />}>
          <ScriptEditorPanel hidden={!showEditor} />
        </Suspense>
      )}
      <div className="console-wrap" hidden={showEditor}>
        <ConsolePanel />
        <button type="button" className="small show-editor" data-testid="show-script-editor" onClick={() => setShowEditor(true)} title="Edit and run scripted guests">
          script editor
        </button>
      </div>
    </div>
  );
}
