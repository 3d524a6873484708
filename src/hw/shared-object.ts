/**
 * Where guest memory's bytes come from: the allocator of its buffers, and the shared objects several
 * guests map (spec §2.2). GuestMemory (memory.ts) maps a shared object's pages into a guest's page map.
 */
import { PAGE_SIZE } from '../abi/constants.ts';

export type Allocator = (bytes: number) => ArrayBufferLike;

/** SharedArrayBuffer where the platform has it (worker, Node), else ArrayBuffer. */
export const defaultAllocator: Allocator = (bytes) =>
  typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);

/** A memory object several guests can map (MAP_SHARED file in the real Launcher). */
export class SharedObject {
  readonly bytes: Uint8Array;
  /** The same bytes as words (small aligned copies, see GuestMemory.copyInPage). */
  readonly words: Uint32Array;
  /** Pages written since the last checkpoint (see src/machine/checkpoints.ts). */
  readonly dirty: Uint8Array;
  /** Pages written since the last state hash (see src/hw/memory-hash.ts). */
  readonly stale: Uint8Array;
  constructor(
    readonly id: number,
    readonly name: string,
    readonly pages: number,
    alloc: Allocator,
  ) {
    this.bytes = new Uint8Array(alloc(pages * PAGE_SIZE));
    this.words = new Uint32Array(this.bytes.buffer);
    this.dirty = new Uint8Array(pages);
    this.stale = new Uint8Array(pages);
  }
}
