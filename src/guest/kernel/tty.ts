/**
 * The terminal side of the shell that drivers need: the prompt, messages
 * that arrive while the user types (printed on a fresh line, then the prompt
 * and the half-typed line again, as readline does), and ^C.
 */
import { consoleWrite } from './console-output.ts';
import { hexPad } from '../../base/printf.ts';
import { loadLine } from './line-editor.ts';
import type { Ctx } from './state.ts';
import { pingSummary } from './ping-summary.ts';

export const PROMPT = 'lguest# ';

/** `0x…` lower-case hex, as the kernel prints addresses. */
export function hex(v: number): string {
  return `0x${hexPad(v, 1)}`;
}

export function prompt(ctx: Ctx): void {
  consoleWrite(ctx.s, PROMPT);
}

/** One line of command output. */
export function puts(ctx: Ctx, line: string): void {
  consoleWrite(ctx.s, `${line}\r\n`);
}

/** Text with '\n' line ends, converted for the xterm. */
export function putText(ctx: Ctx, text: string): void {
  consoleWrite(ctx.s, text.replace(/\r?\n/g, '\r\n'));
}

/** Printable ASCII as is, everything else as '.'. */
export function printable(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return s;
}

/** A message not caused by the current command (e.g. a received text). */
export function asyncMessage(ctx: Ctx, line: string): void {
  consoleWrite(ctx.s, `\r\n${line}\r\n`);
  if (ctx.s.fg.st === 'prompt') consoleWrite(ctx.s, PROMPT + loadLine(ctx.mem, ctx.L).text);
}

/**
 * ^C: flush typed-ahead lines; at the prompt, a fresh prompt; a waiting ping
 * is abandoned. Block I/O is not interruptible (the request is in flight).
 */
export function interrupt(ctx: Ctx): void {
  const s = ctx.s;
  s.lines = [];
  if (s.fg.st === 'prompt') prompt(ctx);
  else if (s.fg.st === 'ping') {
    const fg = s.fg;
    if (fg.sent > 1 || fg.left !== 0) puts(ctx, pingSummary(fg));
    s.fg = { st: 'prompt' };
    prompt(ctx);
  }
}
