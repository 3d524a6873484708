/**
 * The versions of one region's units for the checkpoints (checkpoints.ts):
 * the pages of a guest's private block or a shared object, or the sectors of
 * a disk. A checkpoint stores only the units written since the one before
 * (every memory writer marks them dirty, src/hw/memory.ts), and thinning
 * hands a dropped checkpoint's versions to the next one kept (issue #15).
 */
import { PAGE_SIZE } from '../abi/constants.ts';

interface PageVersion {
  /** The id of the checkpoint it belongs to (ids grow; thinning relabels a version to the next kept checkpoint). */
  cp: number;
  /** null: the page was all zero. */
  readonly data: Uint8Array | null;
}

/**
 * Versions of the units of one region: the pages of a guest's private block
 * or a shared object, or the sectors of a disk (so a checkpoint holds only
 * the sectors written since the last one, issue #15).
 */
export class RegionHistory {
  private readonly versions: (PageVersion[] | undefined)[];
  /** Units captured by each checkpoint, by checkpoint id. */
  private readonly deltas = new Map<number, number[]>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly dirty: Uint8Array,
    /** The state hash's marks (src/hw/memory-hash.ts): a restored page is written too. Disks: null. */
    private readonly stale: Uint8Array | null,
    /** Bytes per unit: a page, or a disk sector. */
    private readonly unit = PAGE_SIZE,
  ) {
    this.versions = new Array(dirty.length);
  }

  capture(id: number): void {
    const pages: number[] = [];
    const d = this.dirty;
    for (let p = 0; p < d.length; p++) {
      if (d[p] === 0) continue;
      d[p] = 0;
      const src = this.bytes.subarray(p * this.unit, (p + 1) * this.unit);
      const list = (this.versions[p] ??= []);
      const last = list.length > 0 ? list[list.length - 1].data : undefined;
      // Written back to what it held at the last checkpoint (a net flood's buffers often are):
      // that version still answers for this checkpoint, so nothing is stored.
      if (last !== undefined && (last === null ? isZero(src) : equalBytes(last, src))) continue;
      pages.push(p);
      list.push({ cp: id, data: isZero(src) ? null : src.slice() });
    }
    this.deltas.set(id, pages);
  }

  /** Bring memory from (its checkpoint + dirty units) to checkpoint `to`; `between`: the ids of the checkpoints from the one after the older of the two up to the newer. */
  restore(between: readonly number[], to: number): void {
    const touched = new Set<number>();
    const d = this.dirty;
    for (let p = 0; p < d.length; p++) if (d[p] !== 0) touched.add(p);
    for (const id of between) for (const p of this.deltas.get(id) ?? []) touched.add(p);
    for (const p of touched) {
      const v = this.versionAt(p, to);
      const dst = this.bytes.subarray(p * this.unit, (p + 1) * this.unit);
      if (v && v.data) dst.set(v.data);
      else dst.fill(0);
      d[p] = 0;
      if (this.stale) this.stale[p] = 1;
    }
  }

  private versionAt(p: number, cp: number): PageVersion | undefined {
    const list = this.versions[p];
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let best: PageVersion | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].cp <= cp) {
        best = list[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  clearDirty(): void {
    this.dirty.fill(0);
  }

  /** Forget checkpoints after id `cp` (the timeline forked). */
  dropAfter(cp: number): void {
    for (const [id, pages] of this.deltas) {
      if (id <= cp) continue;
      for (const p of pages) {
        const list = this.versions[p];
        if (list) while (list.length > 0 && list[list.length - 1].cp > cp) list.pop();
      }
      this.deltas.delete(id);
    }
  }

  /**
   * Checkpoint `id` goes (thinning); `next` is the next checkpoint kept. A
   * unit version of `id` that is rewritten by `next` is dropped; otherwise it
   * is what `next` sees, so it becomes `next`'s. `next`'s delta takes `id`'s
   * units (restores between older and newer checkpoints must still visit them).
   */
  remove(id: number, next: number): void {
    const pages = this.deltas.get(id) ?? [];
    this.deltas.delete(id);
    const into = this.deltas.get(next) ?? [];
    const seen = new Set(into);
    for (const p of pages) {
      const list = this.versions[p]!;
      const k = list.findIndex((v) => v.cp === id);
      if (k >= 0) {
        if (k + 1 < list.length && list[k + 1].cp <= next) list.splice(k, 1);
        else list[k].cp = next;
      }
      if (!seen.has(p)) {
        seen.add(p);
        into.push(p);
      }
    }
    this.deltas.set(next, into);
  }

  get pagesStored(): number {
    let n = 0;
    for (const l of this.versions) if (l) n += l.length;
    return n;
  }

  /** Bytes of unit contents held (all-zero units hold none). */
  get bytesStored(): number {
    let n = 0;
    for (const l of this.versions) if (l) for (const v of l) n += v.data?.length ?? 0;
    return n;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function isZero(b: Uint8Array): boolean {
  const w = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}

