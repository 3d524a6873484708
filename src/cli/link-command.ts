/**
 * `link (--preset NAME | --scenario FILE) [--type TEXT]...` prints the share
 * fragment of a headless run; `replay FRAGMENT [--json]` replays one and
 * prints what `run` would (issue #5).
 */
import { Machine } from '../machine/machine.ts';
import { summarize } from '../machine/summary.ts';
import { decodeLink, encodeLink } from '../trace/link.ts';
import { makeRecording, recordingScenario } from '../trace/recording.ts';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.ts';
import { loadScenario, parseRunArgs, runWithInputs } from './run-command.ts';

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
  runWithInputs(m, p.value.types, p.value.steps, () => {});
  const source = p.value.preset !== undefined && p.value.disk === undefined ? { preset: p.value.preset } : { scenario: { ...s.value, inputs: [] } };
  io.stdout(encodeLink(makeRecording(source, m.inputLog)) + '\n');
  return EXIT_OK;
}

export function replayCommand(args: readonly string[], io: CliIo): number {
  const frag = args.find((a) => !a.startsWith('--'));
  const json = args.includes('--json');
  const unknown = args.find((a) => a.startsWith('--') && a !== '--json');
  if (frag === undefined || unknown !== undefined) {
    io.stderr(`replay: usage: replay FRAGMENT [--json]${unknown ? ` (unknown option ${unknown})` : ''}\n`);
    return EXIT_USAGE;
  }
  const r = decodeLink(frag);
  if (!r.ok) {
    io.stderr(`${r.error.message}\n`);
    return EXIT_USAGE;
  }
  const sc = recordingScenario(r.value);
  if (!sc.ok) {
    io.stderr(`link: ${sc.error.message}\n`);
    return EXIT_USAGE;
  }
  const m = new Machine(sc.value);
  m.runUntilIdle();
  if (json) io.stdout(JSON.stringify(summarize(m), null, 2) + '\n');
  else m.launchers.forEach((L, i) => io.stdout(m.launchers.length > 1 ? `--- guest ${i} ---\n${L.stdoutText()}\n` : L.stdoutText()));
  return EXIT_OK;
}
