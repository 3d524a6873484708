/**
 * The consoles' half of the frame loop (sim-client.ts): which guest's
 * terminal is attached, which output chunks it already has, and one
 * `api.console(guest, from)` call per frame, guests in turn, for a guest
 * whose `stdout_chunks` moved. Bytes go to the terminal as the guest wrote
 * them (the API carries them as latin-1 characters).
 */
import { latin1Bytes } from '../../base/latin1.ts';
import type { SimApi } from '../../worker/api.ts';
import { type FrameViews, liveAt } from './frame-views.ts';

/** Where one guest's console output goes (its xterm). */
export interface ConsoleSink {
  write(bytes: Uint8Array): void;
  clear(): void;
}

/** `api.console` through comlink: the worker's answer, asynchronously. */
type ConsoleCall = (guest: number, from: number) => Promise<ReturnType<SimApi['console']>>;

export class ConsoleFeed {
  private inFlight: boolean[] = [];
  /** Output chunks of each guest already written to its sink. */
  private seen: number[] = [];
  /** Next console fetch starts from chunk 0 and clears the terminal first. */
  private full: boolean[] = [];
  private turn = 0;
  private readonly sinks = new Map<number, ConsoleSink>();

  /** A new session of `guests` guests: every terminal is cleared now and refetched whole. */
  reset(guests: number): void {
    this.inFlight = Array.from({ length: guests }, () => false);
    this.seen = Array.from({ length: guests }, () => 0);
    this.full = Array.from({ length: guests }, () => true);
    // The old session's output goes now, not at the next console fetch, so no frame shows it under the new session's name.
    for (const sink of this.sinks.values()) sink.clear();
  }

  /** Attach a guest's terminal: it gets the whole output so far, then what follows. */
  attach(guest: number, sink: ConsoleSink): () => void {
    this.sinks.set(guest, sink);
    this.full[guest] = true;
    return () => {
      if (this.sinks.get(guest) === sink) this.sinks.delete(guest);
    };
  }

  /** The timeline forked: output past the fork was rewritten, so every terminal is refetched whole. */
  refetchAll(): void {
    this.full = this.full.map(() => true);
  }

  /**
   * At most one console call per frame, guests in turn. `current` says
   * whether the answer still belongs to the session that asked; `done` runs
   * after an answer was written.
   */
  poll(console: ConsoleCall, v: FrameViews, current: () => boolean, done: () => void): void {
    const n = this.seen.length;
    for (let k = 0; k < n; k++) {
      const g = (this.turn + k) % n;
      const sink = this.sinks.get(g);
      if (!sink || this.inFlight[g]) continue;
      const full = this.full[g];
      if (!full && liveAt(v, 'stdout_chunks', g) === this.seen[g]) continue;
      this.turn = (g + 1) % n;
      this.inFlight[g] = true;
      this.full[g] = false;
      const from = full ? 0 : this.seen[g];
      void console(g, from).then((r) => {
        if (!current()) return;
        this.inFlight[g] = false;
        this.seen[g] = r.chunks;
        const s = this.sinks.get(g);
        if (s) {
          if (full || r.reset) s.clear();
          if (r.text.length > 0) s.write(latin1Bytes(r.text));
        }
        done();
      });
      return;
    }
  }
}
