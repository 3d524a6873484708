/**
 * Loading a lesson by id for the page, DOM-free: the caller supplies how to
 * read a file of public/lessons/ (the page: `fetch(BASE_URL + 'lessons/' +
 * file)`), so a lesson is fetched only when it is opened.
 */
import type { Result } from '../scenario/scenario.ts';
import { lessonEntry, LESSON_CATALOG } from './catalog.ts';
import { parseLesson, type Lesson, type LessonError } from './schema.ts';

export async function loadLesson(id: string, readText: (file: string) => Promise<string>): Promise<Result<Lesson, LessonError>> {
  const e = lessonEntry(id);
  if (!e) return { ok: false, error: { code: 'invalid', message: `no lesson "${id}"; use one of ${LESSON_CATALOG.map((x) => x.id).join(', ')}` } };
  let text: string;
  try {
    text = await readText(e.file);
  } catch (err) {
    return { ok: false, error: { code: 'bad-json', message: `${e.file}: cannot load: ${(err as Error).message}` } };
  }
  const r = parseLesson(text);
  return r.ok ? r : { ok: false, error: { ...r.error, message: `${e.file}: ${r.error.message}` } };
}
