/** The auditor, part 3: dma_transfer — the receiver entry chosen, the sections checked, the bytes copied (§2.4, §7.10-7.16). */
import { Buffer } from 'node:buffer';
import { LGUEST_MAX_DMA, LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } from '../../abi/constants.ts';
import { EVENT_KIND_NAMES, type SimEvent } from '../../hw/events.ts';
import { hex, type Seg, type WriteRec, type BindModel, type Sections, le32, le16, inside, sectionTotal } from './phys-map.ts';
import { HypercallAudit } from './audit-hypercalls.ts';

export abstract class DmaAudit extends HypercallAudit {
  protected preDma(g: number, at: number, batch: readonly WriteRec[]): Sections {
    const L = this.dma;
    const b = this.pre(g, at, L.size, batch);
    const len: number[] = [];
    const addr: number[] = [];
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
      len.push(le16(b, L.fields.len.offset + 2 * i));
      // unsigned long: the low 32 bits are the address on both ABIs.
      addr.push(le32(b, L.fields.addr.offset + L.fields.addr.elemSize * i));
    }
    return { len, addr };
  }

  /** check_dma_list (spec §2.4 step 3a): the first section that should have killed its owner. */
  protected badSection(g: number, s: Sections): string | null {
    for (let i = 0; i < LGUEST_MAX_DMA_SECTIONS && s.len[i] !== 0; i++) {
      const a = s.addr[i];
      const l = s.len[i];
      if (!this.phys.addressOk(g, a, l) || l > PAGE_SIZE || (a % PAGE_SIZE) + l > PAGE_SIZE) return `${l}@${hex(a)}`;
    }
    return null;
  }

  /** The binding a shared-key send from `s` goes to: most recently bound, of another guest whose Launcher runs (§7.3). */
  protected receiverFor(s: number, id: string): { g: number; slot: number; b: BindModel } | null {
    let best: { g: number; slot: number; b: BindModel } | null = null;
    for (let g = 0; g < this.n; g++) {
      if (g === s || this.exited[g]) continue;
      for (let slot = 0; slot < LGUEST_MAX_DMA; slot++) {
        const b = this.bind[g][slot];
        if (b && b.id === id && (best === null || b.seq > best.b.seq)) best = { g, slot, b };
      }
    }
    return best;
  }

  protected routed(ev: SimEvent): { g: number; slot: number; b: BindModel } | null {
    const s = ev.guest;
    const fk = this.phys.keyOf(s, ev.b);
    if (!fk || fk.shared === 0) {
      this.fail(`${EVENT_KIND_NAMES[ev.kind]} from guest ${s} on key ${hex(ev.b)}, which is not a shared key (spec §7.2, §7.5)`);
      return null;
    }
    const rt = this.receiverFor(s, fk.id);
    if (!rt) {
      this.fail(`${EVENT_KIND_NAMES[ev.kind]} from guest ${s} on key ${hex(ev.b)} that no other guest has bound (spec §7.4)`);
      return null;
    }
    if (rt.g !== ev.a) {
      this.fail(`${EVENT_KIND_NAMES[ev.kind]} on key ${hex(ev.b)} went to guest ${ev.a}; the most recently bound matching binding is guest ${rt.g}'s (spec §7.3)`);
      return null;
    }
    return rt;
  }

  /** A delivery: routing, entry choice, byte count, used_len words, content and the bytes it touched. */
  protected onDma(ev: SimEvent, batch: readonly WriteRec[]): void {
    const [s, a, c, d, e] = [ev.guest, ev.a, ev.c, ev.d, ev.e];
    const rt = this.routed(ev);
    if (!rt) return;
    const L = this.dma;
    const b = rt.b;
    // §7.6, §7.7: from next_dma, wrapping once, the first entry with used_len == 0 (as it was before this transfer).
    let entry = -1;
    for (let i = 0; i < b.num; i++) {
      const at = b.dmas + ((b.next + i) % b.num) * L.size;
      if (!this.phys.addressOk(a, at, L.size)) {
        this.fail(`DMA delivered although entry ${hex(at)} of guest ${a}'s array is unreadable (spec §7.16: kill the receiver)`);
        return;
      }
      if (this.preU32(a, at + L.fields.used_len.offset, batch) === 0) {
        entry = at;
        break;
      }
    }
    if (entry < 0) {
      this.fail(`DMA into guest ${a}'s entry ${hex(d)} although every entry had a non-zero used_len (spec §7.6)`);
      return;
    }
    if (d !== entry) {
      const was = this.preU32(a, d + L.fields.used_len.offset, batch);
      this.fail(`DMA used guest ${a}'s entry ${hex(d)} (used_len before: ${was}); the first free one from next_dma ${b.next} is ${hex(entry)} (spec §7.6, §7.7)`);
      return;
    }
    const dst = this.preDma(a, d, batch);
    const srcOk = this.phys.addressOk(s, c, L.size);
    const src: Sections = srcOk ? this.preDma(s, c, batch) : { len: new Array<number>(16).fill(0), addr: new Array<number>(16).fill(0) };
    const bad = this.badSection(a, dst) ?? this.badSection(s, src);
    // A failed check is a count of 0 (do_dma), so only an empty source gets this far: it takes the entry with 0 bytes.
    if (bad && (src.len[0] !== 0 || e !== 0)) {
      this.fail(`DMA of ${e} bytes although section ${bad} breaks check_dma_list (spec §7.15: the count is 0 and a non-empty source aborts)`);
      return;
    }
    // §7.9, §7.10: walk both lists, min(rest of source section, rest of destination section) per step.
    const pieces: { dst: number; src: number; n: number }[] = [];
    let si = 0;
    let di = 0;
    let so = 0;
    let dof = 0;
    let count = 0;
    while (si < LGUEST_MAX_DMA_SECTIONS && src.len[si] !== 0 && di < LGUEST_MAX_DMA_SECTIONS && dst.len[di] !== 0) {
      const k = Math.min(src.len[si] - so, dst.len[di] - dof);
      pieces.push({ dst: dst.addr[di] + dof, src: src.addr[si] + so, n: k });
      count += k;
      so += k;
      dof += k;
      if (so === src.len[si]) (si++, (so = 0));
      if (dof === dst.len[di]) (di++, (dof = 0));
    }
    const capacity = sectionTotal(dst);
    if (e !== count) this.fail(`DMA reports ${e} bytes; min(source ${sectionTotal(src)}, destination ${capacity}) is ${count} (spec §7.9)`);
    if (e > capacity) this.fail(`DMA wrote used_len ${e} past the receiving entry's total section length ${capacity}`);
    const ul = L.fields.used_len.offset;
    if (this.phys.u32(a, d + ul) !== e) this.fail(`receiver used_len at ${hex(d)} is ${this.phys.u32(a, d + ul)}, DMA says ${e} (spec §7.11)`);
    if (this.phys.addressOk(s, c + ul, 4) && this.phys.u32(s, c + ul) !== e) this.fail(`sender used_len at ${hex(c)} is ${this.phys.u32(s, c + ul)}, DMA says ${e} (spec §7.11)`);
    // copy_data may move consecutive pieces that continue each other as one write (dma-engine.ts copyData): a write
    // may cover such a run of pieces, never more.
    const runs: { dst: number; n: number }[] = [];
    for (const p of pieces) {
      const r = runs[runs.length - 1];
      if (r && r.dst + r.n === p.dst) r.n += p.n;
      else runs.push({ dst: p.dst, n: p.n });
    }
    this.explain(
      batch,
      (w) => (w.g === a && (inside(w, d + ul, 4) || runs.some((p) => inside(w, p.dst, p.n)))) || (w.g === s && inside(w, c + ul, 4)),
      `the DMA from guest ${s} (${hex(c)}) into guest ${a}'s entry ${hex(d)}`,
    );
    // Content, when no destination byte aliases a source byte or another destination byte.
    const dstSegs = pieces.flatMap((p) => this.phys.segs(a, p.dst, p.n));
    const srcSegs = pieces.flatMap((p) => this.phys.segs(s, p.src, p.n));
    const overlap = (x: Seg, y: Seg): boolean => x.arr === y.arr && x.off < y.off + y.len && y.off < x.off + x.len;
    const words = [...this.phys.segs(a, d + ul, 4), ...(this.phys.addressOk(s, c + ul, 4) ? this.phys.segs(s, c + ul, 4) : [])];
    const aliased = dstSegs.some((x, i) => srcSegs.some((y) => overlap(x, y)) || dstSegs.some((y, j) => j !== i && overlap(x, y)) || words.some((y) => overlap(x, y)));
    if (!aliased) {
      for (const p of pieces) {
        const got = this.phys.read(a, p.dst, p.n);
        const want = this.pre(s, p.src, p.n, batch);
        if (!Buffer.from(got).equals(Buffer.from(want))) {
          this.fail(`DMA copied the wrong bytes into guest ${a} at ${hex(p.dst)} (from guest ${s} ${hex(p.src)}, ${p.n} bytes)`);
          break;
        }
      }
    }
    b.next = (b.next + 1) & 0xffff;
    this.expectIrq = { g: a, irq: b.irq, after: 'DMA' };
  }

  protected onDmaFull(ev: SimEvent, batch: readonly WriteRec[]): void {
    const rt = this.routed(ev);
    if (!rt) return;
    const L = this.dma;
    for (let i = 0; i < rt.b.num; i++) {
      const at = rt.b.dmas + i * L.size;
      if (!this.phys.addressOk(ev.a, at, L.size)) {
        this.fail(`DMA_FULL although entry ${hex(at)} of guest ${ev.a} is unreadable (spec §7.16: kill the receiver)`);
        break;
      }
      if (this.preU32(ev.a, at + L.fields.used_len.offset, batch) === 0) {
        this.fail(`DMA_FULL although guest ${ev.a}'s entry ${hex(at)} has used_len 0 (spec §7.7)`);
        break;
      }
    }
    this.explain(batch, () => false, 'DMA_FULL');
    this.expectIrq = { g: ev.a, irq: rt.b.irq, after: 'DMA_FULL' };
  }
}
