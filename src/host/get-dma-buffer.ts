/**
 * get_dma_buffer(), the Launcher's LHREQ_GETDMA lookup (drivers/lguest/io.c v2.6.23; spec §2.5,
 * checklist §7.22-24): which of a guest's own receive buffers a Launcher device writes into.
 */
import { LGUEST_MAX_DMA } from '../abi/constants.ts';
import type { Host } from './host.ts';
import { BINDING_WORDS, BW, type Lguest } from './lguest.ts';

/**
 * get_dma_buffer() for LHREQ_GETDMA (spec §2.5, §7.22-24): this guest's first
 * binding of the key, scanned from index 0 (next_dma ignored). Returns the
 * entry's gpa and the binding's irq, the LAST entry when all are used, or
 * null when no binding matches or it has no entries. A bad key kills.
 */
export function getDmaBuffer(host: Host, g: Lguest, key: number): { gpa: number; irq: number } | null {
  const fk = host.futexKey(g, key);
  if (!fk) {
    host.kill(g, 'bad registered DMA buffer');
    return null;
  }
  const list = host.keyIndex.get(host.keyId(g, fk));
  if (!list) return null;
  const L = host.dma;
  for (const ref of list) {
    if (Math.floor(ref / LGUEST_MAX_DMA) !== g.index) continue;
    const base = (ref % LGUEST_MAX_DMA) * BINDING_WORDS;
    const b = g.bindings;
    const num = b[base + BW.numDmas];
    if (num === 0) return null;
    const dmas = b[base + BW.dmas];
    let i = 0;
    for (; i < num; i++) {
      const at = dmas + i * L.size;
      // lgread of the whole struct: a bad range kills and reads zeros, so the scan stops there.
      const used = host.readOk(g, at, L.size) ? g.mem.u32(at + L.usedLen) : 0;
      if (used === 0) break;
    }
    // The quirk (§2.5): all in use → the last entry anyway.
    const idx = i === num ? num - 1 : i;
    return { gpa: dmas + idx * L.size, irq: b[base + BW.interrupt] };
  }
  return null;
}
