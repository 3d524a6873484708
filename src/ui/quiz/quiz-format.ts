/** How a quiz reads in the URL (`?quiz=SEED&kind=K&level=L`) and how an answer reads on a choice button. */
import type { Answer, QuizKind, QuizLevel, QuizOptions } from '../../worker/api.ts';

export const QUIZ_KINDS: readonly QuizKind[] = ['sender-used-len', 'receiver-entry', 'kill', 'wait-irq', 'bind-ret'];
export const QUIZ_LEVELS: readonly QuizLevel[] = ['easy', 'medium', 'hard'];

/** `?quiz=SEED[&kind=K][&level=L]`, or null; an unknown kind or level is ignored (any). */
export function quizFromUrl(search: string): { seed: number; opts: QuizOptions } | null {
  const p = new URLSearchParams(search);
  const s = p.get('quiz');
  if (s === null || !/^\d{1,10}$/.test(s) || Number(s) > 0xffffffff) return null;
  const kind = p.get('kind');
  const level = p.get('level');
  return {
    seed: Number(s),
    opts: {
      ...(QUIZ_KINDS.includes(kind as QuizKind) ? { kind: kind as QuizKind } : {}),
      ...(QUIZ_LEVELS.includes(level as QuizLevel) ? { level: level as QuizLevel } : {}),
    },
  };
}

/** The query string of question `seed` (kind and level only when chosen). */
export function quizSearch(seed: number, opts: QuizOptions): string {
  const p = new URLSearchParams({ quiz: String(seed) });
  if (opts.kind) p.set('kind', opts.kind);
  if (opts.level) p.set('level', opts.level);
  return `?${p.toString()}`;
}

/** A choice as the student reads it: the step's field, in words where the raw value would puzzle. */
export function answerLabel(a: Answer, field: string): string {
  if (a === null) return field === 'killed' ? 'not killed' : 'no irq: the wait never returns';
  if (Array.isArray(a)) return `[${a.join(', ')}]`;
  if (typeof a === 'string') return `killed: “${a}”`;
  if (field === 'irq') return `irq ${a}`;
  return String(a);
}
