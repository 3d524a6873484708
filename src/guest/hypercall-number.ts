/**
 * Hypercall names as a script writes them ("BIND_DMA" or "LHCALL_BIND_DMA")
 * to their numbers. Apart from the step schema (script-step.ts) so that a
 * ScriptGuest, which only runs steps already validated, needs no zod
 * (issue #15: the worker's first load).
 */
import { HYPERCALL_NAMES } from '../abi/constants.ts';

/** Name without the LHCALL_ prefix → number. */
export const HYPERCALL_BY_NAME: ReadonlyMap<string, number> = new Map(Object.entries(HYPERCALL_NAMES).map(([n, name]) => [name, Number(n)]));

/** "BIND_DMA", "LHCALL_BIND_DMA" or a number → the hypercall number. */
export function hypercallNumber(call: string | number): number {
  if (typeof call === 'number') return call;
  const n = HYPERCALL_BY_NAME.get(call.replace(/^LHCALL_/, ''));
  if (n === undefined) throw new Error(`unknown hypercall ${call}`);
  return n;
}
