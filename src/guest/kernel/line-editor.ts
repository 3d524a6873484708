/**
 * The console line discipline (what n_tty does for hvc_lguest, spec §5.2):
 * echo typed characters, '\r' or '\n' ends a line ("\r\n" counts once, as an
 * xterm may send both), 0x7f/0x08 erase, ^C (0x03) cancels the line and
 * signals the foreground. Pure: state in, events out; the kernel keeps the
 * state in guest memory (LINE_EDITOR at LINE_EDITOR_GPA).
 */
import type { GuestMemory } from '../../hw/memory.ts';
import { getField, setField } from './guest-struct.ts';
import { LINE_BYTES, LINE_EDITOR_GPA, type KernelLayouts } from './layout.ts';

export interface LineState {
  /** The line typed so far (printable ASCII only). */
  readonly text: string;
  /** The previous byte was '\r'. */
  readonly lastCr: boolean;
}

export type LineEvent = { readonly kind: 'echo'; readonly text: string } | { readonly kind: 'line'; readonly text: string } | { readonly kind: 'intr' };

export const EMPTY_LINE: LineState = { text: '', lastCr: false };

const CR = 0x0d;
const LF = 0x0a;
const DEL = 0x7f;
const BS = 0x08;
const ETX = 0x03;

/** Feed bytes; consecutive echoes are merged into one event. */
export function feedLine(st: LineState, bytes: ArrayLike<number>, max = LINE_BYTES): { st: LineState; events: LineEvent[] } {
  let text = st.text;
  let lastCr = st.lastCr;
  const events: LineEvent[] = [];
  const echo = (t: string): void => {
    const prev = events[events.length - 1];
    if (prev !== undefined && prev.kind === 'echo') events[events.length - 1] = { kind: 'echo', text: prev.text + t };
    else events.push({ kind: 'echo', text: t });
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] & 0xff;
    if (b === LF && lastCr) {
      lastCr = false;
      continue;
    }
    lastCr = b === CR;
    if (b === CR || b === LF) {
      echo('\r\n');
      events.push({ kind: 'line', text });
      text = '';
    } else if (b === DEL || b === BS) {
      if (text.length > 0) {
        text = text.slice(0, -1);
        echo('\b \b');
      }
    } else if (b === ETX) {
      echo('^C\r\n');
      text = '';
      events.push({ kind: 'intr' });
    } else if (b >= 0x20 && b < 0x7f && text.length < max) {
      const c = String.fromCharCode(b);
      text += c;
      echo(c);
    }
    // Anything else (other controls, bytes ≥ 0x80, a full line) is dropped unechoed.
  }
  return { st: { text, lastCr }, events };
}

export function loadLine(mem: GuestMemory, L: KernelLayouts): LineState {
  const len = Math.min(getField(mem, LINE_EDITOR_GPA, L.line, 'len'), LINE_BYTES);
  let text = '';
  for (let i = 0; i < len; i++) text += String.fromCharCode(getField(mem, LINE_EDITOR_GPA, L.line, 'buf', i));
  return { text, lastCr: (getField(mem, LINE_EDITOR_GPA, L.line, 'flags') & 1) !== 0 };
}

export function storeLine(mem: GuestMemory, L: KernelLayouts, st: LineState): void {
  for (let i = 0; i < st.text.length; i++) setField(mem, LINE_EDITOR_GPA, L.line, 'buf', st.text.charCodeAt(i), i);
  setField(mem, LINE_EDITOR_GPA, L.line, 'len', st.text.length);
  setField(mem, LINE_EDITOR_GPA, L.line, 'flags', st.lastCr ? 1 : 0);
}
