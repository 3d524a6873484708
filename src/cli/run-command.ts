/**
 * `run (--preset NAME | --scenario FILE) [--type TEXT]... [--until-idle | --steps N]
 *      [--disk FILE] [--json] [--trace FILE] [--trace-format jsonl|chrome]`
 * (issue #3). Runs the Machine headless and prints each guest's console
 * output as it appears, prefixed per guest when there are several.
 */
import { Machine } from '../core/machine.ts';
import { EventKind } from '../core/events.ts';
import { PRESET_NAMES, PRESETS } from '../core/presets.ts';
import { MAX_DISK_BYTES, parseScenario, validateScenario, type Scenario } from '../core/scenario.ts';
import { summarize } from '../core/summary.ts';
import { jsonLinesText } from '../trace/jsonl.ts';
import { ChromeTraceStream } from '../trace/chrome-trace.ts';
import { EXIT_OK, EXIT_USAGE, unescapeInput, type CliIo } from './cli-io.ts';

export const RUN_USAGE =
  'usage: run (--preset NAME | --scenario FILE) [--type TEXT]... [--until-idle | --steps N] [--disk FILE] [--json] [--trace FILE] [--trace-format jsonl|chrome]';

export interface RunOptions {
  preset?: string;
  scenarioFile?: string;
  types: string[];
  steps?: number;
  json: boolean;
  trace?: string;
  traceFormat: 'jsonl' | 'chrome';
  disk?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseRunArgs(args: readonly string[]): Parsed<RunOptions> {
  const o: RunOptions = { types: [], json: false, traceFormat: 'jsonl' };
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
      text = new TextDecoder().decode(io.readFile(o.scenarioFile!));
    } catch (e) {
      return { ok: false, error: `${o.scenarioFile}: cannot read: ${(e as Error).message}` };
    }
    const r = parseScenario(text);
    if (!r.ok) return { ok: false, error: `${o.scenarioFile}: ${r.error.message}` };
    scenario = r.value;
  }
  if (o.disk !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = io.readFile(o.disk);
    } catch (e) {
      return { ok: false, error: `${o.disk}: cannot read: ${(e as Error).message}` };
    }
    if (bytes.length > MAX_DISK_BYTES) return { ok: false, error: `${o.disk}: disk image is ${bytes.length} bytes; the limit is ${MAX_DISK_BYTES} bytes (64 MiB)` };
    if (bytes.length < 512) return { ok: false, error: `${o.disk}: disk image is ${bytes.length} bytes; it needs at least one 512-byte sector` };
    scenario = withDisk(scenario, bytes);
  }
  return { ok: true, value: scenario };
}

/** Put a disk image behind guest 0's first block device (adding one if it has none). */
function withDisk(s: Scenario, bytes: Uint8Array): Scenario {
  let b64 = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) b64 += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  b64 = btoa(b64);
  const size = Math.ceil(bytes.length / 512) * 512;
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
        let s = '';
        for (let k = 0; k < c.length; k++) s += String.fromCharCode(c[k]);
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
        this.io.stdout(s);
      }
    });
    const ev = this.m.events;
    for (; this.eventsSeen < ev.count; this.eventsSeen++) {
      const e = ev.get(this.eventsSeen);
      let line: string | null = null;
      if (e.kind === EventKind.KILL) line = `guest ${e.guest} killed: ${ev.strings[e.a]}`;
      else if (e.kind === EventKind.LAUNCHER_EXIT && this.m.host.guests[e.guest]?.dead?.startsWith('launcher exited')) line = `guest ${e.guest} launcher exited: ${ev.strings[e.a]}`;
      if (line !== null) {
        this.io.stdout(`${this.termAtLineStart ? '' : '\n'}${line}\n`);
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
  const m = new Machine(s.value);
  const printer = o.json ? null : new ConsolePrinter(m, io);
  // The CLI keeps no event log it will not read (issue #15): the printer reads each event once,
  // right after its quantum, and --trace is written as the run goes (the file write drives the run).
  if (o.trace !== undefined) io.writeFile(o.trace, tracedRun(m, o, printer));
  else {
    for (const _ of runSteps(m, o.types, o.steps)) {
      printer?.flush();
      m.events.discardBefore(m.events.count);
    }
    printer?.flush();
  }
  if (o.json) io.stdout(JSON.stringify(summarize(m), null, 2) + '\n');
  return EXIT_OK;
}

/** Events per streamed trace piece. */
const TRACE_PART = 8192;

/** Run the machine, yielding the trace in pieces as events are recorded, then the end of it; streamed events are discarded. */
function* tracedRun(m: Machine, o: RunOptions, printer: ConsolePrinter | null): Generator<string> {
  const chrome = o.traceFormat === 'chrome' ? new ChromeTraceStream() : null;
  let done = 0;
  const drain = (): string => {
    const to = m.events.count;
    const text = chrome ? chrome.events(m.events, done, to) : jsonLinesText(m.events, done, to);
    done = to;
    m.events.discardBefore(done);
    return text;
  };
  if (chrome) yield chrome.head();
  for (const _ of runSteps(m, o.types, o.steps)) {
    printer?.flush();
    if (m.events.count - done >= TRACE_PART) yield drain();
  }
  printer?.flush();
  yield drain() + (chrome ? chrome.end() : '');
}

/**
 * Run until idle, then type each input into guest 0 and run until idle again
 * (issue #3: each --type after the previous one's work settled). With a quanta
 * budget, stop when it is spent.
 */
export function runWithInputs(m: Machine, types: readonly string[], budget: number | undefined, onProgress: () => void): void {
  for (const _ of runSteps(m, types, budget)) onProgress();
}

/** runWithInputs as a generator: yields after each quantum. */
export function* runSteps(m: Machine, types: readonly string[], budget: number | undefined): Generator<void> {
  let left = budget ?? Number.POSITIVE_INFINITY;
  function* settle(): Generator<void> {
    while (left > 0 && m.step()) {
      left--;
      yield;
    }
  }
  yield* settle();
  for (const t of types) {
    if (left <= 0) break;
    m.typeInput(0, t);
    yield* settle();
  }
}

