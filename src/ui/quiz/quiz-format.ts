/** How a quiz answer reads on a choice button: the step's field, in words where the raw value would puzzle. */
import type { Answer } from '../../worker/api.ts';

export function answerLabel(a: Answer, field: string): string {
  if (a === null) return field === 'killed' ? 'not killed' : 'no irq: the wait never returns';
  if (Array.isArray(a)) return `[${a.join(', ')}]`;
  if (typeof a === 'string') return `killed: “${a}”`;
  if (field === 'irq') return `irq ${a}`;
  return String(a);
}
