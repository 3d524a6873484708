/**
 * Syntax highlighting of the script line syntax, by hand (no grammar): the
 * spans of one line with the class of each (op, hypercall name, type, number,
 * string, comment, bad). It follows scenario/script-syntax.ts's tokenizer, so
 * what is coloured as a comment is what the compiler skips.
 */
import { HYPERCALL_NAME_LIST, SCRIPT_OPS, SCRIPT_TYPES } from '../../../scenario/script-syntax.ts';

export type SpanClass = 'op' | 'call' | 'type' | 'num' | 'str' | 'comment' | 'key' | 'bad';

export interface Span {
  /** Offsets in the line: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly cls: SpanClass;
}

const NUMBER = /^(0[xX][0-9a-fA-F]+|[0-9]+)$/;
const OPS: readonly string[] = SCRIPT_OPS;
const TYPES: readonly string[] = SCRIPT_TYPES;

export function highlightLine(line: string): Span[] {
  const out: Span[] = [];
  let i = 0;
  let word = 0;
  let op = '';
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') {
      out.push({ from: i, to: line.length, cls: 'comment' });
      break;
    }
    const start = i;
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i = Math.min(line.length, i + 1);
      out.push({ from: start, to: i, cls: 'str' });
      word++;
      continue;
    }
    while (i < line.length && !' \t#"'.includes(line[i])) i++;
    const w = line.slice(start, i);
    if (word === 0) {
      op = w.toLowerCase();
      out.push({ from: start, to: i, cls: OPS.includes(op) ? 'op' : 'bad' });
    } else if (NUMBER.test(w)) out.push({ from: start, to: i, cls: 'num' });
    else if (op === 'hcall' && word === 1) out.push({ from: start, to: i, cls: HYPERCALL_NAME_LIST.includes(w.toUpperCase().replace(/^LHCALL_/, '')) ? 'call' : 'bad' });
    else if ((op === 'write' || op === 'read') && word === 2) out.push({ from: start, to: i, cls: TYPES.includes(w) ? 'type' : 'bad' });
    else if (op === 'dma' && /^used=/i.test(w)) {
      out.push({ from: start, to: start + 5, cls: 'key' });
      if (i > start + 5) out.push({ from: start + 5, to: i, cls: NUMBER.test(w.slice(5)) ? 'num' : 'bad' });
    } else if (op === 'dma' && w.includes(':')) {
      const colon = start + w.indexOf(':');
      out.push({ from: start, to: colon, cls: NUMBER.test(line.slice(start, colon)) ? 'num' : 'bad' });
      out.push({ from: colon + 1, to: i, cls: NUMBER.test(line.slice(colon + 1, i)) ? 'num' : 'bad' });
    } else out.push({ from: start, to: i, cls: 'bad' });
    word++;
  }
  return out.filter((s) => s.to > s.from);
}
