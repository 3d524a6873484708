/**
 * Stepping, slow motion and time travel through the worker API (issue #10):
 * the start is reachable and never jams, the state after event #i is one
 * state whichever way it was reached, slow motion applies events one at a
 * time on the clock, filters find the next hypercall / DMA / interrupt.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session, type SessionHost } from './session.ts';
import { liveWord } from './live-block.ts';
import type { LoadSource } from './api.ts';

const inert: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };
const newSession = (host: SessionHost = inert): Session => new Session(host, (n) => new ArrayBuffer(n));

const example = (file: string): LoadSource => ({ kind: 'scenario', text: readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'), fileName: file });

/** Load, run to idle, type each input and run to idle again. */
function session(src: LoadSource, ...inputs: string[]): Session {
  const s = newSession();
  const r = s.load(src);
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  for (const text of inputs) {
    s.typeInput(0, text);
    s.runToEnd();
  }
  return s;
}

/** Everything a panel reads: the memory hash, and every byte of guest memory and shared objects. */
function snapshot(s: Session): { view: number; hash: string; bytes: Uint8Array[] } {
  const f = s.frame();
  return { view: s.shownCount, hash: s.hash(), bytes: [...f.guests.map((g) => new Uint8Array(g.memory)), ...f.sharedObjects.map((o) => new Uint8Array(o))] };
}

function expectSame(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>, how: string): void {
  expect(b.view, how).toBe(a.view);
  expect(b.hash, how).toBe(a.hash);
  b.bytes.forEach((x, k) => expect(Buffer.compare(Buffer.from(x), Buffer.from(a.bytes[k])), `${how}: region ${k} bytes`).toBe(0));
}

/** A host whose deferred work runs only when the test drains it. */
function drainHost(): SessionHost & { drain(): void } {
  const q: (() => void)[] = [];
  let t = 0;
  return {
    now: () => (t += 1),
    defer: (fn) => void q.push(fn),
    later: (fn) => void q.push(fn),
    drain() {
      for (let i = 0; i < 1_000_000 && q.length > 0; i++) q.shift()!();
    },
  };
}

const start = (s: Session): number => s.info().start;

describe('rewinding to the start', () => {
  for (const preset of ['console', 'net']) {
    it(`${preset}: back to the first state, then every step shows exactly one more event, and back again`, () => {
      const s = session({ kind: 'preset', name: preset });
      const end = s.shownCount;
      // Step back all the way (and once more, at the start).
      for (let k = 0; k < end + 2; k++) s.stepBack();
      expect(s.shownCount).toBe(start(s));
      const hashes = [s.hash()];
      for (let k = 1; k <= 5; k++) {
        s.step();
        expect(s.shownCount).toBe(start(s) + k);
        hashes.push(s.hash());
      }
      for (let k = 4; k >= 0; k--) {
        s.stepBack();
        expect(s.shownCount).toBe(start(s) + k);
        expect(s.hash()).toBe(hashes[k]);
      }
      // Seeking to 0 lands on the start too, and a seek or click after it still moves.
      s.seek(0);
      expect(s.shownCount).toBe(start(s));
      expect(s.goToEvent(start(s) + 2)).toBe(start(s) + 3);
      expect(s.goToStart()).toBe(start(s));
      expect(s.goToEnd()).toBe(end);
    });
  }

  it('stepping onto the last event shows the same state as the live end, and the next step stays there', () => {
    const s = session({ kind: 'preset', name: 'net' }, 'ping 1\r');
    const end = s.shownCount;
    const live = snapshot(s);
    s.goToStart();
    s.goToEvent(end - 2);
    s.step();
    expectSame(live, snapshot(s), 'stepped onto the end');
    s.step();
    expect(s.shownCount).toBe(end);
    s.stepBack();
    expect(s.shownCount).toBe(end - 1);
  });
});

/** The ways of reaching the state after event #n-1 (view n) the issue names. */
function waysTo(src: LoadSource, inputs: string[], n: number): [string, ReturnType<typeof snapshot>][] {
  const out: [string, ReturnType<typeof snapshot>][] = [];
  const full = session(src, ...inputs);
  const end = full.shownCount;
  // Live: a fresh session run by its own run loop, paused by runUntil right after the event.
  const host = drainHost();
  const live = newSession(host);
  live.load(src);
  if (n > start(live)) {
    const boot = session(src).shownCount;
    if (n > boot && inputs.length > 0) {
      live.run();
      host.drain();
      for (const text of inputs) live.typeInput(0, text);
    }
    live.runUntil({ i: n - 1 });
    host.drain();
  }
  out.push(['live (runUntil)', snapshot(live)]);
  // Step: from the start, one event at a time.
  const stepped = session(src, ...inputs);
  stepped.goToStart();
  while (stepped.shownCount < n) stepped.step();
  out.push(['step from the start', snapshot(stepped)]);
  // Seek from the end (behind) and from the start (ahead).
  const fromEnd = session(src, ...inputs);
  fromEnd.seek(n);
  out.push(['seek from the end', snapshot(fromEnd)]);
  const fromStart = session(src, ...inputs);
  fromStart.goToStart();
  fromStart.seek(n);
  out.push(['seek from the start', snapshot(fromStart)]);
  // Step back from the end.
  const back = session(src, ...inputs);
  back.stepBy(n - end);
  out.push(['stepBy back from the end', snapshot(back)]);
  // A link made there.
  const linked = newSession();
  const r = linked.load({ kind: 'link', fragment: fromEnd.link() });
  if (!r.ok) throw new Error(r.error);
  out.push(['link', snapshot(linked)]);
  // The live end itself, when n is the end.
  if (n === end) out.push(['live end', snapshot(full)]);
  return out;
}

describe('the state after event #i is one state (fast-check over i)', () => {
  const cases: [string, LoadSource, string[]][] = [
    ['net', { kind: 'preset', name: 'net' }, ['ping 1\r']],
    ['bad-dma', { kind: 'preset', name: 'bad-dma' }, []],
    ['irq-order.json', example('irq-order.json'), []],
    ['bind-and-send.json', example('bind-and-send.json'), []],
  ];
  for (const [name, src, inputs] of cases) {
    it(`${name}: live, step, seek from either side, step back and link agree`, () => {
      const probe = session(src, ...inputs);
      const lo = start(probe);
      const hi = probe.shownCount;
      expect(hi).toBeGreaterThan(lo);
      fc.assert(
        fc.property(fc.integer({ min: lo, max: hi }), (n) => {
          const ways = waysTo(src, inputs, n);
          const [, first] = ways[0];
          expect(first.view).toBe(n);
          for (const [how, snap] of ways.slice(1)) expectSame(first, snap, `${name} view ${n}: ${how}`);
        }),
        { numRuns: name === 'net' ? 6 : 12 },
      );
    });
  }
});
