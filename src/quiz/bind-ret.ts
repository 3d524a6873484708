/**
 * "What does this BIND_DMA return?" (issue #14). bind_dma() returns 1 when it
 * filled one of the guest's 32 slots (or, with irq 0, removed a binding
 * matching both key and array) and 0 otherwise, without killing
 * (io.c bind_dma(), unbind_dma(); spec §2.3, §7.19–§7.21).
 */
import { LGUEST_IRQS, LGUEST_MAX_DMA } from '../abi/constants.ts';
import type { Rng } from './prng.ts';
import type { Draft, QuizLevel, RunFacts } from './quiz-types.ts';
import { ARRAY_AT, SHARED_PAGE, Script, entryAt, ev, hcallEvent, hex, scenarioOf } from './quiz-kit.ts';

type Case = 'ok' | 'irq-too-high' | 'unbind' | 'unbind-other-array' | 'unbind-never' | 'table-full' | 'full-then-free' | 'duplicate' | 'unbind-twice';
export const CASES: Record<QuizLevel, readonly Case[]> = {
  easy: ['ok', 'irq-too-high'],
  medium: ['unbind', 'unbind-other-array', 'unbind-never'],
  hard: ['table-full', 'full-then-free', 'duplicate', 'unbind-twice'],
};

const RULE: Record<Case, string> = {
  ok: 'bind_dma() takes the first of the guest\'s 32 slots whose interrupt is 0, fills it and returns 1 (io.c bind_dma(), spec §2.3 step 5, §7.19).',
  'irq-too-high': `The irq is the low byte of the third argument; bind_dma() refuses irq ≥ LGUEST_IRQS (${LGUEST_IRQS}) with 0 before anything else — no kill (io.c bind_dma(), spec §2.3 step 2, §7.19).`,
  unbind: 'Irq 0 means unbind: unbind_dma() looks for this guest\'s binding whose key and array address both match, frees it and returns 1 (io.c unbind_dma(), spec §2.3 step 4, §7.20).',
  'unbind-other-array': 'Irq 0 means unbind, but unbind_dma() needs both the key and the array address to match; no binding has this array on this key, so it returns 0 (io.c unbind_dma(), spec §2.3 step 4, §7.20).',
  'unbind-never': 'Irq 0 means unbind; nothing was ever bound on this key, so unbind_dma() finds nothing and returns 0 (io.c unbind_dma(), spec §2.3 step 4, §7.20).',
  'table-full': `A guest has ${LGUEST_MAX_DMA} binding slots; all are taken, so bind_dma() finds no slot with interrupt 0 and returns 0 — no kill (io.c bind_dma(), spec §2.3 step 5, §7.19).`,
  'full-then-free': `All ${LGUEST_MAX_DMA} slots were taken, but the unbind before it freed one (interrupt := 0), so this bind finds that slot and returns 1 (io.c bind_dma(), unlink_dma(), spec §2.3, §7.19–§7.20).`,
  duplicate: 'Binding the same array on the same key again is allowed: nothing is checked but the irq, the key and a free slot, so it returns 1 (io.c bind_dma(), spec §2.3 "Duplicate bindings are allowed").',
  'unbind-twice': 'Each unbind removes one binding matching key and array and returns 1; once none is left it returns 0 (io.c unbind_dma(), spec §2.3 step 4, §7.20).',
};

export function bindRet(rng: Rng, level: QuizLevel): Draft {
  const c = rng.pick(CASES[level]);
  const word = rng.int(0, 1000);
  const key = SHARED_PAGE + 4 * word;
  const irq = rng.int(1, LGUEST_IRQS - 1);
  const num = rng.int(1, 4);
  const s = new Script();
  const lines: string[] = [];
  const bind = (k: number, array: number, n: number, i: number): number => {
    lines.push(`BIND_DMA(${hex(k)}, ${hex(array)}, (${n} << 8) | ${i})`);
    return s.bind(k, array, n, i);
  };
  let step = -1;
  switch (c) {
    case 'ok':
      step = bind(key, ARRAY_AT, num, irq);
      break;
    case 'irq-too-high':
      step = bind(key, ARRAY_AT, num, rng.int(LGUEST_IRQS, 255));
      break;
    case 'unbind':
      bind(key, ARRAY_AT, num, irq);
      step = bind(key, ARRAY_AT, rng.int(0, 4), 0);
      break;
    case 'unbind-other-array':
      bind(key, ARRAY_AT, num, irq);
      step = bind(key, entryAt(rng.int(1, 8)), num, 0);
      break;
    case 'unbind-never':
      bind(key, ARRAY_AT, num, irq);
      step = bind(key + 4 * rng.int(1, 8), ARRAY_AT, num, 0);
      break;
    case 'table-full':
    case 'full-then-free': {
      const keys = Array.from({ length: LGUEST_MAX_DMA }, (_, j) => SHARED_PAGE + 4 * ((word + j) % 1024));
      for (const k of keys) s.bind(k, ARRAY_AT, 1, irq);
      lines.push(`${LGUEST_MAX_DMA} × BIND_DMA(${hex(keys[0])} … ${hex(keys[keys.length - 1])}, ${hex(ARRAY_AT)}, (1 << 8) | ${irq}), one key per 4-byte word`);
      if (c === 'full-then-free') bind(keys[rng.int(0, keys.length - 1)], ARRAY_AT, 1, 0);
      step = bind(SHARED_PAGE + 4 * ((word + LGUEST_MAX_DMA) % 1024), ARRAY_AT, 1, rng.int(1, LGUEST_IRQS - 1));
      break;
    }
    case 'duplicate':
      bind(key, ARRAY_AT, num, irq);
      step = bind(key, ARRAY_AT, num, rng.int(1, LGUEST_IRQS - 1));
      break;
    case 'unbind-twice': {
      bind(key, ARRAY_AT, num, irq);
      bind(key, ARRAY_AT, num, irq);
      const n = rng.int(2, 3);
      for (let j = 0; j < n; j++) step = bind(key, ARRAY_AT, 0, 0);
      break;
    }
  }
  const question = `Guest 0 makes these hypercalls in order: ${lines.join('; ')}. What does the last BIND_DMA (step ${step}) return in %eax?`;

  const explain = (run: RunFacts) => {
    // The asked call is the last BIND_DMA of the script.
    let n = 0;
    for (const st of s.steps) if (st.op === 'hcall' && st.call === 'BIND_DMA') n++;
    const at = hcallEvent(run.events, 0, 'BIND_DMA', n - 1);
    return { text: `${RULE[c]} It returns ${String(run.answer)} (${ev(run.events[at])}).`, decisive: [at] };
  };

  return {
    scenario: scenarioOf('quiz: bind ret', 'Generated by `quiz`: what BIND_DMA returns.', [{ name: 'binder', script: s }]),
    ask: { guest: 0, step, field: 'ret' },
    question,
    distractors: [1, 0],
    explain,
    variant: c,
  };
}
