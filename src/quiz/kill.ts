/**
 * "Is the guest killed, and with which reason?" (issue #14). lguest kills a
 * guest that breaks the rules instead of returning an error (spec §1.2,
 * §2.1–§2.4, §7.1, §7.15, §7.16); kill_guest() keeps the first reason.
 */
import { LGUEST_IRQS, PAGE_SIZE } from '../abi/constants.ts';
import type { Rng } from './prng.ts';
import type { Answer, Draft, QuizLevel, RunFacts } from './quiz-types.ts';
import { ARRAY_AT, BUFFERS_AT, GUEST_MEMORY, PAYLOAD_AT, SEND_AT, SHARED_PAGE, Script, ev, hcallEvent, hex, payload, scenarioOf, type GuestPlan } from './quiz-kit.ts';

type Case =
  | 'bind-unaligned' | 'send-unaligned' | 'bind-ok'
  | 'sender-crosses' | 'receiver-crosses' | 'irq-first' | 'key-outside'
  | 'both-bad' | 'array-outside' | 'launcher-unchecked' | 'too-long';
export const CASES: Record<QuizLevel, readonly Case[]> = {
  easy: ['bind-unaligned', 'send-unaligned', 'bind-ok'],
  medium: ['sender-crosses', 'receiver-crosses', 'irq-first', 'key-outside'],
  hard: ['both-bad', 'array-outside', 'launcher-unchecked', 'too-long'],
};

/** Why each case ends as it does: the rule, with its spec section and v2.6.23 function. */
const RULE: Record<Case, string> = {
  'bind-unaligned': 'A key must be 4-byte aligned: the futex lookup fails and bind_dma() kills the guest with "bad dma key %#lx" (io.c bind_dma(), spec §2.2, §7.1).',
  'send-unaligned': 'A key must be 4-byte aligned: the futex lookup fails and send_dma() kills the guest with "bad sending DMA key" (io.c send_dma(), spec §2.2, §7.1).',
  'bind-ok': 'The key is aligned and inside the guest\'s memory, and nothing about the array is checked at bind time, so BIND_DMA simply succeeds (io.c bind_dma(), spec §2.3, §7.21).',
  'sender-crosses': 'check_dma_list() runs on the receiver\'s entry, then on the sender\'s: a section may not cross a 4096-byte page, so the owner of the bad section — the sender — is killed with "bad DMA entry: %u@%#lx" (io.c check_dma_list(), spec §2.4 step 3a, §7.15).',
  'receiver-crosses': 'check_dma_list() checks the receiver\'s chosen entry first: its section crosses a 4096-byte page, so the receiver — not the sender — is killed with "bad DMA entry: %u@%#lx" (io.c check_dma_list(), spec §2.4 step 3a, §7.15).',
  'irq-first': `bind_dma() checks the irq before it looks at the key: irq ≥ LGUEST_IRQS (${LGUEST_IRQS}) returns 0 at once, so the bad key is never examined and nobody is killed (io.c bind_dma(), spec §2.3 step 2, §7.19).`,
  'key-outside': 'A key must lie inside the guest\'s mapped memory: the futex lookup fails and bind_dma() kills with "bad dma key %#lx" (io.c bind_dma(), spec §2.2, §7.1).',
  'both-bad': 'Both entries are bad, but check_dma_list() checks the receiver\'s entry first and do_dma() stops at the first failure: only the receiver is killed (io.c do_dma(), spec §2.4 step 3a, §7.15).',
  'array-outside': 'BIND_DMA never checks the array; the first SEND_DMA reads it with lgread_other(), which fails, so the receiver is killed with "bad address in registered DMA struct" and no interrupt is raised (io.c lgread_other(), spec §2.4 step 2, §7.16).',
  'launcher-unchecked': 'The key is in the sender\'s own (private) memory, so the send goes to its Launcher: the Host never inspects the sections, and the Launcher, knowing no device on that key, only warns (io.c send_dma(), spec §2.4 step 2 and its notes, §7.2).',
  'too-long': 'A section may be at most 4096 bytes: check_dma_list() kills the owner of the receiver entry with "bad DMA entry: %u@%#lx" (io.c check_dma_list(), spec §2.4 step 3a, §7.15).',
};

export function killQuiz(rng: Rng, level: QuizLevel): Draft {
  const c = rng.pick(CASES[level]);
  const key = SHARED_PAGE + 4 * rng.int(0, 15);
  const irq = rng.int(1, 15);
  const sendLen = rng.int(16, 64);
  const okSection = { addr: BUFFERS_AT, len: 128 };
  const crossing = (base: number, len: number) => ({ addr: base + PAGE_SIZE - rng.int(4, len - 4), len });
  let recvSection = okSection;
  let sendSection = { addr: PAYLOAD_AT, len: sendLen };
  let bindKey = key;
  let bindIrq = irq;
  let array = ARRAY_AT;
  let sendKey = key;
  let ask: { guest: number; who: 'bind' | 'send' | 'wait' };
  let pair = true;
  switch (c) {
    case 'bind-unaligned':
      bindKey = key + rng.int(1, 3);
      ask = { guest: 0, who: 'bind' };
      pair = false;
      break;
    case 'bind-ok':
      ask = { guest: 0, who: 'bind' };
      pair = false;
      break;
    case 'send-unaligned':
      sendKey = key + rng.int(1, 3);
      ask = { guest: 1, who: 'send' };
      break;
    case 'sender-crosses':
      sendSection = crossing(PAYLOAD_AT, sendLen);
      ask = { guest: 1, who: 'send' };
      break;
    case 'receiver-crosses':
      recvSection = crossing(BUFFERS_AT, rng.int(24, 128));
      ask = { guest: 0, who: 'wait' };
      break;
    case 'irq-first':
      bindKey = key + rng.int(1, 3);
      bindIrq = rng.int(LGUEST_IRQS, 255);
      ask = { guest: 0, who: 'bind' };
      pair = false;
      break;
    case 'key-outside':
      bindKey = GUEST_MEMORY * rng.int(4, 16);
      ask = { guest: 0, who: 'bind' };
      pair = false;
      break;
    case 'both-bad':
      recvSection = crossing(BUFFERS_AT, rng.int(24, 128));
      sendSection = crossing(PAYLOAD_AT, sendLen);
      ask = rng.chance(0.5) ? { guest: 0, who: 'wait' } : { guest: 1, who: 'send' };
      break;
    case 'array-outside':
      array = GUEST_MEMORY * rng.int(4, 16);
      ask = { guest: 0, who: 'wait' };
      break;
    case 'launcher-unchecked':
      sendKey = PAYLOAD_AT + PAGE_SIZE * rng.int(1, 4);
      sendSection = crossing(PAYLOAD_AT, sendLen);
      ask = { guest: 1, who: 'send' };
      break;
    case 'too-long':
      recvSection = { addr: BUFFERS_AT, len: rng.int(PAGE_SIZE + 1, 3 * PAGE_SIZE) };
      ask = { guest: 0, who: 'wait' };
      break;
  }

  const receiver = new Script();
  if (array === ARRAY_AT) receiver.dma(ARRAY_AT, [recvSection]);
  const bindStep = receiver.bind(bindKey, array, 1, bindIrq);
  const waitStep = pair ? receiver.wait() : -1;
  const sender = new Script();
  sender.text(PAYLOAD_AT, payload(sendLen));
  sender.dma(SEND_AT, [sendSection]);
  const sendStep = sender.send(sendKey, SEND_AT);
  sender.readU32(SEND_AT);
  const guests: GuestPlan[] = [{ name: 'receiver', script: receiver }];
  if (pair) guests.push({ name: 'sender', script: sender });
  const step = ask.who === 'bind' ? bindStep : ask.who === 'wait' ? waitStep : sendStep;

  const bindText = `BIND_DMA(${hex(bindKey)}, ${hex(array)}, (1 << 8) | ${bindIrq})`;
  const recvText = array === ARRAY_AT ? `one struct lguest_dma at ${hex(ARRAY_AT)} with one section of ${recvSection.len} bytes at ${hex(recvSection.addr)}` : `an array at ${hex(array)} (its RAM ends at ${hex(GUEST_MEMORY)})`;
  const question = pair
    ? `Guest 0 binds ${recvText} with ${bindText} and waits. Guest 1 writes a struct lguest_dma at ${hex(SEND_AT)} with one section of ${sendSection.len} bytes at ${hex(sendSection.addr)} and calls SEND_DMA(${hex(sendKey)}, ${hex(SEND_AT)}). ` +
      `Is guest ${ask.guest} killed in its step ${step} (${ask.who === 'wait' ? 'the wait' : 'the SEND_DMA'}), and with which reason?`
    : `Guest 0 (with ${hex(GUEST_MEMORY)} bytes of RAM) calls ${bindText} in step ${step}. Is it killed, and with which reason?`;

  const distractors: Answer[] = [
    null,
    `bad dma key ${hex(bindKey)}`,
    'bad sending DMA key',
    `bad DMA entry: ${sendSection.len}@${hex(sendSection.addr)}`,
    `bad DMA entry: ${recvSection.len}@${hex(recvSection.addr)}`,
    'bad address in registered DMA struct',
    'bad address in sending DMA',
  ];
  const order = pair ? rng.shuffle(distractors.slice(1)) : [distractors[1], 'bad address in registered DMA struct', 'bad sending DMA key'];

  const explain = (run: RunFacts) => {
    const kill = run.events.find((e) => e.kind === 'kill' && e.guest === ask.guest);
    const other = run.events.find((e) => e.kind === 'kill' && e.guest !== ask.guest);
    const decisive: number[] = [];
    const parts = [RULE[c]];
    if (kill) {
      parts.push(`Guest ${ask.guest} is killed: "${kill.reason}" (${ev(kill)}).`);
      decisive.push(Number(kill.i));
    } else {
      parts.push(`Guest ${ask.guest} lives.`);
      if (other) parts.push(`Guest ${other.guest} is the one killed: "${other.reason}" (${ev(other)}).`);
      const warn = run.events.find((e) => e.kind === 'launcher_warn');
      if (warn) parts.push(`Its Launcher warns "${warn.message}" (${ev(warn)}).`);
      const at = ask.who === 'bind' ? hcallEvent(run.events, 0, 'BIND_DMA') : hcallEvent(run.events, 1, 'SEND_DMA');
      decisive.push(at, ...[other, warn].filter((e) => e !== undefined).map((e) => Number(e.i)));
    }
    return { text: parts.join(' '), decisive };
  };

  return {
    scenario: scenarioOf('quiz: kill', 'Generated by `quiz`: which guest lguest kills, and why.', guests),
    ask: { guest: ask.guest, step, field: 'killed' },
    question,
    distractors: [null, ...order],
    explain,
    variant: c,
  };
}
