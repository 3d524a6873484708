/**
 * The script line syntax (issue #14 contract): a scripted guest a student can
 * type, compiled to exactly the JSON steps of the issue #3 contract
 * (guest/script-step.ts), so a `source` and its compiled `script` run the
 * same Machine bit for bit.
 *
 * ```
 * # comments start with #
 * write 0x2000 u32 0              # also u16, u8, text "hello"
 * read 0x2000 u32 1               # also u16, u8, text 12
 * hcall BIND_DMA 0x110000 0x2000 0x104
 * wait
 * yield
 * dma 0x6000 used=0 0x4000:64 0x4100:32
 * ```
 * `dma` writes a whole struct lguest_dma (spec §2.1) at the address, laid out
 * by the ABI table for the scenario's arch: used_len, len[16], addr[16], the
 * sections not listed zero. It compiles to the three writes of
 * guest/script-builders.ts writeDma, so the printer (script-print.ts) can
 * read them back as one `dma` line.
 *
 * Every error names its line and column (1-based) and what was expected,
 * e.g. `line 4, col 14: expected a number or 0x… address`. Each line is
 * checked on its own, so the editor can mark every bad line at once.
 */
import { LGUEST_MAX_DMA_SECTIONS } from '../abi/constants.ts';
import type { Arch } from '../abi/ctypes.ts';
import { writeDma, type Section } from '../guest/script-builders.ts';
// Type only: the page compiles as the student types, and must not pull zod in with the step schema.
import type { ScriptStep } from '../guest/script-step.ts';
import { HYPERCALL_NAMES } from '../abi/constants.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_DMA } from '../abi/structs.ts';

/** Longest source a scenario may carry (bounded before it is read). */
export const MAX_SOURCE_CHARS = 256 * 1024;
/** Longest line; a longer one is refused before it is tokenized. */
export const MAX_LINE_CHARS = 4096;
/** Largest count a read may ask for (the JSON contract's bound). */
export const MAX_READ_COUNT = 65536;

/** The ops a line may start with, in the order the errors list them. */
export const SCRIPT_OPS = ['write', 'read', 'hcall', 'dma', 'wait', 'yield'] as const;
/** The value types of write and read. */
export const SCRIPT_TYPES = ['u32', 'u16', 'u8', 'text'] as const;
/** Hypercall names a script may use (without the LHCALL_ prefix). */
export const HYPERCALL_NAME_LIST: readonly string[] = Object.values(HYPERCALL_NAMES);

export interface SyntaxError {
  /** 1-based line and column. */
  readonly line: number;
  readonly col: number;
  /** Where the bad token ends (exclusive column), for underlining it. */
  readonly endCol: number;
  readonly message: string;
}

export type CompileResult =
  | { readonly ok: true; readonly steps: ScriptStep[]; /** 1-based source line of each step. */ readonly lines: number[] }
  | { readonly ok: false; readonly errors: SyntaxError[] };

/** `line 4, col 14: expected a number or 0x… address`. */
export function formatSyntaxError(e: SyntaxError): string {
  return `line ${e.line}, col ${e.col}: ${e.message}`;
}

export interface Token {
  readonly kind: 'word' | 'string';
  /** The token as typed (a string keeps its quotes). */
  readonly text: string;
  /** 1-based column of its first character. */
  readonly col: number;
}

class LineError extends Error {
  constructor(
    readonly col: number,
    readonly endCol: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Split one line into words and "strings"; `#` outside a string starts a
 * comment. A string runs to the next unescaped `"`.
 */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    const start = i;
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      if (i >= line.length) throw new LineError(start + 1, line.length + 1, 'expected a closing " for this string');
      i++;
      out.push({ kind: 'string', text: line.slice(start, i), col: start + 1 });
      continue;
    }
    while (i < line.length && !' \t#"'.includes(line[i])) i++;
    out.push({ kind: 'word', text: line.slice(start, i), col: start + 1 });
  }
  return out;
}

const DECIMAL = /^[0-9]{1,10}$/;
const HEX = /^0[xX][0-9a-fA-F]{1,8}$/;

/** A decimal or 0x number up to 0xffffffff, or null when `text` is not one. */
export function parseNumber(text: string): number | null {
  // Leading zeros are allowed and do not count against the digit bound.
  const t = /^0[xX]/.test(text) ? text.replace(/^0[xX]0+(?=[0-9a-fA-F])/, '0x') : text.replace(/^0+(?=[0-9])/, '');
  const n = DECIMAL.test(t) ? Number(t) : HEX.test(t) ? parseInt(t.slice(2), 16) : NaN;
  return Number.isInteger(n) && n <= 0xffffffff ? n : null;
}

/** The reader of one line's tokens: each take names what it expected. */
class Cursor {
  private k = 0;
  constructor(
    private readonly toks: readonly Token[],
    private readonly lineLength: number,
  ) {}

  get done(): boolean {
    return this.k >= this.toks.length;
  }

  peek(): Token | undefined {
    return this.toks[this.k];
  }

  /** The next token, or an error at the end of the line naming what was expected. */
  next(expected: string): Token {
    const t = this.toks[this.k++];
    if (t === undefined) throw new LineError(this.lineLength + 1, this.lineLength + 2, `expected ${expected}`);
    return t;
  }

  number(expected: string, max = 0xffffffff, what = 'this number'): number {
    const t = this.next(expected);
    return numberOf(t.text, t.col, expected, max, what);
  }

  end(what: string): void {
    const t = this.peek();
    if (t) throw new LineError(t.col, t.col + t.text.length, `unexpected ${JSON.stringify(t.text)}: ${what}`);
  }
}

function numberOf(text: string, col: number, expected: string, max: number, what: string): number {
  const n = parseNumber(text);
  const end = col + text.length;
  if (n === null) {
    if (/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text)) throw new LineError(col, end, `${text} is larger than 0xffffffff`);
    throw new LineError(col, end, `expected ${expected}`);
  }
  if (n > max) throw new LineError(col, end, `${what} is at most ${max} (0x${max.toString(16)}); ${text} is too large`);
  return n;
}

const ADDRESS = 'a number or 0x… address';
const TYPE_MAX: Record<'u32' | 'u16' | 'u8', number> = { u32: 0xffffffff, u16: 0xffff, u8: 0xff };

function typeOf(c: Cursor, op: string): (typeof SCRIPT_TYPES)[number] {
  const t = c.next('u32, u16, u8 or text');
  const ty = SCRIPT_TYPES.find((x) => x === t.text);
  if (!ty) throw new LineError(t.col, t.col + t.text.length, `expected u32, u16, u8 or text after the ${op} address, not ${JSON.stringify(t.text)}`);
  return ty;
}

function stringOf(t: Token): string {
  if (t.kind !== 'string') throw new LineError(t.col, t.col + t.text.length, 'expected a "quoted string"');
  // The string's escapes are JSON's (\n, \t, \", \\, \u00e9), so the printer can write any text back with JSON.stringify.
  try {
    const v: unknown = JSON.parse(t.text);
    if (typeof v === 'string') return v;
  } catch {
    /* named below */
  }
  throw new LineError(t.col, t.col + t.text.length, 'bad string: use \\" \\\\ \\n \\t or \\uXXXX escapes');
}

function writeLine(c: Cursor): ScriptStep {
  const addr = c.number(ADDRESS);
  const ty = typeOf(c, 'write');
  if (ty === 'text') {
    const text = stringOf(c.next('a "quoted string" to write'));
    c.end('a text write takes one string');
    return { op: 'write', addr, text };
  }
  const values: number[] = [];
  while (!c.done) values.push(c.number(`a ${ty} value (a number or 0x…)`, TYPE_MAX[ty], `a ${ty} value`));
  return { op: 'write', addr, [ty]: values };
}

function readLine(c: Cursor): ScriptStep {
  const addr = c.number(ADDRESS);
  const ty = typeOf(c, 'read');
  const n = c.number(ty === 'text' ? 'how many bytes to read at most' : `how many ${ty} values to read`, MAX_READ_COUNT, 'a read count');
  c.end('a read takes an address, a type and a count');
  return { op: 'read', addr, [ty]: n };
}

function hcallLine(c: Cursor): ScriptStep {
  const t = c.next(`a hypercall name (${HYPERCALL_NAME_LIST.join(', ')}) or number`);
  let call: string | number;
  const n = parseNumber(t.text);
  if (n !== null) call = n;
  else {
    const name = t.text.toUpperCase();
    if (!HYPERCALL_NAME_LIST.includes(name.replace(/^LHCALL_/, ''))) throw new LineError(t.col, t.col + t.text.length, `unknown hypercall ${t.text}; expected one of ${HYPERCALL_NAME_LIST.join(', ')}`);
    call = name;
  }
  const args: number[] = [];
  while (!c.done) {
    if (args.length === 3) {
      const extra = c.peek()!;
      throw new LineError(extra.col, extra.col + extra.text.length, 'a hypercall takes at most 3 arguments');
    }
    args.push(c.number(`an argument (a number or 0x…)`));
  }
  return { op: 'hcall', call, args };
}

function dmaLine(c: Cursor, arch: Arch): ScriptStep[] {
  const atTok = c.peek();
  const at = c.number(ADDRESS);
  const size = layoutOf(LGUEST_DMA, arch).size;
  if (atTok && at + size > 0x1_0000_0000) throw new LineError(atTok.col, atTok.col + atTok.text.length, `a struct lguest_dma (${size} bytes on ${arch}) at ${atTok.text} would run past 0xffffffff`);
  let used: number | undefined;
  const sections: Section[] = [];
  while (!c.done) {
    const t = c.next('');
    if (t.kind === 'string') throw new LineError(t.col, t.col + t.text.length, 'expected used=N or an addr:len section');
    const usedMatch = /^used=/i.exec(t.text);
    if (usedMatch) {
      if (used !== undefined) throw new LineError(t.col, t.col + t.text.length, 'used= is given twice');
      used = numberOf(t.text.slice(5), t.col + 5, 'a number after used=', 0xffffffff, 'used_len');
      continue;
    }
    const colon = t.text.indexOf(':');
    if (colon < 0) throw new LineError(t.col, t.col + t.text.length, `expected used=N or an addr:len section, not ${JSON.stringify(t.text)}`);
    if (sections.length === LGUEST_MAX_DMA_SECTIONS) throw new LineError(t.col, t.col + t.text.length, `a struct lguest_dma has at most ${LGUEST_MAX_DMA_SECTIONS} sections`);
    const addr = numberOf(t.text.slice(0, colon), t.col, `a section address (a number or 0x…) before the :`, 0xffffffff, 'an address');
    const len = numberOf(t.text.slice(colon + 1), t.col + colon + 1, 'a section length after the :', 0xffff, 'a section length (u16)');
    sections.push({ addr, len });
  }
  return writeDma(at, sections, used ?? 0, arch);
}

/** The steps of one line (none for a blank or comment line). */
function compileLine(line: string, arch: Arch): ScriptStep[] {
  if (line.length > MAX_LINE_CHARS) throw new LineError(MAX_LINE_CHARS + 1, line.length + 1, `a line is at most ${MAX_LINE_CHARS} characters`);
  const toks = tokenize(line);
  if (toks.length === 0) return [];
  const c = new Cursor(toks, line.length);
  const opTok = c.next('an op');
  const op = opTok.text.toLowerCase();
  switch (op) {
    case 'write':
      return [writeLine(c)];
    case 'read':
      return [readLine(c)];
    case 'hcall':
      return [hcallLine(c)];
    case 'dma':
      return dmaLine(c, arch);
    case 'wait':
    case 'yield':
      c.end(`${op} takes nothing`);
      return [{ op }];
    default:
      throw new LineError(opTok.col, opTok.col + opTok.text.length, `unknown op ${JSON.stringify(opTok.text)}; expected ${SCRIPT_OPS.slice(0, -1).join(', ')} or ${SCRIPT_OPS.at(-1)}`);
  }
}

/** Compile a whole source for `arch` (the scenario's: `dma` depends on it). */
export function compileScript(source: string, arch: Arch = 'i386'): CompileResult {
  if (source.length > MAX_SOURCE_CHARS) return { ok: false, errors: [{ line: 1, col: 1, endCol: 2, message: `a script is at most ${MAX_SOURCE_CHARS} characters; this one has ${source.length}` }] };
  const steps: ScriptStep[] = [];
  const lines: number[] = [];
  const errors: SyntaxError[] = [];
  source.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    try {
      for (const s of compileLine(line, arch)) {
        steps.push(s);
        lines.push(i + 1);
      }
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      errors.push({ line: i + 1, col: e.col, endCol: e.endCol, message: e.message });
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, steps, lines };
}
