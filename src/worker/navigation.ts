/** Moving the shown event on request: steps, seeks, jumps to the next matching event or script step, and typed input. */
import { ScriptGuest } from '../guest/script-guest.ts';
import { compileFilter, filterKinds, type EventFilter } from './event-filter.ts';
import { categoryBit } from '../trace/timeline-lanes.ts';
import { FIND_AHEAD, SCRIPT_STEP_LIMIT } from './session-core.ts';
import { RunLoop } from './run-loop.ts';

export abstract class Navigation extends RunLoop {
  step(): void {
    this.stepBy(1);
  }

  stepBack(): void {
    this.stepBy(-1);
  }

  seek(count: number): void {
    this.navigate(() => this.showCount(count));
  }

  goToEvent(index: number): number {
    return this.navigate(() => this.showCount(index + 1));
  }

  stepBy(n: number): number {
    return this.navigate(() => this.showCount(this.view + Math.trunc(n)));
  }

  goToStart(): number {
    return this.navigate(() => this.showCount(0));
  }

  goToEnd(): number {
    return this.navigate(() => this.showCount(this.machine!.events.recorded));
  }

  goToMatch(filter: EventFilter, direction: 'next' | 'prev', limit = FIND_AHEAD): number {
    let found = -1;
    this.navigate(() => {
      const m = this.machine!;
      const match = compileFilter(filter, m.events.strings);
      const start = this.checkpoints!.startCount;
      // A filter naming kinds skips the timeline bins whose events have none of their categories,
      // so a search for a rare event looks only where it can be (and needs no limit backwards).
      const kinds = filterKinds(filter);
      const mask = kinds ? kinds.reduce((a, k) => a | categoryBit(k), 0) : 0;
      const skip = mask !== 0 ? mask : null;
      if (direction === 'prev') {
        // The shown event is #view-1: the previous match is before it (events before the start cannot be shown).
        found = this.findRecorded(match, this.view - 1, start, -1, skip ? Infinity : limit, skip);
      } else {
        found = this.findRecorded(match, this.view, m.events.recorded, 1, limit, skip);
        if (found < 0 && this.view + limit > m.events.recorded) found = this.runOnFor(match, this.view + limit);
      }
      // Not found: back to the shown state (running on may have left the machine elsewhere).
      this.showCount(found >= 0 ? found + 1 : this.view);
    });
    return found;
  }

  stepScript(guest: number, direction: 'next' | 'prev'): number {
    return this.navigate(() => {
      const p = this.machine!.programs[guest];
      if (!(p instanceof ScriptGuest)) return;
      const pc = p.pc;
      const dir = direction === 'next' ? 1 : -1;
      for (let k = 0; k < SCRIPT_STEP_LIMIT; k++) {
        const before = this.view;
        this.showCount(before + dir);
        if (this.view === before || p.pc !== pc) break;
      }
    });
  }

  typeInput(guest: number, text: string): void {
    this.guard(() => this.typeInputUnguarded(guest, text));
  }

  protected typeInputUnguarded(guest: number, text: string): void {
    const m = this.machine;
    if (!m || text.length === 0) return;
    // Typed at the recorded end (the machine may be stopped right after the last event): no fork.
    const atEnd = this.view >= m.events.recorded;
    this.resumeIfSuspended();
    this.idleAtEnd = false;
    if (!atEnd || m.events.count < m.events.recorded) {
      // Typing into the past: what was recorded after this point is another timeline now. The
      // timeline bin holding this point is summarized again from its events before it (kept first).
      const count = m.events.count;
      const bins = this.bins;
      if (bins) this.ensureEvents((count >>> bins.shift) << bins.shift, count);
      this.checkpoints!.fork();
      m.dropPendingInputs();
      bins?.rewind(count, m.events);
      this.factLog?.rewind(count);
    }
    m.typeInput(guest, text);
    this.publish(false);
    // Input while paused still lands (it is stamped now); it is processed when running.
    if (this.running) {
      this.resetPace();
      this.schedule();
    }
  }
}
