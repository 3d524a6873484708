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
async function session(src: LoadSource, ...inputs: string[]): Promise<Session> {
  const s = newSession();
  const r = await s.load(src);
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
    it(`${preset}: back to the first state, then every step shows exactly one more event, and back again`, async () => {
      const s = await session({ kind: 'preset', name: preset });
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

  it('stepping onto the last event shows the same state as the live end, and the next step stays there', async () => {
    const s = await session({ kind: 'preset', name: 'net' }, 'ping 1\r');
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
async function waysTo(src: LoadSource, inputs: string[], n: number): Promise<[string, ReturnType<typeof snapshot>][]> {
  const out: [string, ReturnType<typeof snapshot>][] = [];
  const full = await session(src, ...inputs);
  const end = full.shownCount;
  // Live: a fresh session run by its own run loop, paused by runUntil right after the event.
  const host = drainHost();
  const live = newSession(host);
  await live.load(src);
  if (n > start(live)) {
    const boot = (await session(src)).shownCount;
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
  const stepped = await session(src, ...inputs);
  stepped.goToStart();
  while (stepped.shownCount < n) stepped.step();
  out.push(['step from the start', snapshot(stepped)]);
  // Seek from the end (behind) and from the start (ahead).
  const fromEnd = await session(src, ...inputs);
  fromEnd.seek(n);
  out.push(['seek from the end', snapshot(fromEnd)]);
  const fromStart = await session(src, ...inputs);
  fromStart.goToStart();
  fromStart.seek(n);
  out.push(['seek from the start', snapshot(fromStart)]);
  // Step back from the end.
  const back = await session(src, ...inputs);
  back.stepBy(n - end);
  out.push(['stepBy back from the end', snapshot(back)]);
  // A link made there.
  const linked = newSession();
  const r = await linked.load({ kind: 'link', fragment: await fromEnd.link() });
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
    it(`${name}: live, step, seek from either side, step back and link agree`, async () => {
      const probe = await session(src, ...inputs);
      const lo = start(probe);
      const hi = probe.shownCount;
      expect(hi).toBeGreaterThan(lo);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: lo, max: hi }), async (n) => {
          const ways = await waysTo(src, inputs, n);
          const [, first] = ways[0];
          expect(first.view).toBe(n);
          for (const [how, snap] of ways.slice(1)) expectSame(first, snap, `${name} view ${n}: ${how}`);
        }),
        { numRuns: name === 'net' ? 4 : 12 },
      );
    });
  }
});

/** A host on a virtual clock: timers fire in time order as the test advances the clock. */
function clockHost(): SessionHost & { advance(ms: number): void; t: number } {
  const timers: { at: number; seq: number; fn: () => void }[] = [];
  let seq = 0;
  const h = {
    t: 0,
    now: () => h.t,
    defer: (fn: () => void) => void timers.push({ at: h.t, seq: seq++, fn }),
    later: (fn: () => void, ms: number) => void timers.push({ at: h.t + ms, seq: seq++, fn }),
    advance(ms: number) {
      const end = h.t + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        h.t = Math.max(h.t, next.at);
        next.fn();
      }
      h.t = end;
    },
  };
  return h;
}

describe('slow motion', () => {
  it('at 2 ev/s, 10 s of running applies 20 ± 2 events, one at a time, evenly spaced, each shown', async () => {
    const host = clockHost();
    const s = newSession(host);
    await s.load({ kind: 'preset', name: 'net' });
    s.setSpeed(2);
    s.run();
    const live = new Uint32Array(s.info().live);
    const seen: { t: number; view: number }[] = [];
    for (let ms = 0; ms < 10_000; ms += 50) {
      host.advance(50);
      const view = live[liveWord('view')];
      if (seen.length === 0 || seen[seen.length - 1].view !== view) seen.push({ t: host.t, view });
    }
    const applied = s.shownCount - start(s);
    expect(applied).toBeGreaterThanOrEqual(18);
    expect(applied).toBeLessThanOrEqual(22);
    // Each change is exactly one event, about 500 ms after the previous one.
    for (let k = 1; k < seen.length; k++) {
      expect(seen[k].view - seen[k - 1].view).toBe(1);
      if (k > 1) expect(Math.abs(seen[k].t - seen[k - 1].t - 500)).toBeLessThanOrEqual(50);
    }
  });

  it('at 1k ev/s a second applies about a thousand events (the budget is kept on average)', async () => {
    const host = clockHost();
    const t = newSession(host);
    await t.load({ kind: 'preset', name: 'net' });
    t.runToEnd();
    t.typeInput(0, 'ping -f 1\r'); // a flood: never idle
    t.setSpeed(1000);
    const before = t.shownCount;
    t.run();
    host.advance(1000);
    t.pause();
    const ran = t.shownCount - before;
    expect(ran).toBeGreaterThan(850);
    expect(ran).toBeLessThan(1150);
  });
});

describe('navigation by filter', () => {
  it('next / previous hypercall, DMA, interrupt and guest land on such events, from the first and the last event too', async () => {
    const s = await session({ kind: 'preset', name: 'net' }, 'ping 1\r');
    const end = s.shownCount;
    const trace = (await s.exportTrace('jsonl', 'all').text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string | number>);
    expect(trace).toHaveLength(end);
    s.goToStart();
    const hc = s.goToMatch({ kind: 'hcall' }, 'next');
    expect(trace[hc].kind).toBe('hcall');
    expect(s.shownCount).toBe(hc + 1);
    const dma = s.goToMatch({ kind: 'dma' }, 'next');
    expect(trace[dma].kind).toBe('dma');
    expect(trace.slice(hc + 1, dma).some((e) => e.kind === 'dma')).toBe(false);
    const irq = s.goToMatch({ kind: 'irq_deliver' }, 'next');
    expect(trace[irq].kind).toBe('irq_deliver');
    const g1 = s.goToMatch({ guest: 1 }, 'next');
    expect(trace[g1].guest).toBe(1);
    expect(trace.slice(irq + 1, g1).some((e) => e.guest === 1)).toBe(false);
    s.goToEnd();
    expect(s.shownCount).toBe(end);
    const lastHc = s.goToMatch({ kind: 'hcall' }, 'prev');
    expect(trace[lastHc].kind).toBe('hcall');
    expect(trace.slice(lastHc + 1, end - 1).some((e) => e.kind === 'hcall')).toBe(false);
    const send = s.goToMatch({ kind: 'hcall', call: 'SEND_DMA', guest: 0 }, 'prev');
    expect([trace[send].call, trace[send].guest]).toEqual(['SEND_DMA', 0]);
    // From the start nothing is before: -1 and nothing moves; past the idle end nothing is after.
    s.goToStart();
    expect(s.goToMatch({ kind: 'hcall' }, 'prev')).toBe(-1);
    expect(s.shownCount).toBe(start(s));
    s.goToEnd();
    expect(s.goToMatch({ kind: 'kill' }, 'next')).toBe(-1);
    expect(s.shownCount).toBe(end);
  });

  it('runUntil pauses right after the first matching event', async () => {
    const host = drainHost();
    const s = newSession(host);
    await s.load({ kind: 'preset', name: 'net' });
    s.runUntil({ kind: 'hcall', call: 'SEND_DMA', guest: 1 });
    host.drain();
    expect(new Uint32Array(s.info().live)[liveWord('running')]).toBe(0);
    const i = s.shownCount - 1;
    // It was the first such event: none before it, and searching from the start finds it.
    expect(s.goToMatch({ kind: 'hcall', call: 'SEND_DMA', guest: 1 }, 'prev')).toBe(-1);
    s.goToStart();
    expect(s.goToMatch({ kind: 'hcall', call: 'SEND_DMA', guest: 1 }, 'next')).toBe(i);
  });
});

describe('reset and export', () => {
  it('reset reloads a link with its inputs, from its start', async () => {
    const a = await session({ kind: 'preset', name: 'console' }, 'echo lecture\r');
    const s = newSession();
    await s.load({ kind: 'link', fragment: await a.link() });
    await s.reset();
    expect(s.shownCount).toBe(start(s));
    s.runToEnd();
    expect(s.console(0, 0).text).toContain('lecture');
    expect(s.hash()).toBe(a.hash());
  });

  it('export while back in time: "shown" stops at the shown event, "all" has every recorded event', async () => {
    const s = await session({ kind: 'preset', name: 'console' }, 'help\r');
    const end = s.shownCount;
    s.seek(end - 10);
    const lines = async (r: 'shown' | 'all'): Promise<number> => (await s.exportTrace('jsonl', r).text()).trimEnd().split('\n').length;
    expect(await lines('shown')).toBe(end - 10);
    expect(await lines('all')).toBe(end);
  });
});
