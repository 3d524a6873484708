/**
 * Where a lesson comes from, told without opening one: the page's
 * `?lesson=` and a file shaped like a lesson. Apart from lesson-actions.ts,
 * which (with the lesson panel) is fetched only when a lesson opens
 * (issue #15: the first load carries only the first screen).
 */

/** `?lesson=ID` and `?step=K` of the page's URL (K defaults to 0). */
export function lessonFromUrl(search: string): { id: string; step: number } | null {
  const q = new URLSearchParams(search);
  const id = q.get('lesson');
  if (id === null || id === '') return null;
  const s = Number(q.get('step') ?? '0');
  return { id, step: Number.isInteger(s) && s >= 0 ? s : 0 };
}

/** A JSON value shaped like a lesson (a `steps` list and a `start`): open… and a drop open it as one. */
export function isLessonShaped(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const o = data as Record<string, unknown>;
  return Array.isArray(o.steps) && typeof o.start === 'object' && o.start !== null;
}
