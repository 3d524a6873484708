/**
 * Why a guest was killed or a Launcher exited, from the reason string it
 * recorded (the strings are lguest's own, spec §2, §4): which rule was broken,
 * where the spec says so, and the v2.6.23 function that gave up.
 */
import { SRC, type SourceRef } from './source-refs.ts';

export interface ReasonRule {
  /** Plain words: what the guest (or Launcher) ran into. */
  readonly why: string;
  readonly spec: readonly string[];
  readonly source: SourceRef;
  /** Launcher exits only: the guest was dead before the Launcher exited (it printed the kill reason). */
  readonly guestDiedFirst?: boolean;
}

type Row = readonly [RegExp, ReasonRule];
const row = (re: RegExp, why: string, spec: readonly string[], source: SourceRef): Row => [re, { why, spec, source }];

/** Host kill reasons (kill_guest), most specific first. */
const KILLS: readonly Row[] = [
  row(/^bad dma key /, 'a BIND_DMA key must be 4-byte aligned and inside mapped guest memory', ['§2.2', '§7.1'], SRC.bindDma),
  row(/^bad sending DMA key/, 'a SEND_DMA key must be 4-byte aligned and inside mapped guest memory', ['§2.2', '§7.1'], SRC.sendDma),
  row(/^bad registered DMA buffer/, 'the key of the Launcher\'s GETDMA must be 4-byte aligned and inside mapped guest memory', ['§2.5', '§7.1'], SRC.hostGetDmaBuffer),
  row(/^bad DMA entry: /, 'in a guest-to-guest copy every section must be in range, at most 4096 bytes and inside one page', ['§2.4 step 3a', '§7.15'], SRC.checkDmaList),
  row(/^bad address in registered DMA struct/, 'the receiver\'s bound array could not be read, so the receiver is killed, not the sender', ['§2.4 step 2', '§7.16'], SRC.lgreadOther),
  row(/^bad address in sending DMA/, 'the sender\'s data could not be read during the copy', ['§2.4 step 3c'], SRC.copyData),
  row(/^bad address writing to registered DMA/, 'the receiver\'s used_len could not be written', ['§2.4 step 3f'], SRC.lgwriteOther),
  row(/^Error mapping DMA pages/, 'the receiver\'s pages could not be mapped', ['§2.4 step 3b'], SRC.doDma),
  row(/^bad read address /, 'the Host had to read guest memory outside the guest\'s range', ['§2.1', '§7.17'], SRC.lgread),
  row(/^bad write address /, 'the Host had to write guest memory outside the guest\'s range', ['§2.1', '§7.17'], SRC.lgwrite),
  row(/^hypercall -?\d+ before LGUEST_INIT/, 'the first hypercall of a guest must be LGUEST_INIT', ['§1.2'], SRC.hcallInitialize),
  row(/^bad guest page /, 'the lguest_data handed to LGUEST_INIT is not inside guest memory', ['§1.2'], SRC.hcallInitialize),
  row(/^already have lguest_data/, 'LGUEST_INIT may be called only once', ['§1.2'], SRC.doHcall),
  row(/^CRASH: /, 'the guest asked to be stopped with this message (its kernel panicked)', ['§1.2'], SRC.doHcall),
  row(/^Bad hypercall /, 'the call number in %eax is not a hypercall lguest knows', ['§1.2'], SRC.doHcall),
  row(/^bad IDT type /, 'an interrupt table entry must be an interrupt gate (0xE) or a trap gate (0xF)', ['§6'], SRC.loadGuestIdtEntry),
  row(/^unhandled trap /, 'the guest trapped in a way the Host cannot handle or reflect', ['§3.2'], SRC.hostRunGuest),
];

const KILL_DEFAULT: ReasonRule = { why: 'the guest broke one of lguest\'s rules', spec: ['§2.1', '§7.18'], source: SRC.killGuest };

export function killRule(reason: string): ReasonRule {
  for (const [re, rule] of KILLS) if (re.test(reason)) return rule;
  return KILL_DEFAULT;
}

/** Launcher exits (errx / err in Documentation/lguest/lguest.c). */
const EXITS: readonly Row[] = [
  row(/^Bad offset /, 'a block request\'s sector × 512 is at or past the end of the disk, which ends the Launcher, not only the guest', ['§4.3 step 1', '§7.36'], SRC.handleBlockOutput),
  row(/^Block request didn't give us a dma buffer/, 'a block request needs the reply buffer the guest bound on the block page\'s key', ['§4.3 step 2'], SRC.handleBlockOutput),
  row(/^Write past end /, 'a block write may not go past the end of the disk', ['§4.3 step 3'], SRC.handleBlockOutput),
  row(/Invalid address -?\d+/, 'every address the guest hands its Launcher must be below the top of its memory', ['§4.1', '§7.39'], SRC.checkPointer),
  row(/^Triggering irq /, 'the Launcher\'s LHREQ_IRQ write failed', ['§4.1'], SRC.triggerIrq),
  row(/^too many devices/, 'the descriptor page has room for 16 devices', ['§4.1'], SRC.newDevDesc),
  row(/^No free slots in network file /, 'every MAC slot of the shared network page is taken', ['§4.4'], SRC.findSlot),
  row(/^Initializing guest: /, 'the Host refused LHREQ_INITIALIZE', ['§3.1'], SRC.tellKernel),
];

/**
 * Anything else is a dead guest's reason: the Launcher's read() returned it
 * and the Launcher printed it and exited (spec §3.3).
 */
export function exitRule(message: string): ReasonRule {
  for (const [re, rule] of EXITS) if (re.test(message)) return rule;
  const kill = killRule(message);
  return { why: `its guest was killed (${kill.why}); read() returned the reason and the Launcher printed it`, spec: ['§3.2', '§3.3'], source: SRC.launcherRunGuest, guestDiedFirst: true };
}
