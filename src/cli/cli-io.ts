/** What a CLI command may touch, injected so tests run commands without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array;
  /** Pieces (an Iterable of strings) are written one after another, so a big trace is never one string. */
  writeFile(path: string, data: string | Uint8Array | Iterable<string>): void;
}

/** Exit codes: 0 ok, 1 failure while running, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** `\n`, `\r`, `\t`, `\\`, `\xHH` and `\e` in a --type argument, as a shell user means them. */
export function unescapeInput(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_m, c: string) => {
    if (c.length === 3) return String.fromCharCode(parseInt(c.slice(1), 16));
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'e':
        return '\x1b';
      case '\\':
        return '\\';
      default:
        return '\\' + c;
    }
  });
}
