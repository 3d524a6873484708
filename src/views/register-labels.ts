/**
 * What each register word of a hypercall is (spec §1.2's table), and the
 * event log's fields with readable names: `key`, `struct lguest_dma`,
 * `%eax unchanged` instead of `edx`, `ebx`, `ret`. Values are written as the
 * JSON-lines trace writes them (eventToJson), so the log and `--trace` agree.
 */
import {
  HYPERCALL_NAMES,
  LHCALL_BIND_DMA,
  LHCALL_CRASH,
  LHCALL_FLUSH_ASYNC,
  LHCALL_FLUSH_TLB,
  LHCALL_GET_WALLCLOCK,
  LHCALL_HALT,
  LHCALL_LGUEST_INIT,
  LHCALL_LOAD_GDT,
  LHCALL_LOAD_IDT_ENTRY,
  LHCALL_LOAD_TLS,
  LHCALL_NEW_PGTABLE,
  LHCALL_SEND_DMA,
  LHCALL_SET_CLOCKEVENT,
  LHCALL_SET_PMD,
  LHCALL_SET_PTE,
  LHCALL_SET_STACK,
  LHCALL_TS,
  LHREQ_BREAK,
  LHREQ_GETDMA,
  LHREQ_INITIALIZE,
  LHREQ_IRQ,
  LHREQ_NAMES,
} from '../abi/constants.ts';
import { EventKind, type SimEvent } from '../hw/events.ts';
import { eventToJson } from '../hw/event-json.ts';
import { hexAlt } from '../base/printf.ts';

/** The registers of one hypercall: what %edx, %ebx, %ecx carry (null: unused) and what %eax holds afterwards. */
export interface HcallLabels {
  readonly edx: string | null;
  readonly ebx: string | null;
  readonly ecx: string | null;
  /** '%eax unchanged' when the call sets no result: the call number stays there. */
  readonly eax: string;
}

export const EAX_UNCHANGED = '%eax unchanged';

const L = (edx: string | null, ebx: string | null, ecx: string | null, eax = EAX_UNCHANGED): HcallLabels => ({ edx, ebx, ecx, eax });

/** Spec §1.2, one row per hypercall of lguest.h. */
export const HCALL_LABELS: Readonly<Record<number, HcallLabels>> = {
  [LHCALL_FLUSH_ASYNC]: L(null, null, null),
  [LHCALL_LGUEST_INIT]: L('struct lguest_data', null, null),
  [LHCALL_CRASH]: L('message', null, null),
  [LHCALL_LOAD_GDT]: L('GDT table', 'entries', null),
  [LHCALL_NEW_PGTABLE]: L('pgdir', null, null),
  [LHCALL_FLUSH_TLB]: L('all (non-zero) or user only (0)', null, null),
  [LHCALL_LOAD_IDT_ENTRY]: L('IDT vector', 'low word', 'high word'),
  [LHCALL_SET_STACK]: L('stack segment', 'esp', 'pages'),
  [LHCALL_TS]: L('TS flag', null, null),
  [LHCALL_SET_CLOCKEVENT]: L('delta ns (0: stop)', null, null),
  [LHCALL_HALT]: L(null, null, null),
  [LHCALL_GET_WALLCLOCK]: L(null, null, null, 'seconds since 1970'),
  [LHCALL_BIND_DMA]: L('key', 'struct lguest_dma[]', '(num << 8) | irq', '1 bound, 0 failed'),
  [LHCALL_SEND_DMA]: L('key', 'struct lguest_dma', null),
  [LHCALL_SET_PTE]: L('pgdir', 'vaddr', 'pte'),
  [LHCALL_SET_PMD]: L('pgdir', 'index', null),
  [LHCALL_LOAD_TLS]: L('TLS array', null, null),
};

/** A number lguest does not know: the guest is killed for it, so the words are only the registers. */
const UNKNOWN_HCALL = L('edx', 'ebx', 'ecx');

export const hcallLabels = (call: number): HcallLabels => HCALL_LABELS[call] ?? UNKNOWN_HCALL;

/** Linux i386 errno values /dev/lguest returns (spec §3). */
export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  11: 'EAGAIN',
  12: 'ENOMEM',
  14: 'EFAULT',
  16: 'EBUSY',
  22: 'EINVAL',
  28: 'ENOSPC',
};

export const errnoName = (ret: number): string => ERRNO_NAMES[-ret] ?? `errno ${-ret}`;

/** One field of an event as the log shows it. `term` names a glossary entry for the label. */
export interface EventWord {
  readonly label: string;
  readonly value: string;
  readonly term?: string;
}

const word = (label: string, value: string | number, term?: string): EventWord => (term ? { label, value: String(value), term } : { label, value: String(value) });

/** The argument of each /dev/lguest request (spec §3.1). */
const LHREQ_ARG: Readonly<Record<number, string>> = {
  [LHREQ_INITIALIZE]: 'pfn_limit',
  [LHREQ_GETDMA]: 'key',
  [LHREQ_IRQ]: 'irq',
  [LHREQ_BREAK]: 'on',
};

const TERM_OF_REQ: Readonly<Record<number, string>> = { [LHREQ_INITIALIZE]: 'initialize', [LHREQ_GETDMA]: 'getdma', [LHREQ_IRQ]: 'lhreq-irq', [LHREQ_BREAK]: 'break' };
const TERM_OF_CALL: Readonly<Record<number, string>> = { [LHCALL_BIND_DMA]: 'bind-dma', [LHCALL_SEND_DMA]: 'send-dma' };
const TERM_OF_LABEL: Readonly<Record<string, string>> = {
  key: 'key',
  'struct lguest_dma': 'lguest-dma',
  'struct lguest_dma[]': 'lguest-dma',
  'struct lguest_data': 'lguest-data',
  used_len: 'used-len',
  irq: 'irq',
};

function hcallWords(ev: SimEvent): EventWord[] {
  const labels = hcallLabels(ev.a);
  const out: EventWord[] = [word('call', HYPERCALL_NAMES[ev.a] ?? String(ev.a), TERM_OF_CALL[ev.a] ?? 'hypercall')];
  const reg = (label: string | null, v: number): void => {
    if (label !== null) out.push(word(label, hexAlt(v), TERM_OF_LABEL[label]));
  };
  reg(labels.edx, ev.b);
  reg(labels.ebx, ev.c);
  if (ev.a === LHCALL_BIND_DMA) {
    // %ecx packs two arguments (spec §2.3 step 1): show them apart.
    out.push(word('entries', (ev.d >>> 8) & 0xffff), word('irq', ev.d & 0xff, 'irq'));
  } else reg(labels.ecx, ev.d);
  if (labels.eax === EAX_UNCHANGED) out.push(word(EAX_UNCHANGED, ''));
  else if (ev.a === LHCALL_BIND_DMA) out.push(word('%eax', ev.e === 1 ? '1 (bound)' : `${ev.e >>> 0} (failed)`));
  else out.push(word('%eax', ev.e >>> 0));
  return out;
}

function lhreqWords(ev: SimEvent): EventWord[] {
  const ret = ev.c | 0;
  const out = [word('request', LHREQ_NAMES[ev.a] ?? String(ev.a >>> 0), TERM_OF_REQ[ev.a])];
  const argLabel = LHREQ_ARG[ev.a] ?? 'argument';
  out.push(word(argLabel, ev.a === LHREQ_GETDMA || ev.a === LHREQ_INITIALIZE ? hexAlt(ev.b) : ev.b >>> 0, TERM_OF_LABEL[argLabel]));
  if (ret < 0) out.push(word('fails', errnoName(ret)));
  else out.push(word(ev.a === LHREQ_GETDMA ? 'buffer' : 'returns', ev.a === LHREQ_GETDMA ? hexAlt(ret) : ret, ev.a === LHREQ_GETDMA ? 'lguest-dma' : undefined));
  return out;
}

/** Readable names of the other kinds' JSON fields. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  to: 'to guest',
  src: 'sender lguest_dma',
  dst: 'into',
  bytes: 'bytes',
  dma: 'struct lguest_dma',
  used_len: 'used_len',
  device: 'device',
  old: 'old status',
  status: 'status',
  source: 'raised by',
  moved: 'bytes moved',
  result: 'result',
};

/** The fields of `ev` after index, time, kind and guest, with readable labels. */
export function eventWords(ev: SimEvent, strings: readonly string[]): EventWord[] {
  if (ev.kind === EventKind.HCALL) return hcallWords(ev);
  if (ev.kind === EventKind.LHREQ) return lhreqWords(ev);
  const out: EventWord[] = [];
  for (const [k, v] of Object.entries(eventToJson(ev, strings))) {
    if (k === 'i' || k === 't' || k === 'kind' || k === 'guest') continue;
    const label = FIELD_LABELS[k] ?? k;
    out.push(word(label, v, TERM_OF_LABEL[label] ?? TERM_OF_LABEL[k]));
  }
  return out;
}

/** The words as one line: `key=0 struct lguest_dma=0x2000 %eax unchanged`. */
export const eventWordsText = (words: readonly EventWord[]): string => words.map((w) => (w.value === '' ? w.label : `${w.label}=${w.value}`)).join(' ');
