/**
 * EventLog: the events of a run as a bounded cache of chunk-sized slots
 * (issue #15). The event records themselves (kinds, the SIM_EVENT word
 * layout, decoding) are in events.ts.
 */
import * as events from './events.ts';
import type { EventKind, SimEvent } from './events.ts';

// Module-local copies of imported constants (see src/host/dma-engine.ts: an imported binding is
// reloaded and TDZ-checked at every use; a module's own const folds into the optimized code).
const { CHUNK_SHIFT, EV, EVENT_CHUNK, EVENT_WORDS, readEventAt, StopAtEvent } = events;

const CHUNK_WORDS = EVENT_CHUNK * EVENT_WORDS;
// EventLog.push writes a record with literal word offsets: they must be SIM_EVENT's, from the table.
if (EVENT_WORDS !== 8 || EV.kind !== 0 || EV.guest !== 1 || EV.time !== 2 || EV.a !== 3 || EV.b !== 4 || EV.c !== 5 || EV.d !== 6 || EV.e !== 7) {
  throw new Error('event-log: the SIM_EVENT layout changed; EventLog.push writes the old one');
}

/**
 * The events of a run, kept as a cache (issue #15: "events are a cache, the
 * recording is the truth"). Records live in slots of one chunk each; a slot
 * holds one chunk's contiguous stretch [lo, hi) of records. With a
 * `capacity`, a push into a chunk no slot holds reuses the least recently
 * used slot (after `onEvict`), so a long run keeps a bounded window of
 * events and the rest can be made again by re-running the deterministic
 * machine from a checkpoint (src/machine/checkpoints.ts `regenerate`).
 * Without one (the default) every chunk stays, as the CLI's `--trace`,
 * lessons and tests expect. Counts, `recorded` and the strings always cover
 * the whole run.
 */
export class EventLog {
  /** Storage slots, one chunk of records each (in allocation order; a slot's buffer never changes). */
  readonly slots: Uint32Array[] = [];
  /** Per slot: the chunk it holds (-1: none) and its kept records [lo, hi) (absolute event indices). */
  private readonly slotChunk: number[] = [];
  private readonly slotLo: number[] = [];
  private readonly slotHi: number[] = [];
  /** Per slot: when it was last written or touched (for least-recently-used reuse). */
  private readonly slotUsed: number[] = [];
  private readonly chunkSlot = new Map<number, number>();
  private stamp = 0;
  /** Most slots this log keeps (Infinity: every chunk). Set before the first push. */
  capacity = Infinity;
  /**
   * Events below this count cannot be made again (the machine's construction,
   * before its first checkpoint): the slot holding them is never reused.
   */
  pinnedBelow = 0;
  /** The published slot directory (writeDirectory's words, in the page's shared live block), if any. */
  directory: Uint32Array | null = null;
  /** Called before a slot holding records is reused for another chunk (the timeline summary catches up). */
  onEvict: ((chunk: number, lo: number, hi: number) => void) | null = null;
  /**
   * Records below this index are not kept (written into scratch storage):
   * a re-run from a checkpoint to regenerate a later stretch does not push
   * out the window for events nobody asked for. -1: off.
   */
  scratchBelow = -1;
  private scratch: Uint32Array | null = null;
  private n = 0;
  /**
   * Furthest count this timeline has recorded (after a rewind, events up to here are still part of it):
   * the count itself or, after a rewind, where the count was before it. Kept as `rewoundFrom` so a push
   * only moves the count (bench/README.md "Profile": the store of a running maximum cost ~2 ns a push).
   */
  get recorded(): number {
    return this.n > this.rewoundFrom ? this.n : this.rewoundFrom;
  }
  private rewoundFrom = 0;
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  /** When set, reaching this count throws StopAtEvent (time travel stops right after an event). */
  stopAfter = -1;

  constructor(private readonly alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)) {}

  get count(): number {
    return this.n;
  }

  intern(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /** Record one event (every field given: no default-argument handling on the hot path; Host.emit has the defaults). */
  push(kind: EventKind, guest: number, time: number, a: number, b: number, c: number, d: number, e: number): void {
    const n = this.n;
    // The chunk being filled and the next record's word offset are kept, so a push is the stores
    // and a compare (the hot path records ~4 events per hypercall round).
    let at = this.at;
    if (at >= this.atEnd) at = this.seat(n);
    const w = this.w;
    // Literal word offsets (checked against the table at the top of this file): the same stores in
    // fewer bytes of bytecode, and V8 inlines push within a bytecode budget (bench/README.md "Sixth pass").
    w[at] = kind;
    w[at + 1] = guest;
    w[at + 2] = time;
    w[at + 3] = a;
    w[at + 4] = b;
    w[at + 5] = c;
    w[at + 6] = d;
    w[at + 7] = e;
    this.at = at + 8;
    const next = n + 1;
    this.n = next;
    if (next === this.stopAfter) throw new StopAtEvent(n);
  }

  /** The chunk being filled; `at` is the next record's word offset in it, `atEnd` the chunk's end. */
  private w: Uint32Array = new Uint32Array(0);
  private at = 0;
  private atEnd = 0;
  /** The slot being written (-1: none, or scratch) and where its current run of pushes began. */
  private cur = -1;
  private runStart = 0;

  /** Make record `n`'s chunk the current one (claiming a slot the first time); returns its word offset. */
  private seat(n: number): number {
    this.commit();
    const ci = n >>> CHUNK_SHIFT;
    if (this.scratchBelow >= 0 && (ci + 1) * EVENT_CHUNK <= this.scratchBelow) {
      this.scratch ??= new Uint32Array(CHUNK_WORDS);
      this.w = this.scratch;
    } else {
      let s = this.chunkSlot.get(ci);
      if (s === undefined) s = this.claim(ci);
      this.cur = s;
      this.runStart = n;
      this.slotUsed[s] = ++this.stamp;
      this.w = this.slots[s];
    }
    this.atEnd = CHUNK_WORDS;
    this.at = (n & (EVENT_CHUNK - 1)) * EVENT_WORDS;
    return this.at;
  }

  /** A slot for chunk `ci`: a free one, a new one under capacity, else the least recently used. */
  private claim(ci: number): number {
    let s = this.slotChunk.indexOf(-1);
    if (s < 0) {
      // Slots wholly below discardBefore's mark hold records nobody reads again: reuse them first,
      // the oldest chunk first, so what stays kept is one stretch up to the newest record.
      for (let k = 0; k < this.slots.length; k++) {
        if ((this.slotChunk[k] + 1) * EVENT_CHUNK <= this.keepFrom && (s < 0 || this.slotChunk[k] < this.slotChunk[s])) s = k;
      }
    }
    if (s < 0 && this.slots.length < this.capacity) {
      s = this.slots.length;
      this.slots.push(new Uint32Array(this.alloc(CHUNK_WORDS * 4)));
      this.slotChunk.push(-1);
      this.slotLo.push(0);
      this.slotHi.push(0);
      this.slotUsed.push(0);
    }
    if (s < 0) {
      for (let k = 0; k < this.slots.length; k++) {
        if (this.pinnedBelow > 0 && this.slotChunk[k] * EVENT_CHUNK < this.pinnedBelow) continue;
        if (s < 0 || this.slotUsed[k] < this.slotUsed[s]) s = k;
      }
      if (s < 0) throw new RangeError('event log: every slot is pinned');
    }
    const old = this.slotChunk[s];
    if (old >= 0) {
      if (this.slotHi[s] > this.slotLo[s]) this.onEvict?.(old, this.slotLo[s], this.slotHi[s]);
      this.chunkSlot.delete(old);
      // The page reads the published directory: withdraw the slot there before its records change
      // (the next publish says what it holds now).
      const dir = this.directory;
      if (dir && 3 * s + 2 < dir.length) dir[3 * s] = dir[3 * s + 1] = dir[3 * s + 2] = 0;
    }
    this.slotChunk[s] = ci;
    this.slotLo[s] = this.slotHi[s] = ci * EVENT_CHUNK;
    this.chunkSlot.set(ci, s);
    return s;
  }

  /** Fold the current run of pushes [runStart, n) into its slot's kept range. */
  private commit(): void {
    const s = this.cur;
    if (s < 0) return;
    const [lo, hi] = this.rangeOf(s);
    this.slotLo[s] = lo;
    this.slotHi[s] = hi;
    this.cur = -1;
  }

  /** A slot's kept records [lo, hi), the run being written included. */
  private rangeOf(s: number): [number, number] {
    const lo = this.slotLo[s];
    const hi = this.slotHi[s];
    if (s !== this.cur) return [lo, hi];
    const a = this.runStart;
    const b = Math.min(this.n, (this.slotChunk[s] + 1) * EVENT_CHUNK);
    if (b <= a) return [lo, hi];
    if (hi <= lo) return [a, b];
    // A run that meets or overlaps what was kept extends it (a re-run writes the same records);
    // a run that starts past a gap replaces it: a slot keeps one contiguous stretch.
    if (a <= hi && b >= lo) return [Math.min(lo, a), Math.max(hi, b)];
    return [a, b];
  }

  /** The slot words holding event `index` and the end of the kept stretch it is in; null if not kept. */
  chunkOf(index: number): { words: Uint32Array; end: number } | null {
    const s = this.chunkSlot.get(index >>> CHUNK_SHIFT);
    if (s === undefined) return null;
    const [lo, hi] = this.rangeOf(s);
    if (index < lo || index >= hi || index >= this.recorded) return null;
    return { words: this.slots[s], end: Math.min(hi, this.recorded) };
  }

  /** Is event `index` kept (readable with get)? */
  has(index: number): boolean {
    return this.chunkOf(index) !== null;
  }

  /** Are all events [from, to) kept? */
  hasRange(from: number, to: number): boolean {
    for (let i = from; i < to; ) {
      const c = this.chunkOf(i);
      if (!c) return false;
      i = c.end;
    }
    return true;
  }

  get(index: number): SimEvent {
    const c = this.chunkOf(index);
    if (!c) throw new RangeError(`event #${index} is not kept in memory (it can be regenerated from a checkpoint)`);
    return readEventAt(c.words, index);
  }

  /** Mark event `index`'s slot as just used (the shown event stays in the window). */
  touch(index: number): void {
    const s = this.chunkSlot.get(index >>> CHUNK_SHIFT);
    if (s !== undefined) this.slotUsed[s] = ++this.stamp;
  }

  /** discardBefore's mark: events below it are not needed any more. */
  private keepFrom = 0;

  /** The first event still kept (0 when nothing was let go). */
  get first(): number {
    let f = Infinity;
    for (let s = 0; s < this.slots.length; s++) {
      const [lo, hi] = this.rangeOf(s);
      if (this.slotChunk[s] >= 0 && hi > lo) f = Math.min(f, lo);
    }
    return f === Infinity ? this.n : f;
  }

  /**
   * Nobody will read the events before `index` again (the CLI without a
   * trace, or once it has streamed them: issue #15): their slots may be
   * reused, so the log holds about one chunk instead of all of history.
   * The count, the strings and everything after `index` stay.
   */
  discardBefore(index: number): void {
    this.keepFrom = Math.max(this.keepFrom, Math.min(index, this.n));
  }

  /**
   * Move to `count` events, back or forward within what this timeline has
   * recorded: kept records stay (up to `recorded`) and a deterministic
   * re-run rewrites them with the same values.
   */
  setCount(count: number): void {
    if (count > this.recorded) throw new RangeError(`event ${count} was never recorded (recorded: ${this.recorded})`);
    if (count < this.keepFrom) throw new RangeError(`event ${count} was discarded (kept from ${this.keepFrom})`);
    this.commit();
    this.rewoundFrom = this.recorded;
    this.n = count;
    this.atEnd = 0; // the next push finds its chunk again
  }

  /** The timeline forked here: what was recorded beyond the current count is gone (and no longer kept). */
  forget(): void {
    this.commit();
    this.atEnd = 0;
    this.rewoundFrom = this.n;
    for (let s = 0; s < this.slots.length; s++) {
      if (this.slotChunk[s] < 0) continue;
      this.slotHi[s] = Math.min(this.slotHi[s], this.n);
      if (this.slotLo[s] >= this.slotHi[s]) this.slotLo[s] = this.slotHi[s] = this.slotChunk[s] * EVENT_CHUNK;
    }
  }

  /**
   * The slot directory, three words per slot: the chunk held + 1 (0: none),
   * and its kept records [lo, hi) (what the page may read from `slots`).
   */
  writeDirectory(out: Uint32Array): void {
    // Entry by entry, never cleared first: the page may be reading it meanwhile.
    for (let s = 0; 3 * s + 2 < out.length; s++) {
      if (s >= this.slots.length || this.slotChunk[s] < 0) {
        out[3 * s] = out[3 * s + 1] = out[3 * s + 2] = 0;
        continue;
      }
      const [lo, hi] = this.rangeOf(s);
      out[3 * s] = this.slotChunk[s] + 1;
      out[3 * s + 1] = lo;
      out[3 * s + 2] = Math.min(hi, this.recorded);
    }
  }
}
