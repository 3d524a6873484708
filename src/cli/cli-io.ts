/** What a CLI command may touch, injected so tests run commands without a process. */
export interface CliIo {
  stdout(text: string): void;
  /**
   * Bytes the guests made (console output, kill reasons), written as they are
   * so the terminal decodes them. Absent: they go to `stdout` one char per byte.
   */
  stdoutBytes?(bytes: Uint8Array): void;
  stderr(text: string): void;
  /**
   * A whole file of at most `limit` bytes. The real one stats first, refuses
   * anything but a regular file, and reads no more than limit + 1 bytes
   * (node-io.ts); it throws FileRefused with a one-line message.
   */
  readFile(path: string, limit: number): Uint8Array;
  /** Pieces (an Iterable of strings) are written one after another, so a big trace is never one string. */
  writeFile(path: string, data: string | Uint8Array | Iterable<string>): void;
  /** Open an output before a run, so a bad path fails before the work (throws FileRefused). Absent: writeFile at the end. */
  openOutput?(path: string): OutputFile;
}

export interface OutputFile {
  write(part: string): void;
  close(): void;
}

/** A file the CLI will not read or write; the message is one line naming the file. */
export class FileRefused extends Error {
  override name = 'FileRefused';
}

/** Exit codes: 0 ok, 1 failure while running, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** Guest bytes kept one char per byte (console output, kill reasons), out as the bytes they are. */
export function printGuestBytes(io: CliIo, s: string): void {
  if (!io.stdoutBytes) return io.stdout(s);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  io.stdoutBytes(b);
}

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
