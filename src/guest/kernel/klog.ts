/**
 * The kernel log: a byte ring in guest memory (KLOG_HEADER at KLOG_GPA, text
 * at KLOG_DATA), like the real kernel's __log_buf. `dmesg` reads it back from
 * memory, so the UI's memory view shows the same bytes.
 */
import { latin1Bytes, latin1Text } from '../../base/latin1.ts';
import type { GuestMemory } from '../../hw/memory.ts';
import { getField, setField } from './guest-struct.ts';
import { KLOG_BYTES, KLOG_DATA, KLOG_GPA, type KernelLayouts } from './layout.ts';

export function klogInit(mem: GuestMemory, L: KernelLayouts): void {
  setField(mem, KLOG_GPA, L.klog, 'head', 0);
  setField(mem, KLOG_GPA, L.klog, 'size', KLOG_BYTES);
}

/** Append text (latin-1; other characters become '?'). */
export function klogWrite(mem: GuestMemory, L: KernelLayouts, text: string): void {
  const size = getField(mem, KLOG_GPA, L.klog, 'size') || KLOG_BYTES;
  let head = getField(mem, KLOG_GPA, L.klog, 'head');
  for (const b of latin1Bytes(text)) {
    mem.setU8(KLOG_DATA + (head % size), b);
    head = (head + 1) >>> 0;
  }
  setField(mem, KLOG_GPA, L.klog, 'head', head);
}

/** The log as text. Once the ring has wrapped, the partial oldest line is dropped. */
export function klogRead(mem: GuestMemory, L: KernelLayouts): string {
  const size = getField(mem, KLOG_GPA, L.klog, 'size') || KLOG_BYTES;
  const head = getField(mem, KLOG_GPA, L.klog, 'head');
  const wrapped = head > size;
  const count = wrapped ? size : head;
  const start = wrapped ? head % size : 0;
  let s = latin1Text(Array.from({ length: count }, (_, i) => mem.u8(KLOG_DATA + ((start + i) % size))));
  if (wrapped) {
    const nl = s.indexOf('\n');
    s = nl < 0 ? '' : s.slice(nl + 1);
  }
  return s;
}
