/** An event as the JSON-lines trace writes it (`--trace FILE`, the page's export, event filters). */
import { HYPERCALL_NAMES, LHREQ_NAMES } from '../abi/constants.ts';
import { hexAlt } from '../base/printf.ts';
import { EVENT_KIND_NAMES, EventKind, IrqSource, type SimEvent } from './events.ts';

/** One event as a JSON object: the JSON-lines trace format (`--trace FILE`). */
export function eventToJson(ev: SimEvent, strings: readonly string[]): Record<string, string | number> {
  const base = { i: ev.index, t: ev.time, kind: EVENT_KIND_NAMES[ev.kind] ?? String(ev.kind), guest: ev.guest };
  switch (ev.kind) {
    case EventKind.HCALL:
      return { ...base, call: HYPERCALL_NAMES[ev.a] ?? String(ev.a), edx: hexAlt(ev.b), ebx: hexAlt(ev.c), ecx: hexAlt(ev.d), ret: ev.e };
    case EventKind.DMA:
      return { ...base, to: ev.a, key: hexAlt(ev.b), src: hexAlt(ev.c), dst: hexAlt(ev.d), bytes: ev.e };
    case EventKind.DMA_FULL:
      return { ...base, to: ev.a, key: hexAlt(ev.b), src: hexAlt(ev.c) };
    case EventKind.IRQ_RAISE:
      return { ...base, irq: ev.a, source: ev.b === IrqSource.DMA ? 'dma' : 'launcher' };
    case EventKind.IRQ_DELIVER:
      return { ...base, irq: ev.a };
    case EventKind.LAUNCHER_READ:
      return { ...base, key: hexAlt(ev.a), dma: hexAlt(ev.b) };
    case EventKind.LAUNCHER_OUTPUT:
      return { ...base, key: hexAlt(ev.a), dma: hexAlt(ev.b), used_len: ev.c, device: ev.d === 0xffffffff ? -1 : ev.d };
    case EventKind.LHREQ:
      return { ...base, req: LHREQ_NAMES[ev.a] ?? String(ev.a), arg: hexAlt(ev.b), ret: ev.c | 0 };
    case EventKind.STATUS:
      return { ...base, device: ev.a, old: ev.b, status: ev.c };
    case EventKind.KILL:
    case EventKind.LAUNCHER_EXIT:
      return { ...base, reason: strings[ev.a] ?? '' };
    case EventKind.LAUNCHER_WARN:
      return { ...base, message: strings[ev.a] ?? '' };
    case EventKind.BLOCK_IO:
      return { ...base, type: ev.a === 0 ? 'read' : 'write', sector: ev.b, bytes: ev.c, moved: ev.d, result: ev.e };
    case EventKind.INPUT:
      return { ...base, bytes: ev.a };
    case EventKind.CONSOLE_INPUT:
      return { ...base, bytes: ev.a, dst: hexAlt(ev.b) };
    case EventKind.BREAK_WAIT:
      return { ...base, pid: ev.a, waker: ev.b === 1 ? 'blocked' : 'released' };
    case EventKind.HALT:
      return base;
  }
  return base;
}
