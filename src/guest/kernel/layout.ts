/**
 * Where the built-in kernel keeps its data in guest RAM, and the layouts of
 * the structs it touches.
 *
 * Everything sits below KERNEL_END (0xe010): inside the 64 KiB of a
 * scenario's smallest guest, so well below the brief's 0x80000 bound.
 * lguest_data is at gpa 0 (LHCALL_LGUEST_INIT a1 = 0); page 1 stays free
 * because the real Launcher puts the kernel command line there (spec §1.4).
 * lguest_dma structs are spaced 0x100 apart so the x86_64 layout
 * (168 bytes, spec §1.3) fits as well as the i386 one (100 bytes).
 *
 * The kernel's private records (klog header, line editor, net counters) are
 * declared with the same StructDecl table as the ABI structs, so their
 * offsets come from layoutOf() like everything else (STYLE: one table).
 */
import type { Arch } from '../../abi/ctypes.ts';
import { layoutOf, type StructLayout } from '../../abi/layout.ts';
import { LGUEST_BLOCK_PAGE, LGUEST_DATA, LGUEST_DEVICE_DESC, LGUEST_DMA, LGUEST_NET, type StructDecl } from '../../abi/structs.ts';

// ---- kernel-private records ---------------------------------------------

/** The kernel log ring's header; the bytes follow at KLOG_DATA. `head` counts every byte ever logged. */
export const KLOG_HEADER: StructDecl = {
  name: 'lguest_lab_klog',
  header: 'lguest-lab',
  fields: [
    { name: 'head', ctype: '__u32' },
    { name: 'size', ctype: '__u32' },
  ],
};

/** Console line editor: the line being typed (hvc/tty line discipline, spec §5.2). */
export const LINE_BYTES = 256;
export const LINE_EDITOR: StructDecl = {
  name: 'lguest_lab_line',
  header: 'lguest-lab',
  fields: [
    { name: 'len', ctype: '__u16' },
    /** Bit 0: the last byte was '\r' (so a following '\n' is the same Enter). */
    { name: 'flags', ctype: '__u16' },
    { name: 'buf', ctype: '__u8', count: LINE_BYTES },
  ],
};

/** eth0's counters (struct net_device_stats, reduced). */
export const NET_STATS: StructDecl = {
  name: 'lguest_lab_net_stats',
  header: 'lguest-lab',
  fields: [
    { name: 'rx_packets', ctype: '__u32' },
    { name: 'rx_bytes', ctype: '__u32' },
    { name: 'rx_dropped', ctype: '__u32' },
    { name: 'tx_packets', ctype: '__u32' },
    { name: 'tx_bytes', ctype: '__u32' },
    { name: 'tx_carrier_errors', ctype: '__u32' },
  ],
};

/** Every layout the kernel uses, for one ABI. */
export interface KernelLayouts {
  readonly arch: Arch;
  readonly data: StructLayout;
  readonly dma: StructLayout;
  readonly desc: StructLayout;
  readonly blockPage: StructLayout;
  readonly net: StructLayout;
  readonly klog: StructLayout;
  readonly line: StructLayout;
  readonly stats: StructLayout;
}

export function kernelLayouts(arch: Arch): KernelLayouts {
  return {
    arch,
    data: layoutOf(LGUEST_DATA, arch),
    dma: layoutOf(LGUEST_DMA, arch),
    desc: layoutOf(LGUEST_DEVICE_DESC, arch),
    blockPage: layoutOf(LGUEST_BLOCK_PAGE, arch),
    net: layoutOf(LGUEST_NET, arch),
    klog: layoutOf(KLOG_HEADER, arch),
    line: layoutOf(LINE_EDITOR, arch),
    stats: layoutOf(NET_STATS, arch),
  };
}

// ---- the memory map ----------------------------------------------------------

/** All kernel data lives below this (the brief's bound for a 1 MiB guest). */
export const KERNEL_LIMIT = 0x80000;

/** struct lguest_data, handed to the Host with LHCALL_LGUEST_INIT (spec §1.2, §1.3). */
export const LGUEST_DATA_GPA = 0x0;
/** Left alone: the Launcher's boot command line (spec §1.4). */
export const BOOT_CMDLINE_GPA = 0x1000;

/** hvc_lguest: the lguest_dma each console write sends to key 0 (spec §5.2). */
export const CON_TX_DMA = 0x2000;
/** hvc_lguest: the one lguest_dma bound at key 0 for input (spec §5.2). */
export const CON_RX_DMA = 0x2100;
/** The line being typed (LINE_EDITOR). */
export const LINE_EDITOR_GPA = 0x2200;
/** Output chunk buffer: hvc's 256-byte output size (spec §5.2). */
export const CON_TX_BUF = 0x2400;
export const CON_TX_BYTES = 256;
/** The static 256-byte input buffer (spec §5.2). */
export const CON_RX_BUF = 0x2500;
export const CON_RX_BYTES = 256;

/** lguest_blk: the one-entry reply array bound at the block page's key (spec §5.3). */
export const BLK_REPLY_DMA = 0x3000;
/** lguest_blk: the fresh struct a write sends (spec §5.3). */
export const BLK_REQ_DMA = 0x3100;
/** lguest_blk: the empty struct a read sends as a ping (spec §5.3). */
export const BLK_PING_DMA = 0x3200;
/** `poke-dma`: an empty struct sent to an arbitrary key (teaching, spec §2.2). */
export const POKE_DMA = 0x3300;
/** Block data: page-aligned, so each page is one section (queue limit: no segment crosses a page). */
export const BLK_BUF = 0x4000;
export const BLK_BUF_BYTES = 0x2000;

/** lguest_net: the 8 receive lguest_dma structs bound at peer_phys + 4·me (spec §5.4). */
export const NET_RX_DMAS = 0x6000;
export const NET_RX_BUFFERS = 8;
/** ETH_HLEN + ETH_DATA_LEN (spec §5.4). */
export const NET_BUF_BYTES = 1514;
/** The struct every transmit sends. */
export const NET_TX_DMA = 0x6600;
/** NET_STATS. */
export const NET_STATS_GPA = 0x6700;
/** The frame being transmitted (one section: it does not cross a page). */
export const NET_TX_BUF = 0x6800;
/** 8 × 1514 bytes back to back, so some buffers cross a page and need two sections (spec §5.4). */
export const NET_RX_BUFS = 0x7000;

/** Kernel log ring: KLOG_HEADER then KLOG_BYTES of text (read by `dmesg`). */
export const KLOG_GPA = 0xa000;
export const KLOG_DATA = 0xa010;
export const KLOG_BYTES = 0x4000;

/** End of kernel data: below 64 KiB, the smallest guest a scenario may ask for (src/scenario/scenario.ts MIN_GUEST_MEMORY). */
export const KERNEL_END = KLOG_DATA + KLOG_BYTES;

/** One named region, for tests, docs and the UI's memory view. */
export interface KernelRegion {
  readonly name: string;
  readonly gpa: number;
  readonly bytes: number;
  /** True when the region must not cross a 4096-byte page (it is one DMA section). */
  readonly onePage?: boolean;
}

/** The memory map for one ABI (struct sizes differ between i386 and x86_64). */
export function kernelRegions(arch: Arch): readonly KernelRegion[] {
  const L = kernelLayouts(arch);
  return [
    { name: 'lguest_data', gpa: LGUEST_DATA_GPA, bytes: L.data.size },
    { name: 'boot command line (Launcher)', gpa: BOOT_CMDLINE_GPA, bytes: 0x1000 },
    { name: 'console tx lguest_dma', gpa: CON_TX_DMA, bytes: L.dma.size },
    { name: 'console rx lguest_dma (key 0)', gpa: CON_RX_DMA, bytes: L.dma.size },
    { name: 'line editor', gpa: LINE_EDITOR_GPA, bytes: L.line.size },
    { name: 'console tx buffer', gpa: CON_TX_BUF, bytes: CON_TX_BYTES, onePage: true },
    { name: 'console rx buffer', gpa: CON_RX_BUF, bytes: CON_RX_BYTES, onePage: true },
    { name: 'block reply lguest_dma', gpa: BLK_REPLY_DMA, bytes: L.dma.size },
    { name: 'block request lguest_dma', gpa: BLK_REQ_DMA, bytes: L.dma.size },
    { name: 'block ping lguest_dma', gpa: BLK_PING_DMA, bytes: L.dma.size },
    { name: 'poke-dma lguest_dma', gpa: POKE_DMA, bytes: L.dma.size },
    { name: 'block data buffer', gpa: BLK_BUF, bytes: BLK_BUF_BYTES },
    { name: 'net rx lguest_dma[8]', gpa: NET_RX_DMAS, bytes: NET_RX_BUFFERS * L.dma.size },
    { name: 'net tx lguest_dma', gpa: NET_TX_DMA, bytes: L.dma.size },
    { name: 'net stats', gpa: NET_STATS_GPA, bytes: L.stats.size },
    { name: 'net tx frame', gpa: NET_TX_BUF, bytes: NET_BUF_BYTES, onePage: true },
    { name: 'net rx buffers', gpa: NET_RX_BUFS, bytes: NET_RX_BUFFERS * NET_BUF_BYTES },
    { name: 'klog header', gpa: KLOG_GPA, bytes: L.klog.size },
    { name: 'klog ring', gpa: KLOG_DATA, bytes: KLOG_BYTES },
  ];
}
