/**
 * An explanation for every event the simulator records (src/hw/events.ts):
 * one line in plain words, the spec rule it follows and the v2.6.23
 * function that does it. The switch is exhaustive over EventKind, so a new
 * kind fails the type check until it has a caption.
 *
 * Ground rule 2: a caption says only what happened. Where that depends on more
 * than the event (is the key private? what did the send do?) the caller passes
 * it in a CaptionContext; without it the caption says less.
 */
import {
  DEVICE_STATUS_BITS,
  LGUEST_DEVICE_S_ACKNOWLEDGE,
  LGUEST_DEVICE_S_DRIVER,
  LGUEST_DEVICE_S_DRIVER_OK,
  LGUEST_DEVICE_S_FAILED,
  LGUEST_IRQS,
  LHREQ_BREAK,
  LHREQ_GETDMA,
  LHREQ_INITIALIZE,
  LHREQ_IRQ,
  LHREQ_NAMES,
} from '../abi/constants.ts';
import { bitNames } from '../abi/bits.ts';
import { EventKind, IrqSource, type SimEvent } from '../hw/events.ts';
import { type Caption, type CaptionContext, bytesOf, caption, guestName, hx, quote } from './caption-types.ts';
import { exitRule, killRule } from './exit-reasons.ts';
import { hcallCaption } from './hcall-caption.ts';
import { errnoName } from './register-labels.ts';
import { SRC } from './source-refs.ts';

export type { Caption, CaptionContext, Delivery, KeyPage } from './caption-types.ts';

const NO_DEVICE = 0xffffffff;
const EPERM = 1;

function dmaCaption(ev: SimEvent, ctx: CaptionContext): Caption {
  const head = `${guestName(ev.guest)} → guest ${ev.a >>> 0} on key ${hx(ev.b)}`;
  const bytes = ev.e >>> 0;
  const entry = hx(ev.d);
  if (bytes === 0)
    // dma_transfer aborts a copy of 0 bytes from a non-empty source, so a recorded 0 is an empty send (§2.4 step 3e).
    return caption(`${head}: an empty send (a ping): nothing is copied, the entry at ${entry} stays free and guest ${ev.a >>> 0}'s interrupt is still raised`, ['§2.4 notes', '§7.12'], SRC.dmaTransfer);
  if (ctx.sentBytes !== undefined && ctx.sentBytes > bytes)
    return caption(`${head}: only ${bytes} of the ${bytesOf(ctx.sentBytes)} sent fit in the entry at ${entry}; the rest is dropped without an error and both used_len fields say ${bytes}`, ['§2.4 notes', '§7.9', '§7.11'], SRC.copyData);
  return caption(`${head}: the Host copied ${bytesOf(bytes)} from the lguest_dma at ${hx(ev.c)} into the free entry at ${entry}, wrote ${bytes} into both used_len fields and moved next_dma on by one`, ['§2.4 steps 2-3', '§7.7', '§7.8', '§7.11'], SRC.dmaTransfer);
}

function dmaFullCaption(ev: SimEvent, ctx: CaptionContext): Caption {
  const to = ev.a >>> 0;
  const head = `${guestName(ev.guest)} → guest ${to} on key ${hx(ev.b)}: every entry guest ${to} bound there is in use (used_len ≠ 0), so nothing is copied; the Host still raises guest ${to}'s interrupt so it can make room`;
  const spec = ['§2.4 step 4', '§7.6', '§7.13', '§7.14'];
  if (ctx.attempt === 1) return caption(`${head}, then tries once more`, spec, SRC.sendDma);
  if (ctx.attempt === 2) return caption(`${head}; that was the one retry, so the send gives up and the sender's used_len stays 0`, spec, SRC.sendDma);
  return caption(head, spec, SRC.dmaTransfer);
}

function lhreqCaption(ev: SimEvent, ctx: CaptionContext): Caption {
  const who = guestName(ev.guest);
  const launcher = ev.guest >>> 0 === 0xffffffff ? 'a Launcher' : `${who}'s Launcher`;
  const ret = ev.c | 0;
  const arg = ev.b >>> 0;
  if (ctx.killedFor) {
    const rule = killRule(ctx.killedFor);
    return caption(`${launcher} writes ${LHREQ_NAMES[ev.a] ?? `request ${ev.a >>> 0}`}: the Host killed the guest (${quote(ctx.killedFor)}): ${rule.why}`, rule.spec, rule.source);
  }
  if (ret < 0 && ctx.guestDead) return caption(`${launcher}: the guest is dead, so every request fails with ENOENT; only read() (the reason) is left`, ['§3.1', '§7.26', '§7.28'], SRC.devWrite);
  if (ret === -EPERM && ev.a !== LHREQ_BREAK) return caption(`${launcher}: only the process that created the guest may write requests other than BREAK (EPERM)`, ['§3.1', '§7.26'], SRC.devWrite);
  switch (ev.a) {
    case LHREQ_INITIALIZE:
      return ret >= 0
        ? caption(`${launcher} writes LHREQ_INITIALIZE (pfn_limit ${hx(arg)}): the Host creates ${who} and the write returns ${ret}`, ['§3.1'], SRC.devInitialize)
        : caption(`${launcher} writes LHREQ_INITIALIZE: the Host refuses with ${errnoName(ret)}`, ['§3.1'], SRC.devInitialize);
    case LHREQ_GETDMA:
      return ret >= 0
        ? caption(`${launcher} asks for a buffer on key ${hx(arg)} (GETDMA): the Host returns the entry at ${hx(ret)}, the first with used_len 0 or else the last, and writes the binding's irq into its used_len`, ['§2.5', '§3.1', '§7.22', '§7.23'], SRC.userGetDma)
        : caption(`${launcher} asks for a buffer on key ${hx(arg)} (GETDMA): the guest has bound nothing there, so the write fails with ${errnoName(ret)}`, ['§2.5', '§7.24'], SRC.userGetDma);
    case LHREQ_IRQ:
      return ret >= 0
        ? caption(`${launcher} writes LHREQ_IRQ ${arg}: irq ${arg} is set pending; that alone neither runs nor wakes the guest`, ['§3.1', '§7.25'], SRC.userSendIrq)
        : caption(`${launcher} writes LHREQ_IRQ ${arg}: irq ${arg} is not below ${LGUEST_IRQS}, so the write fails with ${errnoName(ret)}`, ['§3.1', '§7.25'], SRC.userSendIrq);
    case LHREQ_BREAK:
      return arg !== 0
        ? caption(`LHREQ_BREAK 1 for ${who} (the Waker saw input): the guest is stopped, the Launcher's read() returns EAGAIN so it can serve the input, and the writer waits for BREAK 0`, ['§3.1', '§3.3', '§7.27'], SRC.breakGuestOut)
        : caption(`${launcher} writes LHREQ_BREAK 0: the input is served, the Waker is released and the guest can run again`, ['§3.1', '§3.3', '§7.27'], SRC.breakGuestOut);
    default:
      return caption(`${launcher} writes request ${ev.a >>> 0}: not one lguest knows, so the write fails with ${ret < 0 ? errnoName(ret) : 'EINVAL'}`, ['§3.1'], SRC.devWrite);
  }
}

function launcherOutputCaption(ev: SimEvent, ctx: CaptionContext): Caption {
  const who = `${guestName(ev.guest)}'s Launcher`;
  const used = ev.c >>> 0;
  if (ev.d >>> 0 === NO_DEVICE)
    return caption(`${who} has no device watching key ${hx(ev.a)}: it warns "Pending dma …" and leaves used_len at 0`, ['§4.1'], SRC.handleOutput);
  switch (ctx.deviceType) {
    case 'console':
      return caption(`${who} writes the ${bytesOf(used)} of console output to its terminal and sets used_len = ${used}`, ['§4.2', '§7.34'], SRC.handleConsoleOutput);
    case 'block':
      return caption(`${who} serves the request in the block page of device ${ev.d >>> 0}; the handler returns 0, so used_len = 0 and the answer is the page's result`, ['§4.3', '§7.35'], SRC.handleBlockOutput);
    default:
      return caption(`${who} hands the send on key ${hx(ev.a)} to device ${ev.d >>> 0}, whose handler returns ${used}, stored in used_len`, ['§4.1'], SRC.handleOutput);
  }
}

const STATUS_STEPS: readonly (readonly [number, string, string, Caption['source']])[] = [
  [LGUEST_DEVICE_S_FAILED, 'FAILED', 'something went wrong setting it up', SRC.addLguestDevice],
  [LGUEST_DEVICE_S_DRIVER_OK, 'DRIVER_OK', "the driver's probe succeeded", SRC.lguestDevProbe],
  [LGUEST_DEVICE_S_DRIVER, 'DRIVER', 'the guest has a driver for it and is about to probe it', SRC.lguestDevProbe],
  [LGUEST_DEVICE_S_ACKNOWLEDGE, 'ACKNOWLEDGE', "the guest's bus found it in the descriptor page", SRC.addLguestDevice],
];

function statusCaption(ev: SimEvent, ctx: CaptionContext): Caption {
  const dev = `device ${ev.a >>> 0}${ctx.deviceType ? ` (${ctx.deviceType})` : ''}`;
  const added = (ev.c & ~ev.b) >>> 0;
  const spec = ['§5.1', '§7.32'];
  // One write may set several bits (the bus and the driver ran between two looks): say each step, in order;
  // the highest bit's function is the one that got furthest.
  const steps = STATUS_STEPS.filter(([bit]) => (added & bit) !== 0);
  if (steps.length > 0) {
    const names = bitNames(added, DEVICE_STATUS_BITS).filter((n) => steps.some(([, name]) => name === n));
    const whys = [...steps].reverse().map(([, , why]) => why);
    return caption(`${guestName(ev.guest)} sets ${names.join(', ')} in ${dev}'s status: ${whys.join('; ')}`, spec, steps[0][3]);
  }
  return caption(`${guestName(ev.guest)} changes ${dev}'s status from ${hx(ev.b)} to ${hx(ev.c)}`, spec, SRC.addLguestDevice);
}

function warnCaption(ev: SimEvent, message: string): Caption {
  const who = `${guestName(ev.guest)}'s Launcher`;
  if (message.startsWith('console: no dma buffer'))
    return caption(`${who} has console input but the guest has no buffer bound on key 0: it warns ${quote(message)} and throws the input away`, ['§4.2'], SRC.handleConsoleInput);
  if (message.startsWith('Failed to get console input'))
    return caption(`${who} could read no console input into the guest's buffer, so it stops serving the console (${quote(message)})`, ['§4.2'], SRC.handleConsoleInput);
  if (message.startsWith('Pending dma '))
    return caption(`${who}: no device watches the key of this send, so it warns ${quote(message)} and used_len stays 0`, ['§4.1'], SRC.handleOutput);
  return caption(`${who} warns ${quote(message)} and carries on`, ['§4'], SRC.handleOutput);
}

function blockCaption(ev: SimEvent): Caption {
  const who = `${guestName(ev.guest)}'s block device`;
  const asked = ev.c >>> 0;
  const moved = ev.d >>> 0;
  const result = ev.e | 0;
  const outcome = result === 1 ? 'result = 1 (done)' : `result = ${result} (error: ${moved} of ${bytesOf(asked)})`;
  const text =
    ev.a === 0
      ? `${who} read ${bytesOf(moved)} from sector ${ev.b >>> 0} into the reply buffer the guest bound, set used_len = ${moved} and ${outcome} in the block page, then asks for the reply's interrupt (LHREQ_IRQ)`
      : `${who} wrote ${bytesOf(moved)} of the sent sections at sector ${ev.b >>> 0}, set the reply's used_len = 0 and ${outcome} in the block page, then asks for the reply's interrupt (LHREQ_IRQ)`;
  return caption(text, ['§4.3', '§7.35'], SRC.handleBlockOutput);
}

/** The caption of one event. Never throws, whatever the fields hold. */
export function captionOf(ev: SimEvent, strings: readonly string[], ctx: CaptionContext = {}): Caption {
  const who = guestName(ev.guest);
  switch (ev.kind) {
    case EventKind.HCALL:
      return hcallCaption(ev, ctx);
    case EventKind.DMA:
      return dmaCaption(ev, ctx);
    case EventKind.DMA_FULL:
      return dmaFullCaption(ev, ctx);
    case EventKind.IRQ_RAISE:
      return ev.b === IrqSource.LAUNCHER
        ? caption(`irq ${ev.a >>> 0} is now pending for ${who}, asked for by its Launcher (LHREQ_IRQ); the Host delivers it on a later entry into the guest (lowest pending irq first, if not blocked)`, ['§3.1', '§6', '§7.25'], SRC.userSendIrq)
        : caption(`irq ${ev.a >>> 0} is now pending for ${who} after a send to one of its bindings; the Host delivers it on a later entry into the guest (lowest pending irq first, if not blocked)`, ['§2.4 step 4', '§6', '§7.13'], SRC.dmaTransfer);
    case EventKind.IRQ_DELIVER:
      return caption(`the Host delivers irq ${ev.a >>> 0} to ${who}: it pushes an interrupt frame on the guest's stack and jumps to the handler of vector ${32 + (ev.a >>> 0)}`, ['§6', '§7.29', '§7.30'], SRC.maybeDoInterrupt);
    case EventKind.LAUNCHER_READ:
      return caption(`${who}'s Launcher: read() from /dev/lguest returns the lguest_dma at ${hx(ev.b)} and key ${hx(ev.a)}, a send to a private key; the guest waits until the Launcher has handled it`, ['§3.2 step 2', '§3.3', '§7.2', '§7.40'], SRC.devRead);
    case EventKind.LAUNCHER_OUTPUT:
      return launcherOutputCaption(ev, ctx);
    case EventKind.LHREQ:
      return lhreqCaption(ev, ctx);
    case EventKind.STATUS:
      return statusCaption(ev, ctx);
    case EventKind.KILL: {
      const reason = strings[ev.a] ?? '';
      const rule = killRule(reason);
      return caption(`the Host kills ${who} (${quote(reason)}): ${rule.why}; it never runs again and its Launcher's read() returns ENOENT, then this reason`, [...rule.spec, '§3.2', '§7.18'], rule.source);
    }
    case EventKind.INPUT:
      return caption(`${bytesOf(ev.a >>> 0)} typed at ${who}'s terminal, the Launcher's standard input that its Waker watches`, ['§3.3', '§4.2'], SRC.wakeParent);
    case EventKind.LAUNCHER_EXIT: {
      const message = strings[ev.a] ?? '';
      const rule = exitRule(message);
      return caption(`${who}'s Launcher exits (${quote(message)}): ${rule.why}${rule.guestDiedFirst ? '' : '; the guest goes with it'}`, rule.spec, rule.source);
    }
    case EventKind.HALT:
      return caption(`${who} halts until an interrupt is delivered to it`, ['§6'], SRC.doHcall);
    case EventKind.CONSOLE_INPUT:
      return ev.a >>> 0 === 0
        ? caption(`${who}'s Launcher got the buffer at ${hx(ev.b)} from GETDMA but could read no input into it, so it stops serving the console`, ['§4.2'], SRC.handleConsoleInput)
        : caption(`${who}'s Launcher read ${bytesOf(ev.a >>> 0)} of console input into the guest's buffer at ${hx(ev.b)} (from GETDMA on key 0), set used_len = ${ev.a >>> 0} and then asks for its interrupt`, ['§4.2', '§4.1', '§7.34'], SRC.handleConsoleInput);
    case EventKind.LAUNCHER_WARN:
      return warnCaption(ev, strings[ev.a] ?? '');
    case EventKind.BLOCK_IO:
      return blockCaption(ev);
    case EventKind.BREAK_WAIT:
      // spec §3.1, §7.27: LHREQ_BREAK with 1 blocks the writer (the Waker) until the Launcher's BREAK 0.
      return ev.b === 1
        ? caption(`${who}'s Waker wrote LHREQ_BREAK 1: it now sleeps in its write() until the Launcher writes LHREQ_BREAK 0`, ['§3.1', '§7.27'], SRC.breakGuestOut)
        : caption(`${who}'s Launcher wrote LHREQ_BREAK 0, so the sleeping Waker's write() returns`, ['§3.1', '§7.27'], SRC.breakGuestOut);
    default: {
      // Exhaustive: a kind added to EventKind without a case here is a type error.
      const unknown: never = ev.kind;
      return caption(`event of unknown kind ${String(unknown)}`, [], null);
    }
  }
}
