/**
 * Where in Linux v2.6.23 each thing a caption describes is done: the file and
 * function, with a link into a public source browser of that exact release
 * (Bootlin's Elixir). Names were checked against the v2.6.23 sources
 * (drivers/lguest/*.c, Documentation/lguest/lguest.c, the guest drivers).
 */

export interface SourceRef {
  /** Path in the v2.6.23 tree. */
  readonly file: string;
  /** The function (or macro) that does it. */
  readonly fn: string;
  /** A link to it in a source browser of v2.6.23. */
  readonly url: string;
}

const ELIXIR = 'https://elixir.bootlin.com/linux/v2.6.23';

/**
 * Names an identifier search would not pin down: defined in more than one of
 * the files we cite (get_dma_buffer is both io.c's and the Launcher's,
 * initialize both hypercalls.c's and lguest_user.c's, run_guest both core.c's
 * and the Launcher's) or common words (read, write). These link the file.
 */
const AMBIGUOUS: ReadonlySet<string> = new Set(['read', 'write', 'initialize', 'run_guest', 'get_dma_buffer', 'close']);

export function sourceRef(file: string, fn: string): SourceRef {
  const url = AMBIGUOUS.has(fn) ? `${ELIXIR}/source/${file}` : `${ELIXIR}/C/ident/${encodeURIComponent(fn)}`;
  return { file, fn, url };
}

const IO = 'drivers/lguest/io.c';
const HCALLS = 'drivers/lguest/hypercalls.c';
const USER = 'drivers/lguest/lguest_user.c';
const IRQS = 'drivers/lguest/interrupts_and_traps.c';
const CORE = 'drivers/lguest/core.c';
const LG_H = 'drivers/lguest/lg.h';
const LAUNCHER = 'Documentation/lguest/lguest.c';
const BUS = 'drivers/lguest/lguest_bus.c';

/** The functions captions cite, by what they do. */
export const SRC = {
  // Host: the DMA engine (io.c).
  bindDma: sourceRef(IO, 'bind_dma'),
  unbindDma: sourceRef(IO, 'unbind_dma'),
  sendDma: sourceRef(IO, 'send_dma'),
  dmaTransfer: sourceRef(IO, 'dma_transfer'),
  checkDmaList: sourceRef(IO, 'check_dma_list'),
  copyData: sourceRef(IO, 'copy_data'),
  lgreadOther: sourceRef(IO, 'lgread_other'),
  lgwriteOther: sourceRef(IO, 'lgwrite_other'),
  doDma: sourceRef(IO, 'do_dma'),
  hostGetDmaBuffer: sourceRef(IO, 'get_dma_buffer'),
  // Host: hypercalls (hypercalls.c) and what they call.
  doHcall: sourceRef(HCALLS, 'do_hcall'),
  doAsyncHcalls: sourceRef(HCALLS, 'do_async_hcalls'),
  hcallInitialize: sourceRef(HCALLS, 'initialize'),
  loadGuestGdt: sourceRef('drivers/lguest/segments.c', 'load_guest_gdt'),
  guestLoadTls: sourceRef('drivers/lguest/segments.c', 'guest_load_tls'),
  guestNewPagetable: sourceRef('drivers/lguest/page_tables.c', 'guest_new_pagetable'),
  guestSetPte: sourceRef('drivers/lguest/page_tables.c', 'guest_set_pte'),
  guestSetPmd: sourceRef('drivers/lguest/page_tables.c', 'guest_set_pmd'),
  guestPagetableClearAll: sourceRef('drivers/lguest/page_tables.c', 'guest_pagetable_clear_all'),
  loadGuestIdtEntry: sourceRef(IRQS, 'load_guest_idt_entry'),
  guestSetStack: sourceRef(IRQS, 'guest_set_stack'),
  guestSetClockevent: sourceRef(IRQS, 'guest_set_clockevent'),
  maybeDoInterrupt: sourceRef(IRQS, 'maybe_do_interrupt'),
  killGuest: sourceRef(LG_H, 'kill_guest'),
  lguestAddressOk: sourceRef(CORE, 'lguest_address_ok'),
  lgread: sourceRef(CORE, 'lgread'),
  lgwrite: sourceRef(CORE, 'lgwrite'),
  hostRunGuest: sourceRef(CORE, 'run_guest'),
  // /dev/lguest (lguest_user.c).
  devRead: sourceRef(USER, 'read'),
  devWrite: sourceRef(USER, 'write'),
  devInitialize: sourceRef(USER, 'initialize'),
  userGetDma: sourceRef(USER, 'user_get_dma'),
  userSendIrq: sourceRef(USER, 'user_send_irq'),
  breakGuestOut: sourceRef(USER, 'break_guest_out'),
  // The Launcher (Documentation/lguest/lguest.c).
  launcherRunGuest: sourceRef(LAUNCHER, 'run_guest'),
  handleOutput: sourceRef(LAUNCHER, 'handle_output'),
  handleConsoleOutput: sourceRef(LAUNCHER, 'handle_console_output'),
  handleConsoleInput: sourceRef(LAUNCHER, 'handle_console_input'),
  handleBlockOutput: sourceRef(LAUNCHER, 'handle_block_output'),
  handleTunOutput: sourceRef(LAUNCHER, 'handle_tun_output'),
  handleInput: sourceRef(LAUNCHER, 'handle_input'),
  wakeParent: sourceRef(LAUNCHER, 'wake_parent'),
  dma2iov: sourceRef(LAUNCHER, 'dma2iov'),
  checkPointer: sourceRef(LAUNCHER, '_check_pointer'),
  newDevDesc: sourceRef(LAUNCHER, 'new_dev_desc'),
  findSlot: sourceRef(LAUNCHER, 'find_slot'),
  guestPagetableFlushUser: sourceRef('drivers/lguest/page_tables.c', 'guest_pagetable_flush_user'),
  tellKernel: sourceRef(LAUNCHER, 'tell_kernel'),
  launcherGetDmaBuffer: sourceRef(LAUNCHER, 'get_dma_buffer'),
  triggerIrq: sourceRef(LAUNCHER, 'trigger_irq'),
  // The guest's side.
  addLguestDevice: sourceRef(BUS, 'add_lguest_device'),
  lguestDevProbe: sourceRef(BUS, 'lguest_dev_probe'),
  lguestSendDma: sourceRef('drivers/lguest/lguest.c', 'lguest_send_dma'),
} as const satisfies Record<string, SourceRef>;
