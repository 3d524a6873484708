/**
 * The script editor's pure logic (issue #14), shared by the page and its
 * tests: each scripted guest's source as the session loaded it, the edited
 * scenario that Run loads as a new session, what to show beside each line,
 * and the "new scripted scenario" template. No DOM, no CodeMirror.
 */
import type { Arch } from '../../../abi/ctypes.ts';
import type { ScenarioInput } from '../../../scenario/scenario.ts';
import { printScript } from '../../../scenario/script-print.ts';
import type { Recording } from '../../../trace/recording.ts';
import type { ScriptView } from '../../../worker/api.ts';

type GuestInput = ScenarioInput['guests'][number];

export const archOf = (s: ScenarioInput): Arch => (s.arch === 'x86_64' ? 'x86_64' : 'i386');

/**
 * Each guest's source as loaded (null for a guest running the built-in
 * kernel): its `source`, or its JSON steps printed in the line syntax, whose
 * compilation is those same steps (script-print.ts), so the step → line map
 * of the printed text is the running script's.
 */
export function loadedSources(s: ScenarioInput): (string | null)[] {
  return s.guests.map((g) => {
    if (g.kernel !== 'script') return null;
    if (typeof g.source === 'string') return g.source;
    // A scenario that validated holds steps of the contract (the worker checked it).
    return printScript((g.script ?? []) as Parameters<typeof printScript>[0], archOf(s));
  });
}

/**
 * The scenario Run loads: `base` with the edited guests carrying `source`
 * (their JSON `script` dropped), and the recording's inputs in place of the
 * scenario's own, as recording.ts replays them.
 */
export function editedScenario(base: ScenarioInput, inputs: Recording['inputs'], sources: ReadonlyMap<number, string>): ScenarioInput {
  const copy = structuredClone(base);
  copy.guests = copy.guests.map((g, i): GuestInput => {
    const src = sources.get(i);
    if (src === undefined || g.kernel !== 'script') return g;
    const { script: _script, ...rest } = g;
    return { ...rest, source: src };
  });
  copy.inputs = inputs.map(([at, guest, text]) => (at === null ? { guest, text } : { at, guest, text }));
  return copy;
}

export type LineState = 'done' | 'current' | 'waiting' | 'killed' | 'skipped';

export interface LineResult {
  readonly line: number;
  readonly state: LineState;
  /** What the line's steps gave: `ret 1`, `irq 3`, `values 0x12`, `killed: bad DMA entry …`. */
  readonly text: string;
}

const num = (x: unknown): string => (typeof x === 'number' ? (x > 9 ? `0x${x.toString(16)}` : String(x)) : String(x));

/** One step's result in words; '' for a write (nothing to say). */
export function resultWords(r: Record<string, unknown>): string {
  const parts: string[] = [];
  if ('ret' in r) parts.push(`ret ${num(r.ret)}`);
  if ('values' in r && Array.isArray(r.values)) parts.push(`values ${r.values.map(num).join(' ')}`);
  if ('text' in r) parts.push(`text ${JSON.stringify(r.text)}`);
  if ('irq' in r) parts.push(r.irq === null ? 'woken without an irq' : `irq ${String(r.irq)}`);
  if ('fault' in r) parts.push(`fault at ${String(r.fault)}`);
  return parts.join(' · ');
}

/**
 * What to show beside each source line, from the running script's results:
 * `lines[k]` is the line of step k (compileScript). A line holding several
 * steps (a `dma`) is current while any of them is, done when all are.
 */
export function lineResults(lines: readonly number[], view: ScriptView | null, killed: string | null): LineResult[] {
  if (!view) return [];
  const out = new Map<number, { state: LineState; words: string[] }>();
  view.steps.forEach((step, k) => {
    const line = lines[k];
    if (line === undefined) return;
    const res = view.results[k];
    const current = k === view.pc && res === null;
    let state: LineState;
    let words = '';
    if (res) {
      state = 'done';
      words = resultWords(res);
    } else if (current && killed !== null) {
      state = 'killed';
      words = `killed: ${killed}`;
    } else if (current) {
      state = step.op === 'wait' ? 'waiting' : 'current';
      words = step.op === 'wait' ? 'waiting for an irq' : 'current';
    } else if (killed !== null) {
      state = 'skipped';
      words = 'skipped';
    } else return;
    const prev = out.get(line);
    const rank: Record<LineState, number> = { done: 0, skipped: 1, current: 2, waiting: 3, killed: 4 };
    if (!prev) out.set(line, { state, words: words ? [words] : [] });
    else {
      if (rank[state] > rank[prev.state]) prev.state = state;
      if (words && !prev.words.includes(words)) prev.words.push(words);
    }
  });
  return [...out.entries()].sort(([a], [b]) => a - b).map(([line, r]) => ({ line, state: r.state, text: r.words.join(' · ') || 'ok' }));
}

/** The line the shown state is at (the first current / waiting / killed one), or null when the script is past its end. */
export function currentLine(results: readonly LineResult[]): number | null {
  return results.find((r) => r.state === 'current' || r.state === 'waiting' || r.state === 'killed')?.line ?? null;
}

/** The shared page of the template: a key there names the same futex key in both guests (spec §2.3). */
const TEMPLATE_SHARED = 0x30000;

/** "new scripted scenario": two scripted guests mapping one shared page, a receiver and a sender to start from. */
export function newScriptedScenario(): ScenarioInput {
  const key = `0x${TEMPLATE_SHARED.toString(16)}`;
  return {
    name: 'new scripted scenario',
    description: `Two scripted guests sharing one page at ${key}: guest 0 binds a buffer on a key there and waits, guest 1 sends to it. Edit both scripts and press Run.`,
    guests: [
      {
        name: 'receiver',
        kernel: 'script',
        memory: 0x20000,
        source: [
          '# guest 0: a 64-byte buffer at 0x3000',
          'dma 0x2000 used=0 0x3000:64',
          '# 1 entry, irq 3: (1 << 8) | 3',
          `hcall BIND_DMA ${key} 0x2000 0x103`,
          'wait',
          'read 0x2000 u32 1   # used_len',
          'read 0x3000 text 64',
          '',
        ].join('\n'),
      },
      {
        name: 'sender',
        kernel: 'script',
        memory: 0x20000,
        source: ['# guest 1: send 5 bytes', 'write 0x5000 text "hello"', 'dma 0x4000 used=0 0x5000:5', `hcall SEND_DMA ${key} 0x4000`, 'read 0x4000 u32 1   # used_len', ''].join('\n'),
      },
    ],
    shared: [{ pages: 1, map: [{ guest: 0, gpa: TEMPLATE_SHARED }, { guest: 1, gpa: TEMPLATE_SHARED }] }],
  };
}
