/**
 * `lguest-lab abi [--arch i386|x86_64] [--json]`: print the ABI the simulator
 * uses, computed from the one declarative table in src/abi (struct layouts:
 * spec §1.3; constants: spec §1.1 and §1.2).
 *
 * `--json` prints exactly `abiDump(arch)` (src/abi/abi-dump.ts) so scripts and
 * the gcc cross-check see the same numbers as the simulator; without it, a
 * table for people, with the padding C inserts shown as its own rows.
 *
 * `args` are the words after `abi` (src/cli/main.ts strips the subcommand).
 * Usage errors return code 2 with one line on stderr naming the bad word and
 * the valid values; nothing here writes to the process streams or exits.
 */
import type { Result } from '../base/result.ts';
import { type AbiDump, abiDump } from '../abi/abi-dump.ts';
import { type Arch, ARCHES } from '../abi/ctypes.ts';

export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AbiOptions {
  arch: Arch;
  json: boolean;
  help: boolean;
}

export type AbiArgsErrorCode = 'unknown-flag' | 'bad-arch' | 'missing-value' | 'unexpected-argument';
export interface AbiArgsError {
  code: AbiArgsErrorCode;
  /** One line, without a trailing newline. */
  message: string;
}

export type AbiArgsResult = Result<AbiOptions, AbiArgsError>;

/** i386 is lguest's only real target (spec §1.3: Kconfig requires X86_32). */
const DEFAULT_ARCH: Arch = 'i386';
const ARCH_CHOICES = ARCHES.join(' or ');
const FLAGS = `--arch ${ARCHES.join('|')}, --json, --help`;

export const ABI_USAGE = [
  `usage: lguest-lab abi [--arch ${ARCHES.join('|')}] [--json]`,
  '',
  'Print struct layouts (spec §1.3) and constants (spec §1.1, §1.2) as the simulator computes them.',
  `  --arch A   ABI to lay the structs out for: ${ARCH_CHOICES} (default ${DEFAULT_ARCH})`,
  '  --json     print the dump as JSON instead of a table',
  '  --help     print this text',
  '',
].join('\n');

const isArch = (s: string): s is Arch => (ARCHES as readonly string[]).includes(s);

const fail = (code: AbiArgsErrorCode, message: string): AbiArgsResult => ({ ok: false, error: { code, message: `abi: ${message}` } });

/** Parse the words after `abi`. Accepts `--arch X` and `--arch=X`; a repeated flag's last value wins. */
export function parseAbiArgs(args: readonly string[]): AbiArgsResult {
  const opts: AbiOptions = { arch: DEFAULT_ARCH, json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const eq = word.indexOf('=');
    const flag = word.startsWith('--') && eq >= 0 ? word.slice(0, eq) : word;
    if (flag === '--arch') {
      let value: string | undefined;
      if (eq >= 0) value = word.slice(eq + 1);
      else {
        // A following flag is not a value: `--arch --json` means the value was forgotten.
        const next = args[i + 1];
        if (next !== undefined && !next.startsWith('-')) {
          value = next;
          i++;
        }
      }
      if (value === undefined || value === '') return fail('missing-value', `--arch needs a value; use ${ARCH_CHOICES}`);
      if (!isArch(value)) return fail('bad-arch', `--arch ${JSON.stringify(value)} is unknown; use ${ARCH_CHOICES}`);
      opts.arch = value;
    } else if (word === '--json') opts.json = true;
    else if (word === '--help' || word === '-h') opts.help = true;
    else if (word.startsWith('-')) return fail('unknown-flag', `unknown flag ${JSON.stringify(word)}; valid flags are ${FLAGS}`);
    else return fail('unexpected-argument', `unexpected argument ${JSON.stringify(word)}; abi takes only the flags ${FLAGS}`);
  }
  return { ok: true, value: opts };
}

/** Rows padded to column widths; `right[i]` right-aligns column i (numbers). */
function formatRows(rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const widths = right.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

/** The human-readable form of one dump: one row per field, plus the padding the C rules insert. */
export function formatAbiTable(dump: AbiDump): string {
  const rows: string[][] = [['struct', 'field', 'offset', 'size', 'C type']];
  for (const [sname, st] of Object.entries(dump.structs)) {
    let end = 0;
    const pad = (at: number, upTo: number): void => {
      if (upTo > at) rows.push([sname, '(padding)', String(at), String(upTo - at), '-']);
    };
    for (const [fname, fl] of Object.entries(st.fields)) {
      pad(end, fl.offset);
      rows.push([sname, fl.count === undefined ? fname : `${fname}[${fl.count}]`, String(fl.offset), String(fl.size), fl.type]);
      end = fl.offset + fl.size;
    }
    // Tail padding keeps arrays of the struct aligned (spec §1.3: arrays packed at stride sizeof).
    pad(end, st.size);
    rows.push([sname, '(sizeof)', '0', String(st.size), `align ${st.align}`]);
  }
  const constRows: string[][] = [['constant', 'value', 'hex']];
  for (const [name, v] of Object.entries(dump.constants)) constRows.push([name, String(v), `0x${v.toString(16)}`]);

  return [
    `lguest ABI for ${dump.arch} (structs: spec §1.3; constants: spec §1.1, §1.2)`,
    '',
    ...formatRows(rows, [false, false, true, true, false]),
    '',
    ...formatRows(constRows, [false, true, true]),
    '',
  ].join('\n');
}

export function abiCommand(args: string[]): CommandOutput {
  const parsed = parseAbiArgs(args);
  if (!parsed.ok) return { code: 2, stdout: '', stderr: `${parsed.error.message}\n` };
  const { arch, json, help } = parsed.value;
  if (help) return { code: 0, stdout: ABI_USAGE, stderr: '' };
  const dump = abiDump(arch);
  return { code: 0, stdout: json ? `${JSON.stringify(dump, null, 2)}\n` : formatAbiTable(dump), stderr: '' };
}
