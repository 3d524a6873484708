/**
 * `link (--preset NAME | --scenario FILE) [--type TEXT]... [--max-events N]`
 * prints the share fragment of a headless run; `replay (FRAGMENT | --file
 * FILE) [--json] [--max-events N]` replays a link or a recording file and
 * prints what `run` would (issue #5). A replay runs to the recording's end
 * (every input landed, then idle) or to the event budget, and says which:
 * nothing cuts it short silently (issue #11).
 */
import { Machine } from '../machine/machine.ts';
import { MAX_SCENARIO_CHARS } from '../scenario/scenario.ts';
import { summarize } from '../machine/summary.ts';
import { decodeLink, encodeLink } from '../trace/link.ts';
import { makeRecording, recordingScenario, validateRecording, type Recording } from '../trace/recording.ts';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, printGuestBytes, type CliIo } from './cli-io.ts';
import { budgetLine, DEFAULT_MAX_EVENTS, loadScenario, parseMaxEvents, parseRunArgs, readError, runWithInputs } from './run-command.ts';

export const REPLAY_USAGE = 'usage: replay (FRAGMENT | --file FILE) [--json] [--max-events N]';

export function linkCommand(args: readonly string[], io: CliIo): number {
  const p = parseRunArgs(args);
  if (!p.ok) {
    io.stderr(`link: ${p.error}\n`);
    return EXIT_USAGE;
  }
  const s = loadScenario(p.value, io);
  if (!s.ok) {
    io.stderr(`${s.error}\n`);
    return EXIT_USAGE;
  }
  const m = new Machine(s.value);
  if (runWithInputs(m, p.value.types, p.value.steps, () => {}, p.value.maxEvents) === 'max-events') io.stderr(budgetLine(p.value.maxEvents));
  const source = p.value.preset !== undefined && p.value.disk === undefined ? { preset: p.value.preset } : { scenario: { ...s.value, inputs: [] } };
  io.stdout(encodeLink(makeRecording(source, m.inputLog)) + '\n');
  return EXIT_OK;
}

interface ReplayOptions {
  fragment?: string;
  file?: string;
  json: boolean;
  maxEvents: number;
}

function parseReplayArgs(args: readonly string[]): ReplayOptions | string {
  const o: ReplayOptions = { json: false, maxEvents: DEFAULT_MAX_EVENTS };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') o.json = true;
    else if (a === '--max-events') {
      const n = parseMaxEvents(args[++i]);
      if (typeof n === 'string') return n;
      o.maxEvents = n;
    } else if (a === '--file') {
      const f = args[++i];
      if (!f) return '--file needs a file name';
      o.file = f;
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (o.fragment !== undefined) return 'give one link';
    else o.fragment = a;
  }
  if ((o.fragment === undefined) === (o.file === undefined)) return 'give a link or --file FILE';
  return o;
}

/** A link (fragment or URL) or a recording file's JSON, decoded and validated. */
function recordingOf(o: ReplayOptions, io: CliIo): Recording | string {
  let text = o.fragment;
  if (o.file !== undefined) {
    try {
      text = new TextDecoder().decode(io.readFile(o.file, MAX_SCENARIO_CHARS));
    } catch (e) {
      return readError(o.file, e);
    }
  }
  const t = text!.trim();
  if (t.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(t);
    } catch (e) {
      return `${o.file ?? 'recording'}: not valid JSON: ${(e as Error).message}`;
    }
    const v = validateRecording(data);
    return v.ok ? v.value : `${o.file ?? 'recording'}: ${v.error.message}`;
  }
  const r = decodeLink(t);
  return r.ok ? r.value : o.file !== undefined ? `${o.file}: ${r.error.message}` : r.error.message;
}

export function replayCommand(args: readonly string[], io: CliIo): number {
  const o = parseReplayArgs(args);
  if (typeof o === 'string') {
    io.stderr(`replay: ${o}; ${REPLAY_USAGE}\n`);
    return EXIT_USAGE;
  }
  const rec = recordingOf(o, io);
  if (typeof rec === 'string') {
    io.stderr(`${rec}\n`);
    return EXIT_USAGE;
  }
  const sc = recordingScenario(rec);
  if (!sc.ok) {
    io.stderr(`link: ${sc.error.message}\n`);
    return EXIT_USAGE;
  }
  const m = new Machine(sc.value);
  const stopped = runWithInputs(m, [], undefined, () => {}, o.maxEvents);
  if (stopped === 'max-events') {
    const pending = m.inputsPending;
    if (pending > 0) {
      // The recording's end was not reached: say so, and fail (issue #11).
      io.stderr(`replay: stopped at the event budget (${o.maxEvents} events) before the recording's end (${pending} of ${rec.inputs.length} inputs not yet typed); raise it with --max-events\n`);
      return EXIT_FAIL;
    }
    io.stderr(budgetLine(o.maxEvents));
  }
  if (o.json) io.stdout(JSON.stringify({ ...summarize(m), stopped }, null, 2) + '\n');
  else m.launchers.forEach((L, i) => printGuestBytes(io, m.launchers.length > 1 ? `--- guest ${i} ---\n${L.stdoutText()}\n` : L.stdoutText()));
  return EXIT_OK;
}
