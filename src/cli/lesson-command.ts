/**
 * `lesson list [--json]` and `lesson check (FILE | ID | --all) [--json]`
 * (issue #13). check plays each lesson headless and prints one line per
 * step; exit 0 when every check holds, 1 when one fails, 2 for a malformed
 * lesson (one line naming the place) or bad usage.
 */
import { fileURLToPath } from 'node:url';
import { LESSON_CATALOG, lessonEntry } from '../lesson/catalog.ts';
import { checkLesson, reportLines, type LessonReport } from '../lesson/check-lesson.ts';
import { parseLesson, type Lesson } from '../lesson/schema.ts';
import { MAX_SCENARIO_CHARS } from '../scenario/scenario.ts';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.ts';

export const LESSON_USAGE = 'usage: lesson list [--json] | lesson check (FILE | ID | --all) [--json]';

/** Where the built-in lessons live (public/lessons/, the files the page fetches). */
export const LESSONS_DIR = fileURLToPath(new URL('../../public/lessons/', import.meta.url));

type Loaded = { ok: true; lesson: Lesson; file: string } | { ok: false; error: string };

function load(file: string, io: CliIo): Loaded {
  let text: string;
  try {
    // A lesson may carry a whole scenario: the same bound as a scenario file, checked before reading.
    text = new TextDecoder().decode(io.readFile(file, MAX_SCENARIO_CHARS));
  } catch (e) {
    const message = (e as Error).message;
    return { ok: false, error: message.startsWith(file) ? message : `${file}: cannot read: ${message}` };
  }
  const r = parseLesson(text);
  return r.ok ? { ok: true, lesson: r.value, file } : { ok: false, error: `${file}: ${r.error.message}` };
}

const builtinPath = (file: string): string => LESSONS_DIR + file;

function listCommand(args: readonly string[], io: CliIo): number {
  const json = args.includes('--json');
  if (args.some((a) => a !== '--json')) {
    io.stderr(`lesson list: unknown argument; ${LESSON_USAGE}\n`);
    return EXIT_USAGE;
  }
  const rows: { id: string; title: string; steps: number }[] = [];
  for (const e of LESSON_CATALOG) {
    const l = load(builtinPath(e.file), io);
    if (!l.ok) {
      io.stderr(`${l.error}\n`);
      return EXIT_USAGE;
    }
    rows.push({ id: l.lesson.id, title: l.lesson.title, steps: l.lesson.steps.length });
  }
  if (json) io.stdout(JSON.stringify(rows, null, 2) + '\n');
  else {
    const w = Math.max(...rows.map((r) => r.id.length));
    for (const r of rows) io.stdout(`${r.id.padEnd(w)}  ${String(r.steps).padStart(2)} steps  ${r.title}\n`);
  }
  return EXIT_OK;
}

function checkCommand(args: readonly string[], io: CliIo): number {
  const json = args.includes('--json');
  const targets = args.filter((a) => a !== '--json');
  if (targets.length !== 1) {
    io.stderr(`lesson check: name one lesson file or id, or --all; ${LESSON_USAGE}\n`);
    return EXIT_USAGE;
  }
  const all = targets[0] === '--all';
  const files = all ? LESSON_CATALOG.map((e) => builtinPath(e.file)) : [lessonEntry(targets[0]) ? builtinPath(lessonEntry(targets[0])!.file) : targets[0]];
  let malformed = false;
  const reports: LessonReport[] = [];
  for (const f of files) {
    const l = load(f, io);
    if (!l.ok) {
      io.stderr(`${l.error}\n`);
      malformed = true;
      continue;
    }
    const r = checkLesson(l.lesson);
    reports.push(r);
    if (json) continue;
    if (all) io.stdout(`lesson ${r.id}: ${r.steps.length} steps\n`);
    for (const line of reportLines(r)) io.stdout(line + '\n');
  }
  if (json) io.stdout(JSON.stringify({ ok: !malformed && reports.every((r) => r.ok), lessons: reports }, null, 2) + '\n');
  if (malformed) return EXIT_USAGE;
  return reports.every((r) => r.ok) ? EXIT_OK : EXIT_FAIL;
}

export function lessonCommand(args: readonly string[], io: CliIo): number {
  const [sub, ...rest] = args;
  if (sub === 'list') return listCommand(rest, io);
  if (sub === 'check') return checkCommand(rest, io);
  io.stderr(`lesson: ${LESSON_USAGE}\n`);
  return EXIT_USAGE;
}
