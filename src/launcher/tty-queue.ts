/**
 * The terminal's input queue: bytes typed (or pasted) that the Launcher has
 * not read yet. A paste of a megabyte is one chunk; reads take at most the
 * guest's buffer size from the front without moving the rest (spec §4.2: the
 * console reads into one 256-byte buffer per interrupt).
 */
export class TtyQueue {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already read. */
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  /** Remove and return up to `n` bytes from the front. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.size));
    let at = 0;
    while (at < out.length) {
      const c = this.chunks[0];
      const k = Math.min(c.length - this.head, out.length - at);
      out.set(c.subarray(this.head, this.head + k), at);
      at += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.size -= out.length;
    return out;
  }

  /** Everything still queued, as one array (checkpoints). */
  snapshot(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    this.chunks.forEach((c, i) => {
      const part = i === 0 ? c.subarray(this.head) : c;
      out.set(part, at);
      at += part.length;
    });
    return out;
  }

  restore(bytes: Uint8Array): void {
    this.chunks = bytes.length > 0 ? [bytes.slice()] : [];
    this.head = 0;
    this.size = bytes.length;
  }
}
