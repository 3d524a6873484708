/**
 * The words a student meets on the page, each explained in one to three
 * sentences of our own, with the spec section it comes from
 * (../shared/spec/lguest-io.md). `splitTerms` finds them in a sentence so the
 * page can offer each explanation where the word appears (a caption, a
 * heading).
 */

export interface GlossaryEntry {
  /** Stable id (data-term in the page). */
  readonly id: string;
  /** The word as a heading shows it. */
  readonly term: string;
  /** Other spellings that mean the same thing in running text (matched whole, case-sensitive). */
  readonly aliases: readonly string[];
  /** One to three sentences. */
  readonly text: string;
  /** Where the spec says it. */
  readonly spec: string;
}

const entry = (id: string, term: string, aliases: readonly string[], spec: string, text: string): GlossaryEntry => ({ id, term, aliases, text, spec });

export const GLOSSARY: readonly GlossaryEntry[] = [
  entry('hypercall', 'hypercall', ['hypercalls', 'Hypercall'], '§1.2',
    'A call from the guest kernel into the Host, like a system call one level down. The guest puts the call number in %eax and up to three arguments in %edx, %ebx and %ecx, then raises software interrupt 0x1F; a number the Host does not know kills the guest.'),
  entry('host', 'Host', [], '§2, §3',
    'The Linux kernel with the lguest module loaded. It runs each guest, carries out its hypercalls, copies DMA between guests that share memory and delivers their interrupts.'),
  entry('guest', 'guest', ['guests'], '§1.4, §5',
    'A Linux kernel running under lguest. It sees its own memory from address 0 and reaches devices only through hypercalls and memory its Launcher set up.'),
  entry('launcher', 'Launcher', ["Launcher's", 'Launchers'], '§3.3, §4',
    'The ordinary program that starts one guest: it lays out the guest\'s memory, creates its devices and runs it by reading /dev/lguest. The console and block devices are served here, in userspace, not in the Host kernel.'),
  entry('waker', 'Waker', [], '§3.3',
    'A child process of the Launcher that waits for input on the device files (the terminal, for one). When input arrives it writes LHREQ_BREAK 1 so the running guest stops and the Launcher can serve the input, and it stays blocked in that write until the Launcher writes BREAK 0.'),
  entry('dev-lguest', '/dev/lguest', [], '§3',
    'The character device between a Launcher and the Host. read() runs the guest until it sends DMA to the Launcher, is stopped by BREAK or dies; write() carries a request word (LHREQ_*) and its arguments.'),
  entry('gpa', 'guest-physical address', ['gpa'], 'conventions, §1.4',
    'An address in the guest\'s memory counted from its start. The Launcher maps the guest\'s memory at its own address 0, so the same number is also the Launcher\'s address for those bytes.'),
  entry('private-key', 'private key', ['private keys'], '§2.2, §2.4 step 2, §7.2',
    'A key in memory only this guest has: its RAM or the device pages its Launcher made. A SEND_DMA to a private key always goes to the guest\'s own Launcher, whose read() returns it; the Host never looks at bindings for it.'),
  entry('shared-key', 'shared key', ['shared keys'], '§2.2, §2.4 step 3, §7.3-5',
    'A key in a page several guests map from the same file, such as the --sharenet page. A send to it goes to the newest binding of the same page and offset made by another guest, and to that one only; if nobody else bound it, nothing happens.'),
  entry('key', 'key', ['keys'], '§2.2',
    'What a guest sends DMA to and binds receive buffers on: a guest-physical address, 4-byte aligned. The Host turns it into a futex key, so what counts is the memory it names, not the number.'),
  entry('futex-trick', 'Futex Trick', [], '§2.2, §7.5',
    'lguest borrows the futex code\'s way of naming memory. A key in a shared page is known by (file, page, offset in the page), so two guests\' keys match even when they map that page at different addresses.'),
  entry('lguest-dma', 'lguest_dma', ['struct lguest_dma'], '§1.3',
    'The struct that describes one buffer: used_len, then up to 16 sections, each an address and a length; the list ends at the first zero length. SEND_DMA takes one; BIND_DMA takes an array of them.'),
  entry('used-len', 'used_len', [], '§2.4, §7.6, §7.11',
    'The first word of a struct lguest_dma. 0 means the buffer is free; whoever fills it writes the number of bytes there, and a sender learns from its own used_len how much went through.'),
  entry('next-dma', 'next_dma', [], '§2.4 step 2, §7.7-8',
    'The Host\'s hint of which entry of a bound array to try first. It grows by one after every delivery, whichever entry was used, so it can lag behind; the Launcher\'s GETDMA ignores it.'),
  entry('binding', 'binding', ['bindings'], '§2.3',
    'An array of lguest_dma a guest registered on a key with BIND_DMA, together with the interrupt it wants when an entry is filled. Each guest has 32 binding slots.'),
  entry('bind-dma', 'BIND_DMA', ['LHCALL_BIND_DMA'], '§2.3, §7.19-21',
    'Hypercall 12: register an array of receive buffers on a key. %ecx packs (number of entries << 8) | irq, and irq 0 removes the binding instead; %eax comes back 1 on success, 0 on failure.'),
  entry('send-dma', 'SEND_DMA', ['LHCALL_SEND_DMA'], '§2.4, §7.1-4',
    'Hypercall 13: send the buffer one lguest_dma describes to a key. A private key hands it to the guest\'s Launcher; a shared key copies it into another guest\'s bound buffer. The result is in the struct\'s used_len, not in %eax.'),
  entry('getdma', 'GETDMA', ['LHREQ_GETDMA'], '§2.5, §3.1, §7.22-24',
    'The Launcher\'s request for a buffer its guest bound on a key. The Host scans that binding from its first entry for used_len 0 (taking the last entry if all are in use), writes the binding\'s irq into that entry\'s used_len and returns its address; with nothing bound it fails with ENOENT.'),
  entry('lhreq-irq', 'LHREQ_IRQ', [], '§3.1, §7.25',
    'The Launcher\'s request to set an interrupt pending in its guest, sent after it filled one of the guest\'s buffers. It neither runs nor wakes the guest by itself.'),
  entry('break', 'BREAK', ['LHREQ_BREAK'], '§3.1, §3.3, §7.27',
    'LHREQ_BREAK 1 stops the running guest so that the Launcher\'s read() returns EAGAIN; the process that wrote it (the Waker) stays blocked until LHREQ_BREAK 0.'),
  entry('initialize', 'LHREQ_INITIALIZE', [], '§3.1',
    'The Launcher\'s first write: the page limit, the initial page table, the entry point and the kernel\'s page offset. The Host creates the guest and returns 16.'),
  entry('irq', 'interrupt', ['interrupts', 'irq'], '§6, §7.29-31',
    'A guest has 32 virtual interrupt lines. The Host sets one pending and, at the next entry into the guest, delivers the lowest pending one that is not blocked, if the guest has interrupts on or is halted; device n uses irq n + 1 and irq 0 is the timer.'),
  entry('descriptor-page', 'descriptor page', ['descriptor', 'descriptors'], '§1.4, §5.1',
    'The page just above the guest\'s RAM where the Launcher lists up to 16 devices, 12 bytes each: type, features, status, pages and pfn. The guest\'s bus driver scans it at boot.'),
  entry('acknowledge', 'ACKNOWLEDGE', [], '§5.1',
    'Status bit 1 of a device descriptor: the guest\'s bus found the device in the descriptor page.'),
  entry('driver', 'DRIVER', [], '§5.1',
    'Status bit 2: the guest has a driver for this device type and is about to probe it.'),
  entry('driver-ok', 'DRIVER_OK', [], '§5.1',
    'Status bit 4: the driver\'s probe succeeded and the device is in use. Bit 128 (FAILED) says something went wrong instead.'),
  entry('lguest-data', 'lguest_data', ['struct lguest_data'], '§1.3',
    'A struct in guest memory that the guest and the Host both use: irq_enabled, blocked_interrupts, the async hypercall ring, and fields the Host fills at LGUEST_INIT (reserve_mem, tsc_khz, guestid).'),
  entry('async-ring', 'async ring', ['hypercall ring'], '§1.2',
    'Up to 64 hypercalls the guest queues in lguest_data instead of trapping for each. The Host runs them before every direct call, and stops early after a send to the Launcher.'),
  entry('block-page', 'block page', [], '§4.3, §5.3',
    'The block device\'s one page, a struct lguest_block_page: type, sector, bytes, result and num_sectors. The guest writes the request there; the Launcher answers with result 1 (done) or 2 (error).'),
  entry('mac-slots', 'MAC slots', ['MAC slot'], '§4.4',
    'The shared network page is an array of 6-byte MAC addresses, one slot per guest; the guest in slot i receives on key page + 4 × i.'),
  entry('ping', 'ping', [], '§2.4 notes, §7.12',
    'A send whose first length is 0. Nothing is copied and the receiving entry stays free, but the receiver\'s interrupt is still raised.'),
  entry('kill', 'kill', ['killed', 'kills'], '§2.1, §3.2, §7.18',
    'When a guest breaks a rule the Host records a reason and never runs it again; its Launcher\'s read() then fails with ENOENT and the next read() returns the reason. Only the first reason is kept.'),
];

const BY_ID: ReadonlyMap<string, GlossaryEntry> = new Map(GLOSSARY.map((e) => [e.id, e]));

export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return BY_ID.get(id);
}

export type TermPiece = string | { readonly id: string; readonly text: string };

/** Every surface form, longest first, so "private key" wins over "key" and "LHREQ_BREAK" over "BREAK". */
const FORMS: readonly (readonly [string, string])[] = GLOSSARY.flatMap((e) => [e.term, ...e.aliases].map((f) => [f, e.id] as const)).sort(
  (a, b) => b[0].length - a[0].length,
);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// Whole words only: an identifier character on either side means it is part of something longer.
const PATTERN = new RegExp(`(?<![\\w/])(?:${FORMS.map(([f]) => escape(f)).join('|')})(?![\\w])`, 'g');
const ID_OF: ReadonlyMap<string, string> = new Map(FORMS);

/**
 * `text` cut into plain strings and glossary words: each term is marked the
 * first time it appears (a sentence with "key" five times gets one tooltip,
 * not five). Joining the pieces' text gives `text` back.
 */
export function splitTerms(text: string, only?: ReadonlySet<string>): TermPiece[] {
  const out: TermPiece[] = [];
  const seen = new Set<string>();
  let at = 0;
  for (const m of text.matchAll(PATTERN)) {
    const id = ID_OF.get(m[0]);
    if (id === undefined || seen.has(id) || (only && !only.has(id))) continue;
    seen.add(id);
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push({ id, text: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
