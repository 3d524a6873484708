/**
 * "Which irq does this `wait` return?" (issue #14). dma_transfer() sets the
 * binding's irq pending in the receiver (even when it was full, spec §7.13);
 * before each guest entry the Host delivers the lowest pending, unblocked
 * irq, one per entry (interrupts_and_traps.c maybe_do_interrupt(), spec §6,
 * §7.29). A wait that no interrupt ends reads irq null.
 */
import { PAGE_SIZE } from '../abi/constants.ts';
import type { Rng } from './prng.ts';
import type { Answer, Draft, QuizLevel, RunFacts } from './quiz-types.ts';
import { BUFFERS_AT, DATA, PAYLOAD_AT, SEND_AT, SHARED_PAGE, Script, DMA, entryAt, ev, hex, payload, scenarioOf } from './quiz-kit.ts';

type Case = 'one-of-two' | 'lowest-first' | 'full-still-raises' | 'ping' | 'newest-binding' | 'blocked' | 'aborted';
export const CASES: Record<QuizLevel, readonly Case[]> = {
  easy: ['one-of-two'],
  medium: ['lowest-first', 'full-still-raises', 'ping'],
  hard: ['newest-binding', 'blocked', 'aborted'],
};

interface Binding {
  key: number;
  irq: number;
  /** used_len already in its one entry (0: free). */
  used: number;
}

export function waitIrq(rng: Rng, level: QuizLevel): Draft {
  const c = rng.pick(CASES[level]);
  const keyWords = rng.distinct(3, 0, 15).map((w) => SHARED_PAGE + 4 * w);
  const irqs = rng.distinct(3, 1, 31);
  const bindings: Binding[] = [];
  /** Indices into `bindings` the sender sends to, in order. */
  let sends: number[] = [];
  let waits = 1;
  let ask = 0;
  let blocked = 0;
  let sendLens = [rng.int(8, 64)];
  let crossing = false;
  switch (c) {
    case 'one-of-two':
      bindings.push({ key: keyWords[0], irq: irqs[0], used: 0 }, { key: keyWords[1], irq: irqs[1], used: 0 });
      sends = [rng.int(0, 1)];
      break;
    case 'lowest-first':
      for (let j = 0; j < 3; j++) bindings.push({ key: keyWords[j], irq: irqs[j], used: 0 });
      sends = rng.shuffle([0, 1, 2]);
      waits = 3;
      ask = rng.int(0, 2);
      break;
    case 'full-still-raises':
      bindings.push({ key: keyWords[0], irq: irqs[0], used: rng.int(1, 64) }, { key: keyWords[1], irq: irqs[1], used: 0 });
      sends = [0];
      break;
    case 'ping':
      bindings.push({ key: keyWords[0], irq: irqs[0], used: 0 }, { key: keyWords[1], irq: irqs[1], used: 0 });
      sends = [rng.int(0, 1)];
      sendLens = [0];
      break;
    case 'newest-binding':
      // The same key bound twice: the newer binding sits at the head of its hash bucket and is found first.
      bindings.push({ key: keyWords[0], irq: irqs[0], used: 0 }, { key: keyWords[0], irq: irqs[1], used: 0 });
      sends = [0];
      break;
    case 'blocked': {
      const [lo, hi] = [irqs[0], irqs[1]].sort((a, b) => a - b);
      bindings.push({ key: keyWords[0], irq: lo, used: 0 }, { key: keyWords[1], irq: hi, used: 0 });
      sends = rng.shuffle([0, 1]);
      blocked = 1 << lo;
      break;
    }
    case 'aborted':
      bindings.push({ key: keyWords[0], irq: irqs[0], used: 0 });
      sends = [0];
      crossing = true;
      break;
  }

  const receiver = new Script();
  if (blocked !== 0) receiver.u32(DATA.fields.blocked_interrupts.offset, blocked);
  bindings.forEach((b, j) => receiver.dma(entryAt(j), [{ addr: BUFFERS_AT + 0x100 * j, len: 64 }], b.used));
  bindings.forEach((b, j) => receiver.bind(b.key, entryAt(j), 1, b.irq));
  const waitSteps = Array.from({ length: waits }, () => receiver.wait());
  const step = waitSteps[ask];

  const sender = new Script();
  sender.text(PAYLOAD_AT, payload(64));
  const at = crossing ? PAYLOAD_AT + PAGE_SIZE - rng.int(4, sendLens[0] - 4) : PAYLOAD_AT;
  sends.forEach((_, j) => sender.dma(SEND_AT + j * DMA.size, [{ addr: at, len: sendLens[0] }]));
  sends.forEach((b, j) => sender.send(bindings[b].key, SEND_AT + j * DMA.size));

  const bindText = bindings.map((b, j) => `key ${hex(b.key)} → irq ${b.irq}${b.used ? ` (its one entry already has used_len ${b.used})` : ''}`).join('; ');
  const sendText = sends.map((b, j) => `SEND_DMA(${hex(bindings[b].key)}, ${hex(SEND_AT + j * DMA.size)})`).join(', then ');
  const question =
    `Guest 0 ${blocked ? `sets bit ${Math.log2(blocked)} of lguest_data.blocked_interrupts, then ` : ''}binds ${bindings.length === 1 ? 'one one-entry array' : `${bindings.length} one-entry arrays, in this order`}: ${bindText}. ` +
    `Then it waits${waits > 1 ? ` ${waits} times` : ''}. Guest 1 calls ${sendText}` +
    (sendLens[0] === 0 ? ' with an empty struct lguest_dma (len[0] = 0)' : crossing ? ` with one ${sendLens[0]}-byte section at ${hex(at)}` : ` with one ${sendLens[0]}-byte section`) +
    `. Which irq does guest 0's ${waits > 1 ? `${['first', 'second', 'third'][ask]} ` : ''}wait (step ${step}) return? (none: no interrupt ends it)`;

  const sorted = [...new Set(bindings.map((b) => b.irq))].sort((a, b) => a - b);
  const distractors: Answer[] = [...rng.shuffle(sorted), null, sorted[0] + 32, rng.int(1, 31)];

  const explain = (run: RunFacts) => {
    const raises = run.events.filter((e) => e.kind === 'irq_raise' && e.guest === 0);
    const delivers = run.events.filter((e) => e.kind === 'irq_deliver' && e.guest === 0);
    const kill = run.events.find((e) => e.kind === 'kill');
    const full = run.events.find((e) => e.kind === 'dma_full');
    const parts: string[] = [
      `Each binding carries its own irq: dma_transfer() sets the irq of the binding it delivered to pending in guest 0 and wakes it (io.c dma_transfer(), spec §2.4 step 4, §6).`,
    ];
    if (c === 'newest-binding') parts.push(`Both bindings match key ${hex(bindings[0].key)}; a new binding goes to the head of its hash bucket, so send_dma() finds the newer one (irq ${bindings[1].irq}) first and delivers to it alone (io.c bind_dma() list_add(), spec §2.2, §7.3).`);
    if (full) parts.push(`The entry was full: dma_transfer() copied nothing (${ev(full)}) but still raised the irq "to give them a chance to wake up and refill" (io.c dma_transfer(), spec §2.4 step 4, §7.13).`);
    if (sendLens[0] === 0) parts.push(`An empty lguest_dma copies 0 bytes and leaves the entry free, yet still raises the irq — a "ping" (spec §7.12).`);
    if (kill) parts.push(`The sender's section crosses a page, so check_dma_list() kills it ("${kill.reason}", ${ev(kill)}); the copy is 0 bytes from a non-empty source, so dma_transfer() aborts before raising any irq (spec §2.4 step 3e) and nothing wakes guest 0.`);
    if (raises.length) parts.push(`Raised for guest 0: irq ${raises.map((e) => `${e.irq} (${ev(e)})`).join(', ')}.`);
    if (blocked) parts.push(`Irq ${Math.log2(blocked)} is blocked in lguest_data.blocked_interrupts, so maybe_do_interrupt() passes it over (spec §6).`);
    if (raises.length > 1) parts.push('Before each guest entry the Host delivers only the lowest pending, unblocked irq (interrupts_and_traps.c maybe_do_interrupt(), spec §6, §7.29).');
    const d = delivers[ask];
    if (d) parts.push(`Wait ${ask + 1} ends with irq ${d.irq} (${ev(d)}).`);
    else parts.push('No irq is delivered, so the wait never returns: irq null.');
    const decisive = [...raises, ...(d ? [d] : []), ...(kill ? [kill] : []), ...(full ? [full] : [])].map((e) => Number(e.i));
    return { text: parts.join(' '), decisive };
  };

  return {
    scenario: scenarioOf('quiz: wait irq', 'Generated by `quiz`: which interrupt ends guest 0\'s wait.', [
      { name: 'receiver', script: receiver },
      { name: 'sender', script: sender },
    ]),
    ask: { guest: 0, step, field: 'irq' },
    question,
    distractors,
    explain,
    variant: c,
  };
}
