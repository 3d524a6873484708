/**
 * Captions for HCALL events, one per hypercall of lguest.h (spec §1.2).
 * The event is recorded when the call returns: a=call, b=%edx, c=%ebx,
 * d=%ecx, e=%eax afterwards.
 */
import {
  LGUEST_IRQS,
  LGUEST_MAX_DMA,
  LGUEST_TRAP_ENTRY,
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
  HYPERCALL_NAMES,
} from '../abi/constants.ts';
import type { SimEvent } from '../hw/events.ts';
import { type Caption, type CaptionContext, bytesOf, caption, guestName, hx, quote } from './caption-types.ts';
import { killRule } from './exit-reasons.ts';
import { SRC, type SourceRef } from './source-refs.ts';

/** A call lguest accepts that lguest-lab records but does not model (paging, segments, FPU, clock). */
function unmodelled(who: string, name: string, what: string, area: string, source: SourceRef): Caption {
  return caption(`${who} ${name}: ${what}; lguest-lab accepts it but does not model ${area}, which lie outside the I/O model`, ['§1.2'], source);
}

function sendDmaCaption(who: string, ev: SimEvent, ctx: CaptionContext): Caption {
  const key = ev.b;
  const head = `${who} SEND_DMA to key ${hx(key)}`;
  const dma = hx(ev.c);
  // The futex lookup needs a 4-byte aligned key inside mapped memory (§2.2): otherwise the sender dies.
  if (key % 4 !== 0)
    return caption(`${head}: the key is not 4-byte aligned, so the Host kills the guest ("bad sending DMA key")`, ['§2.2', '§7.1'], SRC.sendDma);
  if (ctx.keyPage === 'private') {
    // §2.4 step 2, §7.2: the private path only records the pending send; no binding is looked at.
    return caption(`${head}, a private key: the Host stops the guest and its Launcher's read() returns the lguest_dma at ${dma}`, ['§2.4 step 2', '§3.2', '§7.2', '§7.40'], SRC.sendDma);
  }
  if (ctx.keyPage === 'shared') {
    const d = ctx.delivery;
    const spec = ['§2.2', '§2.4 step 3', '§7.3', '§7.5'];
    if (d === undefined)
      return caption(`${head}, a shared key: the Host hands it to the newest binding of this page and offset made by another guest, if there is one (the Futex Trick)`, spec, SRC.sendDma);
    switch (d.kind) {
      case 'copied':
        return caption(`${head}, a shared key: the Host copied ${bytesOf(d.bytes)} into guest ${d.to}'s buffer bound at the same page and offset (the Futex Trick)`, spec, SRC.sendDma);
      case 'full':
        return caption(
          d.tries >= 2
            ? `${head}, a shared key: guest ${d.to} bound it but every entry was in use; the Host raised its interrupt, tried once more, found it full again and gave up, so used_len stays 0`
            : `${head}, a shared key: guest ${d.to} bound it but every entry was in use, so nothing was copied and used_len stays 0`,
          ['§2.4 step 4', '§7.13', '§7.14'],
          SRC.sendDma,
        );
      case 'receiver-killed': {
        const rule = killRule(d.reason);
        return caption(`${head}, a shared key: the Host killed the receiver, guest ${d.to} (${quote(d.reason)}): ${rule.why}`, rule.spec, rule.source);
      }
      case 'nobody':
        return caption(`${head}, a shared key: no other guest has bound it, so nothing is copied, no interrupt is raised and used_len stays 0`, ['§2.4 step 3', '§7.4'], SRC.sendDma);
    }
  }
  if (ctx.keyPage === 'unmapped')
    return caption(`${head}: the key is outside the guest's memory, so the Host kills the guest ("bad sending DMA key")`, ['§2.2', '§7.1'], SRC.sendDma);
  return caption(`${head} with the lguest_dma at ${dma}: to its Launcher if the key is in a private page, to another guest's binding if it is in a shared one`, ['§2.4'], SRC.sendDma);
}

function bindDmaCaption(who: string, ev: SimEvent, ctx: CaptionContext): Caption {
  const key = hx(ev.b);
  const array = hx(ev.c);
  // §2.3 step 1: %ecx = (num << 8) | irq, num kept as a u16 and irq as a u8.
  const num = (ev.d >>> 8) & 0xffff;
  const irq = ev.d & 0xff;
  const ok = ev.e === 1;
  if (irq >= LGUEST_IRQS)
    return caption(`${who} BIND_DMA on key ${key}: irq ${irq} is not below ${LGUEST_IRQS}, so the call fails with %eax = 0 (no kill)`, ['§2.3 step 2', '§7.19'], SRC.bindDma);
  if (ev.b % 4 !== 0)
    return caption(`${who} BIND_DMA on key ${key}: the key is not 4-byte aligned, so the Host kills the guest ("bad dma key")`, ['§2.2', '§7.1'], SRC.bindDma);
  if (ctx.keyPage === 'unmapped')
    return caption(`${who} BIND_DMA on key ${key}: the key is outside the guest's memory, so the Host kills the guest ("bad dma key")`, ['§2.2', '§7.1'], SRC.bindDma);
  if (irq === 0) {
    return ok
      ? caption(`${who} BIND_DMA with irq 0: removes its binding of the array at ${array} on key ${key}`, ['§2.3 step 4', '§7.20'], SRC.unbindDma)
      : caption(`${who} BIND_DMA with irq 0: it has no binding of the array at ${array} on key ${key}, so nothing is removed (%eax = 0)`, ['§2.3 step 4', '§7.20'], SRC.unbindDma);
  }
  const what = `${who} BIND_DMA binds ${num} lguest_dma at ${array} on key ${key} with irq ${irq}`;
  if (ok) {
    if (ctx.keyPage === 'private')
      return caption(`${what}: only its Launcher can fill them (GETDMA), since a send to a private key never looks at bindings`, ['§2.3', '§2.4 step 2', '§2.5'], SRC.bindDma);
    if (ctx.keyPage === 'shared')
      return caption(`${what}: another guest's SEND_DMA to the same page and offset can now land in them (the Futex Trick)`, ['§2.2', '§2.3', '§7.5'], SRC.bindDma);
    return caption(what, ['§2.3', '§7.21'], SRC.bindDma);
  }
  if (ctx.killedFor === null)
    return caption(`${who} BIND_DMA on key ${key}: all ${LGUEST_MAX_DMA} binding slots are in use, so it fails with %eax = 0 (no kill)`, ['§2.3 step 5', '§7.19'], SRC.bindDma);
  return caption(`${who} BIND_DMA on key ${key} failed (%eax = 0)`, ['§2.3', '§7.19'], SRC.bindDma);
}

function idtCaption(who: string, ev: SimEvent): Caption {
  const vector = ev.b >>> 0;
  const hi = ev.d;
  const spec = ['§6', '§7.31'];
  // load_guest_idt_entry ignores the vectors the Host keeps for itself (NMI, double fault, 15, the trap entry).
  if (vector === 2 || vector === 8 || vector === 15 || vector === LGUEST_TRAP_ENTRY)
    return caption(`${who} LOAD_IDT_ENTRY ${vector}: a vector the Host keeps for itself, so it is ignored`, spec, SRC.loadGuestIdtEntry);
  if (vector < 32 || vector >= 64)
    return caption(`${who} LOAD_IDT_ENTRY ${vector}: sets the handler of a trap vector; lguest-lab models only the interrupt vectors 32-63`, spec, SRC.loadGuestIdtEntry);
  const irq = vector - 32;
  if ((hi & 0x8000) === 0)
    return caption(`${who} LOAD_IDT_ENTRY ${vector}: clears the handler of irq ${irq}, so a pending irq ${irq} now stays pending`, spec, SRC.loadGuestIdtEntry);
  const gate = ((hi >>> 8) & 0xf) === 0xf ? 'a trap gate (interrupts stay on in the handler)' : 'an interrupt gate (the handler starts with interrupts off)';
  return caption(`${who} LOAD_IDT_ENTRY ${vector}: installs the handler of irq ${irq} as ${gate}; irq ${irq} can now be delivered`, spec, SRC.loadGuestIdtEntry);
}

export function hcallCaption(ev: SimEvent, ctx: CaptionContext): Caption {
  const who = guestName(ev.guest);
  const call = ev.a >>> 0;
  const name = HYPERCALL_NAMES[call] ?? `hypercall ${call}`;
  if (ctx.killedFor) {
    const rule = killRule(ctx.killedFor);
    return caption(`${who} ${name}: the Host killed the guest (${quote(ctx.killedFor)}): ${rule.why}`, rule.spec, rule.source);
  }
  const edx = ev.b >>> 0;
  switch (call) {
    case LHCALL_FLUSH_ASYNC:
      return caption(`${who} FLUSH_ASYNC: nothing to do itself; entering the Host already ran the calls queued in the async ring`, ['§1.2'], SRC.doAsyncHcalls);
    case LHCALL_LGUEST_INIT:
      return caption(`${who} LGUEST_INIT with its lguest_data at ${hx(edx)}: the Host reads the no-interrupt range from it and writes reserve_mem, tsc_khz and guestid into it`, ['§1.2', '§1.3'], SRC.hcallInitialize);
    case LHCALL_CRASH:
      return caption(`${who} CRASH with the message at ${hx(edx)}: the Host kills the guest with "CRASH: " and that message`, ['§1.2'], SRC.doHcall);
    case LHCALL_LOAD_GDT:
      return unmodelled(who, 'LOAD_GDT', `loads a segment table of ${ev.c >>> 0} entries from ${hx(edx)}`, 'segments', SRC.loadGuestGdt);
    case LHCALL_NEW_PGTABLE:
      return unmodelled(who, 'NEW_PGTABLE', `switches to the page table at ${hx(edx)}`, 'page tables', SRC.guestNewPagetable);
    case LHCALL_FLUSH_TLB:
      return edx !== 0
        ? unmodelled(who, 'FLUSH_TLB', 'asks the Host to drop all its shadow page-table entries', 'page tables', SRC.guestPagetableClearAll)
        : unmodelled(who, 'FLUSH_TLB', 'asks the Host to drop its user-space shadow page-table entries', 'page tables', SRC.guestPagetableFlushUser);
    case LHCALL_LOAD_IDT_ENTRY:
      return idtCaption(who, ev);
    case LHCALL_SET_STACK:
      return unmodelled(who, 'SET_STACK', `tells the Host its kernel stack (segment ${hx(edx)}, esp ${hx(ev.c)}, ${ev.d >>> 0} pages)`, 'stack switches', SRC.guestSetStack);
    case LHCALL_TS:
      return unmodelled(who, 'TS', `sets its task-switched flag to ${edx}`, 'the FPU', SRC.doHcall);
    case LHCALL_SET_CLOCKEVENT:
      return unmodelled(who, 'SET_CLOCKEVENT', edx === 0 ? 'stops its timer' : `asks for a timer interrupt in ${edx} ns`, 'the clock', SRC.guestSetClockevent);
    case LHCALL_HALT:
      return caption(`${who} HALT: the guest has nothing to do and sleeps in the Host; delivering it an interrupt wakes it with interrupts on`, ['§6', '§7.30'], SRC.doHcall);
    case LHCALL_GET_WALLCLOCK:
      return caption(`${who} GET_WALLCLOCK: %eax = ${ev.e >>> 0}, the time in seconds since 1970 (${new Date((ev.e >>> 0) * 1000).toISOString().slice(0, 19)}Z)`, ['§1.2'], SRC.doHcall);
    case LHCALL_BIND_DMA:
      return bindDmaCaption(who, ev, ctx);
    case LHCALL_SEND_DMA:
      return sendDmaCaption(who, ev, ctx);
    case LHCALL_SET_PTE:
      return unmodelled(who, 'SET_PTE', `sets the page-table entry for ${hx(ev.c)} (page table ${hx(edx)}) to ${hx(ev.d)}`, 'page tables', SRC.guestSetPte);
    case LHCALL_SET_PMD:
      return unmodelled(who, 'SET_PMD', `sets entry ${ev.c >>> 0} of the page directory at ${hx(edx)}`, 'page tables', SRC.guestSetPmd);
    case LHCALL_LOAD_TLS:
      return unmodelled(who, 'LOAD_TLS', `loads its thread-local-storage segments from ${hx(edx)}`, 'segments', SRC.guestLoadTls);
    default:
      return caption(`${who} ${name}: not a hypercall lguest knows, so the Host kills the guest`, ['§1.2'], SRC.doHcall);
  }
}
