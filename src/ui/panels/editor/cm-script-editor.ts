/**
 * The CodeMirror 6 side of the script editor (issue #14), loaded on demand
 * with a dynamic import so the page's first JS stays small: highlighting
 * (script-highlight.ts), the compiler's errors at their line as you type,
 * completion of ops, hypercall names and types (Tab takes one), each line's result at its
 * end and the current step's line highlighted. The React side
 * (code-editor.tsx) owns the text; this module only draws it.
 */
import { acceptCompletion, autocompletion, closeCompletion, moveCompletionSelection, startCompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { lintGutter, linter, type Diagnostic } from '@codemirror/lint';
import { EditorState, RangeSetBuilder, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, type DecorationSet, drawSelection, EditorView, keymap, lineNumbers, ViewPlugin, type ViewUpdate, WidgetType } from '@codemirror/view';
import type { Arch } from '../../../abi/ctypes.ts';
import { compileScript, HYPERCALL_NAME_LIST, SCRIPT_TYPES } from '../../../scenario/script-syntax.ts';
import { highlightLine } from './script-highlight.ts';
import type { LineResult } from './script-session.ts';

export interface ScriptEditorOptions {
  readonly doc: string;
  readonly arch: Arch;
  readonly label: string;
  readonly onChange: (text: string) => void;
  readonly onRun: () => void;
}

export interface ScriptEditorHandle {
  /** Replace the whole text (a new session, an exercise's starting code). */
  setDoc(text: string): void;
  /** Results beside lines and the current line (empty / null: none). */
  setResults(results: readonly LineResult[], current: number | null): void;
  focus(): void;
  destroy(): void;
}

/** What each op looks like, for completion. */
const OP_HELP: Readonly<Record<string, string>> = {
  write: 'write ADDR u32|u16|u8 V… / text "…"',
  read: 'read ADDR u32|u16|u8|text COUNT',
  hcall: 'hcall NAME [ARG…] (at most 3)',
  dma: 'dma ADDR [used=N] [ADDR:LEN…] (a whole struct lguest_dma)',
  wait: 'wait: halt until an irq',
  yield: 'yield: give up the CPU once',
};

function complete(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  if (/["#]/.test(before)) return null;
  const word = ctx.matchBefore(/[\w=]*/);
  if (!word || (word.from === word.to && !ctx.explicit)) return null;
  const done = before.slice(0, word.from - line.from).trim().split(/\s+/).filter(Boolean);
  const op = done[0]?.toLowerCase();
  let options: { label: string; type: string; detail?: string }[] = [];
  if (done.length === 0) options = Object.entries(OP_HELP).map(([label, detail]) => ({ label, type: 'keyword', detail }));
  else if (op === 'hcall' && done.length === 1) options = HYPERCALL_NAME_LIST.map((label) => ({ label, type: 'function', detail: `LHCALL_${label}` }));
  else if ((op === 'write' || op === 'read') && done.length === 2) options = SCRIPT_TYPES.map((label) => ({ label, type: 'type' }));
  else if (op === 'dma' && done.length >= 2) options = [{ label: 'used=', type: 'property', detail: 'used_len' }];
  return options.length ? { from: word.from, options, validFor: /^[\w=]*$/ } : null;
}

const highlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(u: ViewUpdate): void {
      if (u.docChanged || u.viewportChanged) this.decorations = this.build(u.view);
    }
    build(view: EditorView): DecorationSet {
      const b = new RangeSetBuilder<Decoration>();
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          for (const s of highlightLine(line.text)) b.add(line.from + s.from, line.from + s.to, Decoration.mark({ class: `cm-s-${s.cls}` }));
          pos = line.to + 1;
        }
      }
      return b.finish();
    }
  },
  { decorations: (v) => v.decorations },
);

class ResultWidget extends WidgetType {
  constructor(readonly r: LineResult) {
    super();
  }
  eq(other: ResultWidget): boolean {
    return other.r.text === this.r.text && other.r.state === this.r.state && other.r.line === this.r.line;
  }
  toDOM(): HTMLElement {
    const el = document.createElement('span');
    el.className = `cm-step-result ${this.r.state}`;
    el.dataset.testid = 'script-line-result';
    el.dataset.line = String(this.r.line);
    el.dataset.state = this.r.state;
    el.textContent = this.r.text;
    return el;
  }
}

const setResultsEffect = StateEffect.define<{ results: readonly LineResult[]; current: number | null }>();

const resultsField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    // An edit makes the results stale: they belong to the script that ran, not to this text.
    if (tr.docChanged) deco = Decoration.none;
    for (const e of tr.effects) {
      if (!e.is(setResultsEffect)) continue;
      const doc = tr.state.doc;
      const ranges = [];
      for (const r of e.value.results) {
        if (r.line < 1 || r.line > doc.lines) continue;
        const line = doc.line(r.line);
        if (r.line === e.value.current) ranges.push(Decoration.line({ class: 'cm-current-step' }).range(line.from));
        ranges.push(Decoration.widget({ widget: new ResultWidget(r), side: 1 }).range(line.to));
      }
      deco = Decoration.set(ranges, true);
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function lintFor(arch: Arch): Extension {
  return linter(
    (view) => {
      const r = compileScript(view.state.doc.toString(), arch);
      if (r.ok) return [];
      const doc = view.state.doc;
      return r.errors.map((e): Diagnostic => {
        const line = doc.line(Math.min(e.line, doc.lines));
        const from = Math.min(line.from + e.col - 1, line.to);
        return { from, to: Math.max(from, Math.min(line.from + e.endCol - 1, line.to)), severity: 'error', message: e.message };
      });
    },
    { delay: 120 },
  );
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '12px', backgroundColor: 'var(--term-bg)', color: 'var(--fg)' },
  '.cm-scroller': { fontFamily: "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace", lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--dim)', borderRight: '1px solid var(--line)' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '&.cm-focused': { outline: '1px solid var(--accent)' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'var(--accent-bg) !important' },
});

export function createScriptEditor(parent: HTMLElement, o: ScriptEditorOptions): ScriptEditorHandle {
  let silent = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        lineNumbers(),
        // Wrapped, so the result at the end of a long line stays in view in a narrow editor.
        EditorView.lineWrapping,
        history(),
        drawSelection(),
        highlighter,
        resultsField,
        lintGutter(),
        lintFor(o.arch),
        // Tab takes a completion and Enter always ends the line: a student typing `wait⏎` gets a new line, not the menu's pick.
        autocompletion({ override: [complete], activateOnTyping: true, defaultKeymap: false }),
        keymap.of([
          { key: 'Mod-Enter', run: () => (o.onRun(), true) },
          { key: 'Tab', run: acceptCompletion },
          { key: 'Ctrl-Space', run: startCompletion },
          { key: 'Escape', run: closeCompletion },
          { key: 'ArrowDown', run: moveCompletionSelection(true) },
          { key: 'ArrowUp', run: moveCompletionSelection(false) },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        // tabindex: the editable content is the scroller's keyboard stop (axe: scrollable-region-focusable).
        EditorView.contentAttributes.of({ 'aria-label': o.label, tabindex: '0' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !silent) o.onChange(u.state.doc.toString());
        }),
        theme,
      ],
    }),
  });
  return {
    setDoc(text) {
      if (text === view.state.doc.toString()) return;
      silent = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      silent = false;
    },
    setResults(results, current) {
      const effects: StateEffect<unknown>[] = [setResultsEffect.of({ results, current })];
      // Keep the current step in sight while stepping (scrolling only; the focus stays where it is).
      if (current !== null && current <= view.state.doc.lines) effects.push(EditorView.scrollIntoView(view.state.doc.line(current).from, { y: 'nearest' }));
      view.dispatch({ effects });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
