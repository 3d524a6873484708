/**
 * Typed views over the buffers a session exposes (SessionInfo): guest
 * memory, binding tables, shared objects and the live block. In a
 * cross-origin isolated page they are the worker's SharedArrayBuffers, read
 * in place; otherwise they are the per-frame copies of `api.frame()`.
 *
 * Guest-physical addresses resolve through the guest's page map: a page
 * backed by a shared object (the --sharenet page, scenario `shared` regions)
 * reads from the object's buffer, every other page from the guest's own block.
 */
import { PAGE_SHIFT, PAGE_SIZE } from '../../abi/constants.ts';
import { layoutOf, type StructLayout } from '../../abi/layout.ts';
import { LGUEST_DMA } from '../../abi/structs.ts';
import type { FrameCopy, GuestInfo, SessionInfo } from '../../worker/api.ts';
import { liveWord } from '../../worker/live-block.ts';

export interface GuestViews {
  readonly info: GuestInfo;
  /** The guest's private block [0, top). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** The Host's binding table (SIM_BINDING records). */
  readonly bindings: DataView;
  /** pfn → (shared object id, page in it). */
  readonly sharedPages: ReadonlyMap<number, { readonly object: number; readonly page: number }>;
}

export interface FrameViews {
  readonly info: SessionInfo;
  readonly live: Uint32Array;
  readonly guests: readonly GuestViews[];
  readonly objects: readonly Uint8Array[];
  /** struct lguest_dma for this scenario's ABI. */
  readonly dma: StructLayout;
}

/** Build the views over a session's buffers (or over one frame's copies of them). */
export function makeViews(info: SessionInfo, copy?: FrameCopy): FrameViews {
  const guests = info.guests.map((g, i): GuestViews => {
    const mem = copy ? copy.guests[i].memory : g.memory;
    const bind = copy ? copy.guests[i].bindings : g.bindings;
    return {
      info: g,
      bytes: new Uint8Array(mem),
      view: new DataView(mem),
      bindings: new DataView(bind),
      sharedPages: new Map(g.sharedPages.map((p) => [p.pfn, { object: p.object, page: p.page }])),
    };
  });
  const objects = info.sharedObjects.map((o, i) => new Uint8Array(copy ? copy.sharedObjects[i] : o.bytes));
  return { info, live: new Uint32Array(copy ? copy.live : info.live), guests, objects, dma: layoutOf(LGUEST_DMA, info.arch) };
}

/** One word of the live block (SIM_LIVE, laid out by the ABI table). */
export const liveAt = (v: FrameViews, name: string, i = 0): number => v.live[liveWord(name, i)];

/** Where a gpa's bytes are: a view, the offset in it, and how many bytes follow contiguously. */
export interface Located {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  readonly at: number;
  readonly room: number;
}

export function locate(v: FrameViews, guest: number, gpa: number): Located | null {
  const g = v.guests[guest];
  if (!g || gpa < 0 || gpa >= g.info.top) return null;
  const sp = g.sharedPages.get(gpa >>> PAGE_SHIFT);
  if (sp) {
    const obj = v.objects[sp.object];
    if (!obj) return null;
    const at = sp.page * PAGE_SIZE + (gpa & (PAGE_SIZE - 1));
    return { view: new DataView(obj.buffer, obj.byteOffset, obj.byteLength), bytes: obj, at, room: PAGE_SIZE - (gpa & (PAGE_SIZE - 1)) };
  }
  // Private pages are contiguous up to the next shared page (or the top).
  let end = ((gpa >>> PAGE_SHIFT) + 1) * PAGE_SIZE;
  while (end < g.info.top && !g.sharedPages.has(end >>> PAGE_SHIFT)) end += PAGE_SIZE;
  return { view: g.view, bytes: g.bytes, at: gpa, room: Math.min(end, g.info.top) - gpa };
}

/** `len` bytes from `gpa` (fewer if the range leaves the guest's memory). */
export function readBytes(v: FrameViews, guest: number, gpa: number, len: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, len));
  let done = 0;
  while (done < len) {
    const l = locate(v, guest, gpa + done);
    if (!l) return out.subarray(0, done);
    const n = Math.min(l.room, len - done);
    out.set(l.bytes.subarray(l.at, l.at + n), done);
    done += n;
  }
  return out;
}

/** A struct at `gpa` when it lies inside one contiguous stretch of memory (else null). */
export function structAt(v: FrameViews, guest: number, gpa: number, size: number): Located | null {
  const l = locate(v, guest, gpa);
  return l && l.room >= size ? l : null;
}

export const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
