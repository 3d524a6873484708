/**
 * "What does the sender's used_len read after its SEND_DMA?" (issue #14).
 * dma_transfer() writes the count it copied into the sender's used_len
 * (spec §2.4 step 3d, §7.11): the smaller of what was offered and what the
 * receiver's first free entry holds, 0 when nothing was copied.
 */
import { PAGE_SIZE } from '../abi/constants.ts';
import type { Rng } from './prng.ts';
import type { Draft, QuizLevel, RunFacts } from './quiz-types.ts';
import {
  ARRAY_AT, BUFFERS_AT, PAYLOAD_AT, SEND_AT, SHARED_PAGE, Script, callWindow, entryAt, entryIndex, ev, hcallEvent, hex,
  liveLens, payload, scenarioOf, sectionsFrom, sum, usedLenAt,
} from './quiz-kit.ts';

type Case = 'fits' | 'truncate' | 'multi' | 'skip-used' | 'full' | 'no-binding' | 'zero-gap' | 'ping' | 'bad-receiver';
export const CASES: Record<QuizLevel, readonly Case[]> = {
  easy: ['fits', 'truncate'],
  medium: ['multi', 'skip-used', 'full', 'no-binding'],
  hard: ['zero-gap', 'ping', 'bad-receiver'],
};

/** One receiver entry: its section lens, where its buffer starts, and a used_len it already holds (0: free). */
interface Entry {
  lens: number[];
  at: number;
  used: number;
}

export function senderUsedLen(rng: Rng, level: QuizLevel): Draft {
  const c = rng.pick(CASES[level]);
  const key = SHARED_PAGE + 4 * rng.int(0, 15);
  const irq = rng.int(1, 15);
  let sendKey = key;
  let sendLens = [rng.int(8, 96)];
  const entries: Entry[] = [];
  const buf = (k: number) => BUFFERS_AT + k * 0x200;
  switch (c) {
    case 'fits':
      entries.push({ lens: [sendLens[0] + rng.int(4, 64)], at: buf(0), used: 0 });
      break;
    case 'truncate':
      entries.push({ lens: [rng.int(4, sendLens[0] - 4)], at: buf(0), used: 0 });
      break;
    case 'multi':
      sendLens = Array.from({ length: rng.int(2, 3) }, () => rng.int(8, 48));
      entries.push({ lens: Array.from({ length: rng.int(2, 3) }, () => rng.int(8, 48)), at: buf(0), used: 0 });
      break;
    case 'skip-used':
      entries.push({ lens: [rng.int(48, 128)], at: buf(0), used: rng.int(1, 40) });
      entries.push({ lens: [rng.int(4, 40)], at: buf(1), used: 0 });
      break;
    case 'full':
      for (let k = 0; k < rng.int(1, 3); k++) entries.push({ lens: [rng.int(16, 128)], at: buf(k), used: rng.int(1, 64) });
      break;
    case 'no-binding':
      entries.push({ lens: [rng.int(16, 128)], at: buf(0), used: 0 });
      sendKey = key + 4 * rng.int(1, 8);
      break;
    case 'zero-gap': {
      const a = rng.int(4, sendLens[0] - 4);
      entries.push({ lens: [a, 0, rng.int(32, 128)], at: buf(0), used: 0 });
      break;
    }
    case 'ping':
      sendLens = [0, rng.int(8, 64)];
      entries.push({ lens: [rng.int(16, 128)], at: buf(0), used: 0 });
      break;
    case 'bad-receiver': {
      // A section that starts near the end of the page and runs over it (check_dma_list(): "We could do over a page, but is it worth it?").
      const len = rng.int(24, 96);
      entries.push({ lens: [len], at: BUFFERS_AT + PAGE_SIZE - rng.int(4, len - 4), used: 0 });
      break;
    }
  }

  const receiver = new Script();
  entries.forEach((e, k) => receiver.dma(entryAt(k), sectionsFrom(e.at, e.lens), e.used));
  receiver.bind(key, ARRAY_AT, entries.length, irq);
  receiver.wait();

  const sender = new Script();
  sender.text(PAYLOAD_AT, payload(Math.max(1, sum(sendLens))));
  sender.dma(SEND_AT, sectionsFrom(PAYLOAD_AT, sendLens), 0);
  sender.send(sendKey, SEND_AT);
  const step = sender.readU32(usedLenAt(SEND_AT));

  const describe = (e: Entry, k: number) =>
    `entry ${k} (used_len ${e.used}${e.used ? ', still in use' : ', free'}; sections ${e.lens.map((l, i) => `${l}@${hex(e.at + sum(e.lens.slice(0, i)))}`).join(' ')})`;
  const question =
    `Guest 0 binds an array of ${entries.length} struct lguest_dma at ${hex(ARRAY_AT)} on key ${hex(key)} with irq ${irq}: ` +
    `${entries.map(describe).join('; ')}. Then it waits. ` +
    `Guest 1 writes one struct lguest_dma at ${hex(SEND_AT)} with sections ${sendLens.map((l, i) => `len[${i}] = ${l}`).join(', ')} ` +
    `and calls SEND_DMA(${hex(sendKey)}, ${hex(SEND_AT)}). What does guest 1 read from its used_len afterwards (step ${step})?`;

  const offered = sum(liveLens(sendLens));
  const firstFree = entries.find((e) => e.used === 0) ?? entries[0];
  const room = sum(liveLens(firstFree.lens));
  const distractors = [[offered], [room], [sum(sendLens)], [sum(firstFree.lens)], [0], [sum(liveLens(entries[0].lens))], [Math.min(offered, room)], [offered + room], [sendLens[0]]];

  const explain = (run: RunFacts) => {
    const at = hcallEvent(run.events, 1, 'SEND_DMA');
    const win = callWindow(run.events, at);
    const dma = win.find((e) => e.kind === 'dma');
    const full = win.filter((e) => e.kind === 'dma_full');
    const kill = win.find((e) => e.kind === 'kill');
    const n = (run.answer as number[])[0];
    const parts: string[] = [];
    const decisive: number[] = [];
    if (kill) {
      parts.push(
        `check_dma_list() looks at the receiver's entry first: a section may not cross a 4096-byte page, so guest ${kill.guest} is killed with "${kill.reason}" (${ev(kill)}).` +
          ` do_dma() returns 0 and dma_transfer() still writes that 0 into the sender's used_len, so it reads ${n} (spec §2.4 step 3a, §7.15).`,
      );
      decisive.push(Number(kill.i));
    } else if (dma) {
      const k = entryIndex(dma.dst);
      parts.push(`dma_transfer() scanned guest 0's array from next_dma for the first entry with used_len 0 and took entry ${k} (${ev(dma)}).`);
      if (entries[k].used === 0 && entries.some((e, j) => j < k && e.used !== 0)) parts.push(`Entries before it were still in use, so they were skipped (spec §7.6, §7.7).`);
      if (c === 'ping') parts.push(`The sender's len[0] is 0, so its section list is empty: copy_data() copies nothing, ${n} bytes, and the entry stays free — an empty "ping" that still raises irq ${irq} (spec §7.10, §7.12).`);
      else {
        const zero = entries[k].lens.indexOf(0);
        if (zero >= 0) parts.push(`A section list ends at its first zero len: only the receiver's first ${zero} section(s) count, ${sum(liveLens(entries[k].lens))} bytes (spec §7.10).`);
        parts.push(
          `copy_data() walks both section lists and stops when either runs out: min(${offered} bytes offered, ${sum(liveLens(entries[k].lens))} bytes of room) = ${n}; ` +
            `the same count goes into the sender's used_len and the receiver entry's (io.c dma_transfer(), spec §2.4 step 3c–3d, §7.9, §7.11).`,
        );
      }
      decisive.push(Number(dma.i));
    } else if (full.length > 0) {
      parts.push(
        `Every entry of guest 0's array had a non-zero used_len: dma_transfer() found no free buffer (${full.map(ev).join(', ')}); send_dma() tried once more and gave up. ` +
          `Nothing was copied, so used_len keeps the ${n} the sender wrote (spec §2.4 step 4, §7.14); the receiver still gets irq ${irq} (§7.13).`,
      );
      decisive.push(...full.map((e) => Number(e.i)));
    } else {
      parts.push(
        `No other guest bound key ${hex(sendKey)} (guest 0 bound ${hex(key)}), so send_dma() found no binding in the hash: no copy, no interrupt, and used_len keeps the ${n} the sender wrote (io.c send_dma(), spec §2.4 step 3, §7.4).`,
      );
      decisive.push(at);
    }
    return { text: parts.join(' '), decisive };
  };

  const scenario = scenarioOf('quiz: sender used_len', 'Generated by `quiz`: guest 0 receives, guest 1 sends once and reads its used_len.', [
    { name: 'receiver', script: receiver },
    { name: 'sender', script: sender },
  ]);
  return { scenario, ask: { guest: 1, step, field: 'values' }, question, distractors, explain, variant: c };
}
