/**
 * The CLI's file and terminal access in Node (issue #11: every input bounded
 * before it is read). A file is stat'ed first: anything but a regular file
 * (/dev/zero, a FIFO, a directory) is refused by name, one over the limit by
 * its size; the read itself stops at limit + 1 bytes, so a file whose stat
 * lies (/proc) or that grows while read is still caught. Errors are one line.
 */
import { closeSync, constants, fstatSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { FileRefused, type CliIo, type OutputFile } from './cli-io.ts';

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Bytes of a regular file, at most `limit`; throws FileRefused. */
export function readBounded(path: string, limit: number): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new FileRefused(`${path}: cannot read: ${why(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileRefused(`${path}: not a regular file (${kindOf(st)}); give a file`);
    if (st.size > limit) throw new FileRefused(`${path}: ${st.size} bytes is over the limit of ${limit} bytes`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const buf = new Uint8Array(Math.min(limit + 1, 1 << 20));
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, limit + 1 - total), null);
      if (n === 0) break;
      chunks.push(buf.slice(0, n));
      total += n;
      if (total > limit) throw new FileRefused(`${path}: more than the limit of ${limit} bytes (it grew while read)`);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) (out.set(c, at), (at += c.length));
    return out;
  } catch (e) {
    if (e instanceof FileRefused) throw e;
    throw new FileRefused(`${path}: cannot read: ${why(e)}`);
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** Open for writing now; a zero-byte write finds a device that refuses every write (/dev/full) before any work. */
export function openOutput(path: string): OutputFile {
  let fd: number;
  try {
    fd = openSync(path, 'w');
    writeSync(fd, new Uint8Array(0));
  } catch (e) {
    throw new FileRefused(`${path}: cannot write: ${why(e)}`);
  }
  return {
    write: (part) => {
      try {
        writeSync(fd, part);
      } catch (e) {
        throw new FileRefused(`${path}: cannot write: ${why(e)}`);
      }
    },
    close: () => closeSync(fd),
  };
}

export const nodeIo: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stdoutBytes: (b) => void process.stdout.write(b),
  stderr: (t) => void process.stderr.write(t),
  readFile: readBounded,
  writeFile: (p, d) => {
    if (typeof d === 'string' || d instanceof Uint8Array) return writeFileSync(p, d);
    const out = openOutput(p);
    try {
      for (const part of d) out.write(part);
    } finally {
      out.close();
    }
  },
  openOutput,
};
