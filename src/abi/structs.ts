/**
 * The one declarative table of lguest's structs (ground rule 1).
 *
 * Each struct is written once, as the header declares it: field name, C type,
 * array length. Offsets, sizes and alignment for each ABI are *computed* from
 * this table by `layout.ts` with the C rules; every reader, writer, the UI's
 * decoders and the `abi` CLI dump derive from it, and `gcc-crosscheck.test.ts`
 * compiles the same declarations with gcc -m32/-m64 to prove the offsets.
 *
 * Sources: ../shared/seed/lguest_launcher.h (the header we simulate; note its
 * lguest_dma puts len[] before addr[], unlike upstream v2.6.23 — spec §0.1) and
 * include/linux/lguest.h for lguest_data / hcall_ring (spec §1.3).
 */
import type { CType } from './ctypes.ts';
import { LGUEST_MAX_DMA_SECTIONS, LHCALL_RING_SIZE } from './constants.ts';

export interface FieldDecl {
  readonly name: string;
  /** A C scalar type, or a struct of this table (a nested struct, laid out by the same rules). */
  readonly ctype: CType | StructDecl;
  /** Array length; absent for a scalar. */
  readonly count?: number;
}

export interface StructDecl {
  readonly name: string;
  /** Which header (or source file) declares it (the gcc cross-check prints this in its C file). */
  readonly header: 'lguest_launcher.h' | 'lguest.h' | 'lguest_user.c' | 'lguest-lab';
  readonly fields: readonly FieldDecl[];
}

/** A field whose type is a struct of the table. */
export const isStructType = (t: CType | StructDecl): t is StructDecl => typeof t !== 'string';

const f = (name: string, ctype: CType | StructDecl, count?: number): FieldDecl => (count === undefined ? { name, ctype } : { name, ctype, count });

/** lguest_launcher.h struct lguest_dma (seed order: used_len, len[], addr[]); spec §1.3. */
export const LGUEST_DMA: StructDecl = {
  name: 'lguest_dma',
  header: 'lguest_launcher.h',
  fields: [f('used_len', '__u32'), f('len', '__u16', LGUEST_MAX_DMA_SECTIONS), f('addr', 'unsigned long', LGUEST_MAX_DMA_SECTIONS)],
};

/** lguest_launcher.h struct lguest_block_page; spec §1.3, §4.3. */
export const LGUEST_BLOCK_PAGE: StructDecl = {
  name: 'lguest_block_page',
  header: 'lguest_launcher.h',
  fields: [f('type', 'int'), f('sector', '__u32'), f('bytes', '__u32'), f('result', 'int'), f('num_sectors', '__u32')],
};

/** lguest_launcher.h struct lguest_net: one MAC slot of the shared net page; spec §4.4. */
export const LGUEST_NET: StructDecl = {
  name: 'lguest_net',
  header: 'lguest_launcher.h',
  fields: [f('mac', 'unsigned char', 6)],
};

/** lguest_launcher.h struct lguest_device_desc; spec §1.3, §5.1. */
export const LGUEST_DEVICE_DESC: StructDecl = {
  name: 'lguest_device_desc',
  header: 'lguest_launcher.h',
  fields: [f('type', '__u16'), f('features', '__u16'), f('status', '__u16'), f('num_pages', '__u16'), f('pfn', '__u32')],
};

/** lguest.h struct hcall_ring: one queued async hypercall; spec §1.3. */
export const HCALL_RING: StructDecl = {
  name: 'hcall_ring',
  header: 'lguest.h',
  fields: [f('eax', '__u32'), f('edx', '__u32'), f('ebx', '__u32'), f('ecx', '__u32')],
};

/**
 * lguest.h struct lguest_data: the page the guest shares with the Host
 * (LHCALL_LGUEST_INIT); spec §1.3. `hcalls` is `struct hcall_ring
 * hcalls[LHCALL_RING_SIZE]`, as lguest.h declares it.
 */
export const LGUEST_DATA: StructDecl = {
  name: 'lguest_data',
  header: 'lguest.h',
  fields: [
    f('irq_enabled', 'unsigned int'),
    f('blocked_interrupts', 'unsigned long', 1),
    f('cr2', 'unsigned long'),
    f('hcall_status', '__u8', LHCALL_RING_SIZE),
    f('hcalls', HCALL_RING, LHCALL_RING_SIZE),
    f('reserve_mem', 'unsigned long'),
    f('guestid', '__u16'),
    f('tsc_khz', '__u32'),
    f('noirq_start', 'unsigned long'),
    f('noirq_end', 'unsigned long'),
  ],
};

/**
 * lguest-lab's own record of one simulation event, as written to the shared
 * event ring the UI reads (not an lguest struct; it lives here so the ring is
 * decoded by the same machinery). `kind` is an EventKind code (src/hw/events.ts).
 */
export const SIM_EVENT: StructDecl = {
  name: 'sim_event',
  header: 'lguest-lab',
  fields: [f('kind', '__u32'), f('guest', '__u32'), f('time', '__u32'), f('a', '__u32'), f('b', '__u32'), f('c', '__u32'), f('d', '__u32'), f('e', '__u32')],
};

/**
 * lguest-lab's record of one DMA binding slot (the Host's `lguest_dma_info`,
 * spec §1.3: not ABI in lguest, but kept as a table in shared memory so the UI
 * shows bound keys straight from the Host's own state). `interrupt` 0 = free.
 * `shared` is 0 for a private key, else 1 + the shared object's id; `ident`
 * is the in-object byte offset (shared) or the gpa (private): with `shared`
 * and `guest` it is the futex-key identity (spec §2.2).
 */
export const SIM_BINDING: StructDecl = {
  name: 'sim_binding',
  header: 'lguest-lab',
  fields: [f('key', '__u32'), f('dmas', '__u32'), f('num_dmas', '__u32'), f('next_dma', '__u32'), f('interrupt', '__u32'), f('shared', '__u32'), f('ident', '__u32'), f('seq', '__u32')],
};

/**
 * lguest-lab's live-state block: the worker writes it after every slice of
 * work, the UI reads it every animation frame (shared memory, no messages).
 * Per-guest arrays are indexed by guest (MAX_LGUEST_GUESTS = 16 entries).
 * `seq` changes whenever anything else does; `fault` is 1 after an exception
 * escaped the simulation (SimApi.fault() says what). Run states: 0 running,
 * 1 halted, 2 in the Launcher, 3 done, 4 dead.
 */
export const SIM_LIVE: StructDecl = {
  name: 'sim_live',
  header: 'lguest-lab',
  fields: [
    f('seq', '__u32'),
    f('events', '__u32'),
    f('recorded', '__u32'),
    f('view', '__u32'),
    f('time', '__u32'),
    f('quanta', '__u32'),
    f('running', '__u32'),
    f('suspended', '__u32'),
    f('events_per_sec', '__u32'),
    f('guest_count', '__u32'),
    f('chunk_count', '__u32'),
    f('inputs_pending', '__u32'),
    f('hash_hi', '__u32'),
    f('hash_lo', '__u32'),
    f('hash_seq', '__u32'),
    f('fault', '__u32'),
    f('run_state', '__u32', 16),
    f('pending_irqs', '__u32', 16),
    f('tty_pending', '__u32', 16),
    f('stdout_chunks', '__u32', 16),
    f('console_seq', '__u32', 16),
    // Issue #15: the bounded event log's slots (3 words each: chunk + 1, kept [lo, hi)), and
    // change counters of the timeline bins and the panels' facts.
    f('event_dir', '__u32', 48),
    f('bins_seq', '__u32'),
    f('facts_seq', '__u32'),
  ],
};

/**
 * lguest_user.c initialize(): the `u32 args[4]` the Launcher writes after
 * LHREQ_INITIALIZE (the seed's 4-word form, spec §0.1, §3.1); initialize()
 * returns sizeof(args).
 */
export const LHREQ_INITIALIZE_ARGS: StructDecl = {
  name: 'lhreq_initialize_args',
  header: 'lguest_user.c',
  fields: [f('pfnlimit', '__u32'), f('pgdir', '__u32'), f('start', '__u32'), f('pageoffset', '__u32')],
};

/**
 * lguest_user.c run_guest(): what read() puts in the Launcher's buffer when
 * the guest sent to a private key, put_user(pending_dma, user) and
 * put_user(pending_key, user+1) on an `unsigned long *`; read() returns
 * sizeof(unsigned long)*2 (spec §3.2).
 */
export const READ_PENDING_DMA: StructDecl = {
  name: 'read_pending_dma',
  header: 'lguest_user.c',
  fields: [f('dma', 'unsigned long'), f('key', 'unsigned long')],
};

/**
 * The header of the frames the built-in kernel puts on the --sharenet wire
 * (guest/kernel/packet.ts): Ethernet II, then lguest-lab's own tiny protocol.
 * Multi-byte fields are network order, hence __be16.
 */
export const LAB_PACKET_HEADER: StructDecl = {
  name: 'lab_packet_header',
  header: 'lguest-lab',
  fields: [f('dst', '__u8', 6), f('src', '__u8', 6), f('ethertype', '__be16'), f('op', '__u8'), f('version', '__u8'), f('seq', '__be16'), f('len', '__be16')],
};

/** The structs of the seed header, in header order (what `abi --json` and the gcc check cover). */
export const HEADER_STRUCTS: readonly StructDecl[] = [LGUEST_DMA, LGUEST_BLOCK_PAGE, LGUEST_NET, LGUEST_DEVICE_DESC];
/** Every struct of the table. */
export const ALL_STRUCTS: readonly StructDecl[] = [...HEADER_STRUCTS, HCALL_RING, LGUEST_DATA, LHREQ_INITIALIZE_ARGS, READ_PENDING_DMA, LAB_PACKET_HEADER, SIM_EVENT, SIM_BINDING, SIM_LIVE];
