/**
 * The console area (DESIGN.md: "consoles (xterm on key 0) / script editor"):
 * the script editor in front when the scenario has scripted guests, the
 * consoles otherwise; both stay mounted, so a terminal keeps its text.
 */
import React from 'react';
import { ConsolePanel } from '../console/console-panel.tsx';
import { useEditor } from './editor-store.ts';
import { useExerciseFromUrl } from './exercise-picker.tsx';
import { ScriptEditorPanel, useEditorSession } from './script-editor-panel.tsx';

export function ConsoleArea(): React.JSX.Element {
  useEditorSession();
  useExerciseFromUrl();
  const showEditor = useEditor((s) => s.showEditor);
  const setShowEditor = useEditor((s) => s.setShowEditor);
  return (
    <div className="console-area">
      <ScriptEditorPanel hidden={!showEditor} />
      <div className="console-wrap" hidden={showEditor}>
        <ConsolePanel />
        <button type="button" className="small show-editor" data-testid="show-script-editor" onClick={() => setShowEditor(true)} title="Edit and run scripted guests">
          script editor
        </button>
      </div>
    </div>
  );
}
