/**
 * Every constant of lguest_launcher.h (the seed) plus the hypercall numbers of
 * lguest.h, spelled as the headers spell them so a grep finds both the C and
 * the TS. Values: spec §1.1 and §1.2.
 */

// ---- lguest_launcher.h -------------------------------------------------
/** Binding slots per guest: arrays of lguest_dma registered with BIND_DMA. */
export const LGUEST_MAX_DMA = 32;
/** addr/len pairs in one struct lguest_dma. */
export const LGUEST_MAX_DMA_SECTIONS = 16;
/** Descriptor slots in the device page ("assume two dma arrays per device"). */
export const LGUEST_MAX_DEVICES = LGUEST_MAX_DMA / 2;
/** Key the Host expects console output on (and, in practice, input: spec §8). */
export const LGUEST_CONSOLE_DMA_KEY = 0;

export const LGUEST_DEVICE_T_CONSOLE = 1;
export const LGUEST_DEVICE_T_NET = 2;
export const LGUEST_DEVICE_T_BLOCK = 3;

/** Net feature: don't bother checksumming. */
export const LGUEST_NET_F_NOCSUM = 0x4000;
/** Any device: its IRQ timing is fairly random (entropy). */
export const LGUEST_DEVICE_F_RANDOMNESS = 0x8000;

export const LGUEST_DEVICE_S_ACKNOWLEDGE = 1;
export const LGUEST_DEVICE_S_DRIVER = 2;
export const LGUEST_DEVICE_S_DRIVER_OK = 4;
export const LGUEST_DEVICE_S_REMOVED = 8;
export const LGUEST_DEVICE_S_REMOVED_ACK = 16;
export const LGUEST_DEVICE_S_FAILED = 128;

/** enum lguest_req: the first word of every write() to /dev/lguest (spec §3.1). */
export const LHREQ_INITIALIZE = 0;
export const LHREQ_GETDMA = 1;
export const LHREQ_IRQ = 2;
export const LHREQ_BREAK = 3;

// ---- lguest.h (spec §1.2) ----------------------------------------------
export const LHCALL_FLUSH_ASYNC = 0;
export const LHCALL_LGUEST_INIT = 1;
export const LHCALL_CRASH = 2;
export const LHCALL_LOAD_GDT = 3;
export const LHCALL_NEW_PGTABLE = 4;
export const LHCALL_FLUSH_TLB = 5;
export const LHCALL_LOAD_IDT_ENTRY = 6;
export const LHCALL_SET_STACK = 7;
export const LHCALL_TS = 8;
export const LHCALL_SET_CLOCKEVENT = 9;
export const LHCALL_HALT = 10;
export const LHCALL_GET_WALLCLOCK = 11;
export const LHCALL_BIND_DMA = 12;
export const LHCALL_SEND_DMA = 13;
export const LHCALL_SET_PTE = 14;
export const LHCALL_SET_PMD = 15;
export const LHCALL_LOAD_TLS = 16;

/** Software interrupt a guest uses to make a hypercall (0x1F). */
export const LGUEST_TRAP_ENTRY = 0x1f;
/** Slots of the async hypercall ring in lguest_data. */
export const LHCALL_RING_SIZE = 64;
/** min(NR_IRQS, 32) on any normal i386 config (spec §1.2, inferred). */
export const LGUEST_IRQS = 32;
/** Guests one Host holds (MAX_LGUEST_GUESTS, spec §1.3). */
export const MAX_LGUEST_GUESTS = 16;

// ---- machine facts the spec fixes ---------------------------------------
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
/** Bytes of one disk sector: lguest_blk and the Launcher's block device count in these (spec §4.3, §5.3). */
export const SECTOR_SIZE = 512;
/** irq_enabled value meaning "interrupts on" (X86_EFLAGS_IF). */
export const X86_EFLAGS_IF = 0x200;

/** Hypercall names by number, for decoders and the scripted-guest `call` field. */
export const HYPERCALL_NAMES: Readonly<Record<number, string>> = {
  [LHCALL_FLUSH_ASYNC]: 'FLUSH_ASYNC',
  [LHCALL_LGUEST_INIT]: 'LGUEST_INIT',
  [LHCALL_CRASH]: 'CRASH',
  [LHCALL_LOAD_GDT]: 'LOAD_GDT',
  [LHCALL_NEW_PGTABLE]: 'NEW_PGTABLE',
  [LHCALL_FLUSH_TLB]: 'FLUSH_TLB',
  [LHCALL_LOAD_IDT_ENTRY]: 'LOAD_IDT_ENTRY',
  [LHCALL_SET_STACK]: 'SET_STACK',
  [LHCALL_TS]: 'TS',
  [LHCALL_SET_CLOCKEVENT]: 'SET_CLOCKEVENT',
  [LHCALL_HALT]: 'HALT',
  [LHCALL_GET_WALLCLOCK]: 'GET_WALLCLOCK',
  [LHCALL_BIND_DMA]: 'BIND_DMA',
  [LHCALL_SEND_DMA]: 'SEND_DMA',
  [LHCALL_SET_PTE]: 'SET_PTE',
  [LHCALL_SET_PMD]: 'SET_PMD',
  [LHCALL_LOAD_TLS]: 'LOAD_TLS',
};

export const LHREQ_NAMES: Readonly<Record<number, string>> = {
  [LHREQ_INITIALIZE]: 'LHREQ_INITIALIZE',
  [LHREQ_GETDMA]: 'LHREQ_GETDMA',
  [LHREQ_IRQ]: 'LHREQ_IRQ',
  [LHREQ_BREAK]: 'LHREQ_BREAK',
};

export const DEVICE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'empty',
  [LGUEST_DEVICE_T_CONSOLE]: 'console',
  [LGUEST_DEVICE_T_NET]: 'net',
  [LGUEST_DEVICE_T_BLOCK]: 'block',
};

/** Status bits in ascending order, for chips and decoders. */
export const DEVICE_STATUS_BITS: readonly (readonly [number, string])[] = [
  [LGUEST_DEVICE_S_ACKNOWLEDGE, 'ACKNOWLEDGE'],
  [LGUEST_DEVICE_S_DRIVER, 'DRIVER'],
  [LGUEST_DEVICE_S_DRIVER_OK, 'DRIVER_OK'],
  [LGUEST_DEVICE_S_REMOVED, 'REMOVED'],
  [LGUEST_DEVICE_S_REMOVED_ACK, 'REMOVED_ACK'],
  [LGUEST_DEVICE_S_FAILED, 'FAILED'],
];

export const DEVICE_FEATURE_BITS: readonly (readonly [number, string])[] = [
  [LGUEST_NET_F_NOCSUM, 'NOCSUM'],
  [LGUEST_DEVICE_F_RANDOMNESS, 'RANDOMNESS'],
];

/** The header's constants by name, as `abi --json` prints them. */
export const HEADER_CONSTANTS: Readonly<Record<string, number>> = {
  LGUEST_MAX_DMA,
  LGUEST_MAX_DMA_SECTIONS,
  LGUEST_MAX_DEVICES,
  LGUEST_CONSOLE_DMA_KEY,
  LGUEST_DEVICE_T_CONSOLE,
  LGUEST_DEVICE_T_NET,
  LGUEST_DEVICE_T_BLOCK,
  LGUEST_NET_F_NOCSUM,
  LGUEST_DEVICE_F_RANDOMNESS,
  LGUEST_DEVICE_S_ACKNOWLEDGE,
  LGUEST_DEVICE_S_DRIVER,
  LGUEST_DEVICE_S_DRIVER_OK,
  LGUEST_DEVICE_S_REMOVED,
  LGUEST_DEVICE_S_REMOVED_ACK,
  LGUEST_DEVICE_S_FAILED,
  LHREQ_INITIALIZE,
  LHREQ_GETDMA,
  LHREQ_IRQ,
  LHREQ_BREAK,
};

/** lguest.h hypercall numbers by their LHCALL_ name. */
export const HYPERCALL_CONSTANTS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(HYPERCALL_NAMES).map(([n, name]) => [`LHCALL_${name}`, Number(n)]),
);
