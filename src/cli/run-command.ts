/**
 * `run (--preset NAME | --scenario FILE) [--type TEXT]... [--until-idle | --steps N]
 *      [--max-events N] [--disk FILE] [--json] [--trace FILE] [--trace-format jsonl|chrome]`
 * (issue #3, #11). Runs the Machine headless and prints each guest's console
 * output as it appears, prefixed per guest when there are several. Every run
 * is bounded: at --max-events events it stops and says so (a `ping -f` never
 * settles by itself).
 */
import { SECTOR_SIZE } from '../abi/constants.ts';
import { bytesToBase64 } from '../base/base64.ts';
import { latin1Text } from '../base/latin1.ts';
import type { Result } from '../base/result.ts';
import { Machine } from '../machine/machine.ts';
import { EventKind } from '../hw/events.ts';
import { PRESET_NAMES, PRESETS } from '../scenario/presets.ts';
import { MAX_DISK_BYTES, MAX_SCENARIO_CHARS, parseScenario, validateScenario, type Scenario } from '../scenario/scenario.ts';
import { summarize } from '../machine/summary.ts';
import { jsonLinesParts } from '../trace/jsonl.ts';
import { chromeTraceParts } from '../trace/chrome-trace.ts';
import { EXIT_OK, EXIT_USAGE, FileRefused, printGuestBytes, unescapeInput, type CliIo, type OutputFile } from './cli-io.ts';

export const RUN_USAGE =
  'usage: run (--preset NAME | --scenario FILE) [--type TEXT]... [--until-idle | --steps N] [--max-events N] [--disk FILE] [--json] [--trace FILE] [--trace-format jsonl|chrome]';

export interface RunOptions {
  preset?: string;
  scenarioFile?: string;
  types: string[];
  steps?: number;
  json: boolean;
  trace?: string;
  traceFormat: 'jsonl' | 'chrome';
  disk?: string;
  /** Stop at the first quantum boundary with at least this many events. */
  maxEvents: number;
}

/** The default event budget of `run` and `replay` (issue #11). */
export const DEFAULT_MAX_EVENTS = 20_000_000;

/** Why a run ended: everything settled, --steps was spent, or the event budget was reached. */
export type StopReason = 'idle' | 'steps' | 'max-events';

/** The one stderr line a run at its budget prints (exact: issue #11). */
export const budgetLine = (n: number): string => `stopped at the event budget (${n} events); raise it with --max-events\n`;

/** --max-events N: a whole number ≥ 1, or the error. */
export function parseMaxEvents(v: string | undefined): number | string {
  const n = Number(v);
  return v !== undefined && /^\d+$/.test(v) && Number.isSafeInteger(n) && n >= 1 ? n : '--max-events needs a whole number of events (at least 1)';
}

export type Parsed<T> = Result<T, string>;

export function parseRunArgs(args: readonly string[]): Parsed<RunOptions> {
  const o: RunOptions = { types: [], json: false, traceFormat: 'jsonl', maxEvents: DEFAULT_MAX_EVENTS };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => args[++i];
    switch (a) {
      case '--preset': {
        const v = value();
        if (v === undefined || !PRESET_NAMES.includes(v)) return { ok: false, error: `--preset ${v ?? ''}: unknown preset; use one of ${PRESET_NAMES.join(', ')}` };
        o.preset = v;
        break;
      }
      case '--scenario': {
        const v = value();
        if (!v) return { ok: false, error: '--scenario needs a file name' };
        o.scenarioFile = v;
        break;
      }
      case '--type': {
        const v = value();
        if (v === undefined) return { ok: false, error: '--type needs the text to type' };
        o.types.push(unescapeInput(v));
        break;
      }
      case '--until-idle':
        o.steps = undefined;
        break;
      case '--steps': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0) return { ok: false, error: '--steps needs a whole number of quanta' };
        o.steps = v;
        break;
      }
      case '--max-events': {
        const n = parseMaxEvents(value());
        if (typeof n === 'string') return { ok: false, error: n };
        o.maxEvents = n;
        break;
      }
      case '--json':
        o.json = true;
        break;
      case '--trace': {
        const v = value();
        if (!v) return { ok: false, error: '--trace needs a file name' };
        o.trace = v;
        break;
      }
      case '--trace-format': {
        const v = value();
        if (v !== 'jsonl' && v !== 'chrome') return { ok: false, error: `--trace-format ${v ?? ''}: use jsonl or chrome` };
        o.traceFormat = v;
        break;
      }
      case '--disk': {
        const v = value();
        if (!v) return { ok: false, error: '--disk needs a file name' };
        o.disk = v;
        break;
      }
      default:
        return { ok: false, error: `unknown argument ${a}; ${RUN_USAGE}` };
    }
  }
  if ((o.preset === undefined) === (o.scenarioFile === undefined)) return { ok: false, error: `give exactly one of --preset or --scenario; ${RUN_USAGE}` };
  return { ok: true, value: o };
}

/** Load the scenario an invocation names, as a one-line error on failure. */
export function loadScenario(o: RunOptions, io: CliIo): Parsed<Scenario> {
  let scenario: Scenario;
  if (o.preset !== undefined) {
    const r = validateScenario(PRESETS[o.preset]);
    if (!r.ok) return { ok: false, error: `preset ${o.preset}: ${r.error.message}` };
    scenario = r.value;
  } else {
    let text: string;
    try {
      // Bytes ≥ characters, so a file within this many bytes is within MAX_SCENARIO_CHARS.
      text = new TextDecoder().decode(io.readFile(o.scenarioFile!, MAX_SCENARIO_CHARS));
    } catch (e) {
      return { ok: false, error: readError(o.scenarioFile!, e) };
    }
    const r = parseScenario(text);
    if (!r.ok) return { ok: false, error: `${o.scenarioFile}: ${r.error.message}` };
    scenario = r.value;
  }
  if (o.disk !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = io.readFile(o.disk, MAX_DISK_BYTES);
    } catch (e) {
      return { ok: false, error: readError(o.disk, e, 'disk images are limited to 64 MiB') };
    }
    if (bytes.length > MAX_DISK_BYTES) return { ok: false, error: `${o.disk}: disk image is ${bytes.length} bytes; the limit is ${MAX_DISK_BYTES} bytes (64 MiB)` };
    if (bytes.length < SECTOR_SIZE) return { ok: false, error: `${o.disk}: disk image is ${bytes.length} bytes; it needs at least one ${SECTOR_SIZE}-byte sector` };
    scenario = withDisk(scenario, bytes);
  }
  return { ok: true, value: scenario };
}

/** One line for a file that could not be read (FileRefused already names the file). */
export function readError(path: string, e: unknown, limitNote?: string): string {
  if (e instanceof FileRefused) return limitNote && /over the limit|more than the limit/.test(e.message) ? `${e.message}; ${limitNote}` : e.message;
  return `${path}: cannot read: ${e instanceof Error ? e.message : String(e)}`;
}

/** Put a disk image behind guest 0's first block device (adding one if it has none). */
function withDisk(s: Scenario, bytes: Uint8Array): Scenario {
  const b64 = bytesToBase64(bytes);
  const size = Math.ceil(bytes.length / SECTOR_SIZE) * SECTOR_SIZE;
  const guests = s.guests.map((g, i) => {
    if (i !== 0) return g;
    const devices = [...(g.devices ?? [])];
    const at = devices.findIndex((d) => d.type === 'block');
    const dev = { type: 'block' as const, size, image: b64 };
    if (at >= 0) devices[at] = dev;
    else devices.unshift(dev);
    return { ...g, devices };
  });
  return { ...s, guests };
}

/** Streams console output and deaths as they happen. */
class ConsolePrinter {
  private chunks: number[];
  private atLineStart: boolean[];
  private eventsSeen = 0;
  constructor(
    private readonly m: Machine,
    private readonly io: CliIo,
  ) {
    this.chunks = m.launchers.map(() => 0);
    this.atLineStart = m.launchers.map(() => true);
  }

  /** Guest whose output was printed last, and whether the terminal is at a line start. */
  private lastGuest = -1;
  private termAtLineStart = true;

  flush(): void {
    const many = this.m.launchers.length > 1;
    this.m.launchers.forEach((L, i) => {
      while (this.chunks[i] < L.stdout.length) {
        const c = L.stdout[this.chunks[i]++];
        let s = latin1Text(c);
        if (many) {
          let out = '';
          // Another guest's half-written line: end it, so each line carries one guest's prefix.
          if (this.lastGuest !== i && !this.termAtLineStart) out += '\n';
          if (this.lastGuest !== i && !this.atLineStart[i]) out += `[guest ${i}] `;
          for (const ch of s) {
            if (this.atLineStart[i] && ch !== '\r') out += `[guest ${i}] `;
            out += ch;
            this.atLineStart[i] = ch === '\n';
          }
          this.lastGuest = i;
          s = out;
        }
        if (s.length > 0) this.termAtLineStart = s.endsWith('\n');
        printGuestBytes(this.io, s);
      }
    });
    const ev = this.m.events;
    for (; this.eventsSeen < ev.count; this.eventsSeen++) {
      const e = ev.get(this.eventsSeen);
      let line: string | null = null;
      if (e.kind === EventKind.KILL) line = `guest ${e.guest} killed: ${ev.strings[e.a]}`;
      else if (e.kind === EventKind.LAUNCHER_EXIT && this.m.host.guests[e.guest]?.dead?.startsWith('launcher exited')) line = `guest ${e.guest} launcher exited: ${ev.strings[e.a]}`;
      if (line !== null) {
        // The reason is the kernel's bytes (a CRASH string from guest memory): out as they are.
        printGuestBytes(this.io, `${this.termAtLineStart ? '' : '\n'}${line}\n`);
        this.termAtLineStart = true;
      }
    }
  }
}

export function runCommand(args: readonly string[], io: CliIo): number {
  const p = parseRunArgs(args);
  if (!p.ok) {
    io.stderr(`run: ${p.error}\n`);
    return EXIT_USAGE;
  }
  const o = p.value;
  const s = loadScenario(o, io);
  if (!s.ok) {
    io.stderr(`${s.error}\n`);
    return EXIT_USAGE;
  }
  // The trace file is opened before the run: a bad path costs nothing (issue #11).
  let out: OutputFile | null = null;
  if (o.trace !== undefined && io.openOutput) {
    try {
      out = io.openOutput(o.trace);
    } catch (e) {
      io.stderr(`--trace ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_USAGE;
    }
  }
  const m = new Machine(s.value);
  const printer = o.json ? null : new ConsolePrinter(m, io);
  const stopped = runWithInputs(m, o.types, o.steps, () => printer?.flush(), o.maxEvents);
  printer?.flush();
  if (stopped === 'max-events') io.stderr(budgetLine(o.maxEvents));
  if (o.trace !== undefined) {
    const parts = o.traceFormat === 'chrome' ? chromeTraceParts(m.events) : jsonLinesParts(m.events);
    try {
      if (out) for (const part of parts) out.write(part);
      else io.writeFile(o.trace, parts);
    } catch (e) {
      io.stderr(`--trace ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_USAGE;
    } finally {
      out?.close();
    }
  }
  if (o.json) io.stdout(JSON.stringify({ ...summarize(m), stopped }, null, 2) + '\n');
  return EXIT_OK;
}

/**
 * Run until idle, then type each input into guest 0 and run until idle again
 * (issue #3: each --type after the previous one's work settled). With a quanta
 * budget, stop when it is spent; at `maxEvents` events, stop (issue #11).
 */
export function runWithInputs(m: Machine, types: readonly string[], budget: number | undefined, onProgress: () => void, maxEvents = DEFAULT_MAX_EVENTS): StopReason {
  let left = budget ?? Number.POSITIVE_INFINITY;
  const ev = m.events;
  const settle = (): StopReason | null => {
    while (left > 0) {
      if (ev.count >= maxEvents) return 'max-events';
      if (!m.step()) return null;
      left--;
      onProgress();
    }
    return 'steps';
  };
  let r = settle();
  for (const t of types) {
    if (r !== null) return r;
    m.typeInput(0, t);
    r = settle();
  }
  return r ?? 'idle';
}
