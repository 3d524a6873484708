/**
 * One guest's script in a CodeMirror editor, loaded on demand: the module
 * (cm-script-editor.ts and CodeMirror itself) is a separate chunk fetched the
 * first time an editor is shown, so the page's first JS does not carry it.
 */
import React, { useEffect, useRef, useState } from 'react';
import type { Arch } from '../../../abi/ctypes.ts';
import type { ScriptEditorHandle } from './cm-script-editor.ts';
import type { LineResult } from './script-session.ts';

export interface CodeEditorProps {
  readonly guest: number;
  readonly text: string;
  readonly arch: Arch;
  readonly results: readonly LineResult[];
  readonly current: number | null;
  readonly onChange: (text: string) => void;
  readonly onRun: () => void;
}

export function CodeEditor(p: CodeEditorProps): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const handle = useRef<ScriptEditorHandle | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    import('./cm-script-editor.ts')
      .then((m) => {
        if (!live || !box.current) return;
        handle.current = m.createScriptEditor(box.current, {
          doc: latest.current.text,
          arch: p.arch,
          label: `guest ${p.guest} script`,
          onChange: (t) => latest.current.onChange(t),
          onRun: () => latest.current.onRun(),
        });
        setReady(true);
      })
      .catch((e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
      handle.current?.destroy();
      handle.current = null;
      setReady(false);
    };
  }, [p.arch, p.guest]);

  useEffect(() => {
    handle.current?.setDoc(p.text);
  }, [p.text, ready]);

  // Results are compared by content: a new array with the same lines redraws nothing.
  const resultsKey = JSON.stringify([p.results, p.current]);
  useEffect(() => {
    handle.current?.setResults(latest.current.results, latest.current.current);
  }, [resultsKey, ready]);

  return (
    <div className="code-editor" data-testid="script-editor" data-guest={p.guest} data-ready={ready}>
      {!ready && <div className="dim loading-editor">{failed ? `the editor could not load: ${failed}` : 'loading the editor…'}</div>}
      <div className="cm-box" ref={box} />
    </div>
  );
}
