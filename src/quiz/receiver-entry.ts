/**
 * "Which entry of the receiver's array gets the data?" (issue #14).
 * dma_transfer() scans from next_dma, wrapping once, for the first entry
 * whose used_len is 0, and afterwards moves next_dma on by exactly one,
 * whichever entry it used (spec §2.4 step 2 and 3f, §7.6–7.8, §8).
 * Each entry of the receiver has one 4-byte buffer, laid side by side, so one
 * read of all of them shows where each message landed.
 */
import type { Rng } from './prng.ts';
import type { Answer, Draft, QuizLevel, RunFacts } from './quiz-types.ts';
import { ARRAY_AT, BUFFERS_AT, PAYLOAD_AT, SEND_AT, SHARED_PAGE, Script, entryAt, entryIndex, ev, hex, scenarioOf, usedLenAt, DMA } from './quiz-kit.ts';

type Case = 'skip-used' | 'two-sends' | 'consume' | 'wrap';
export const CASES: Record<QuizLevel, readonly Case[]> = {
  easy: ['skip-used'],
  medium: ['two-sends', 'consume'],
  hard: ['wrap'],
};

const WORD = 4;
const marker = (j: number): number => 111 * (j + 1);

/** A wrong (or right) idea of how the receiver's array is filled, for distractors. */
type Policy = (used: boolean[], next: number) => { entry: number; next: number } | null;
const POLICIES: readonly Policy[] = [
  // first free entry counting from 0 (what LHREQ_GETDMA does, not SEND_DMA)
  (u, n) => { const e = u.indexOf(false); return e < 0 ? null : { entry: e, next: n }; },
  // entry next_dma whether or not it is free
  (u, n) => ({ entry: n % u.length, next: n + 1 }),
  // next_dma jumps past the entry used
  (u, n) => { for (let i = 0; i < u.length; i++) { const e = (n + i) % u.length; if (!u[e]) return { entry: e, next: e + 1 }; } return null; },
  // always the last entry
  (u, n) => ({ entry: u.length - 1, next: n }),
  // the real rule (kept so the list of ideas is complete; the generator drops it if it equals the answer)
  (u, n) => { for (let i = 0; i < u.length; i++) { const e = (n + i) % u.length; if (!u[e]) return { entry: e, next: n + 1 }; } return null; },
];

function placeAll(policy: Policy, n: number, preUsed: readonly number[], sends: number, consumeAfterFirst: number | null): number[] {
  const used = Array.from({ length: n }, (_, k) => preUsed.includes(k));
  const values = new Array<number>(n).fill(0);
  let next = 0;
  for (let j = 0; j < sends; j++) {
    const r = policy(used, next);
    if (r) {
      values[r.entry] = marker(j);
      used[r.entry] = true;
      next = r.next;
    }
    if (j === 0 && consumeAfterFirst !== null) used[consumeAfterFirst] = false;
  }
  return values;
}

export function receiverEntry(rng: Rng, level: QuizLevel): Draft {
  const c = rng.pick(CASES[level]);
  const key = SHARED_PAGE + 4 * rng.int(0, 15);
  const irq = rng.int(1, 15);
  let n = 3;
  let preUsed: number[] = [];
  let sends = 1;
  let consume: number | null = null;
  switch (c) {
    case 'skip-used':
      n = rng.int(3, 4);
      preUsed = rng.distinct(rng.int(1, n - 1), 0, n - 2).sort();
      break;
    case 'two-sends':
      n = rng.int(3, 4);
      sends = 2;
      preUsed = rng.chance(0.5) ? [rng.int(0, n - 1)] : [];
      break;
    case 'consume':
      n = rng.int(2, 4);
      sends = 2;
      consume = 0;
      break;
    case 'wrap':
      sends = rng.int(2, 3);
      n = rng.int(sends + 1, 5);
      preUsed = rng.distinct(rng.int(1, n - sends), 0, n - 1).sort();
      consume = rng.chance(0.5) ? rng.int(0, n - 1) : null;
      break;
  }

  const receiver = new Script();
  for (let k = 0; k < n; k++) receiver.dma(entryAt(k), [{ addr: BUFFERS_AT + WORD * k, len: WORD }], preUsed.includes(k) ? WORD : 0);
  receiver.bind(key, ARRAY_AT, n, irq);
  receiver.wait();
  if (consume !== null) {
    receiver.u32(usedLenAt(entryAt(consume)), 0);
    receiver.wait();
  }
  const step = receiver.readU32(BUFFERS_AT, n);

  const sender = new Script();
  for (let j = 0; j < sends; j++) {
    sender.u32(PAYLOAD_AT + WORD * j, marker(j));
    sender.dma(SEND_AT + j * DMA.size, [{ addr: PAYLOAD_AT + WORD * j, len: WORD }]);
  }
  for (let j = 0; j < sends; j++) {
    sender.send(key, SEND_AT + j * DMA.size);
    // Let the receiver run between the sends when it is to free an entry (the scheduler runs the next guest after a yield).
    if (j === 0 && consume !== null) sender.yield();
  }

  const markers = Array.from({ length: sends }, (_, j) => marker(j)).join(', ');
  const question =
    `Guest 0 binds an array of ${n} struct lguest_dma at ${hex(ARRAY_AT)} on key ${hex(key)} (irq ${irq}); entry k has one 4-byte buffer at ${hex(BUFFERS_AT)} + 4·k. ` +
    (preUsed.length ? `Entr${preUsed.length > 1 ? 'ies' : 'y'} ${preUsed.join(', ')} already ha${preUsed.length > 1 ? 've' : 's'} used_len ≠ 0. ` : 'Every entry starts with used_len 0. ') +
    `Guest 1 sends ${sends === 1 ? "one 4-byte message holding" : `${["", "", "two", "three"][sends]} 4-byte messages holding, in order,`} ${markers}` +
    (consume !== null ? `; after the first one guest 0 wakes and sets entry ${consume}'s used_len back to 0 before the next arrives` : '') +
    `. Then guest 0 reads its ${n} buffers (step ${step}). What does it read?`;

  const distractors: Answer[] = POLICIES.map((p) => placeAll(p, n, preUsed, sends, consume));
  // Fill up with other placements of the first message, so there are always enough choices.
  for (let k = 0; k < n; k++) distractors.push(Array.from({ length: n }, (_, e) => (e === k ? marker(0) : 0)));

  const explain = (run: RunFacts) => {
    const dmas = run.events.filter((e) => e.guest === 1 && (e.kind === 'dma' || e.kind === 'dma_full'));
    const parts = [
      `dma_transfer() starts its scan at the binding's next_dma (0 after BIND_DMA), wraps around the ${n} entries once, and takes the first entry whose used_len is 0; after a copy next_dma grows by exactly one, whichever entry was used (io.c dma_transfer(), spec §2.4 step 2 and 3f, §7.6–§7.8).`,
    ];
    let next = 0;
    dmas.forEach((e, j) => {
      if (e.kind === 'dma') {
        const k = entryIndex(e.dst);
        parts.push(`Message ${marker(j)}: the scan starts at entry ${next % n} and ${k === next % n ? 'it is free' : `finds entry ${k} first free`}, so ${marker(j)} lands in entry ${k} (${ev(e)}); next_dma becomes ${next + 1}.`);
        next++;
      } else parts.push(`Message ${marker(j)}: every entry is in use, nothing is copied (${ev(e)}).`);
      if (j === 0 && consume !== null) parts.push(`Guest 0 then frees entry ${consume}; next_dma stays ${next}.`);
    });
    parts.push(`So the buffers read ${JSON.stringify(run.answer)}.`);
    return { text: parts.join(' '), decisive: dmas.map((e) => Number(e.i)) };
  };

  const scenario = scenarioOf('quiz: receiver entry', 'Generated by `quiz`: guest 0 binds one-word buffers, guest 1 sends numbered messages.', [
    { name: 'receiver', script: receiver },
    { name: 'sender', script: sender },
  ]);
  return { scenario, ask: { guest: 0, step, field: 'values' }, question, distractors, explain, variant: c };
}
