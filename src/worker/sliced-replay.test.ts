/** The page's replay in slices (issue #11): load returns at once, progress grows slice by slice, cancel stops it, and a link over the budget is refused. */
import { describe, expect, it } from 'vitest';
import { encodeLink } from '../trace/link.ts';
import { makeRecording } from '../trace/recording.ts';
import { Session, type SessionHost } from './session.ts';
import { PAGE_REPLAY_BUDGET, replayBudgetProblem } from './sliced-replay.ts';

/** Deferred work runs only when the test drains it; the clock moves 1 ms per reading, so slices are short. */
function queuedHost(): { host: SessionHost; q: (() => void)[] } {
  const q: (() => void)[] = [];
  let t = 0;
  return { q, host: { now: () => (t += 1), defer: (fn) => void q.push(fn), later: (fn) => void q.push(fn) } };
}

const pingLink = encodeLink(makeRecording({ preset: 'net' }, [{ at: -1, guest: 0, text: 'ping 1 2000\n', idle: true }]));

describe('sliced replay', () => {
  it('load returns before the replay runs; slices then reach the same state as a blocking replay', async () => {
    const blocking = new Session({ now: () => 0, defer: () => {}, later: () => {} }, (n) => new ArrayBuffer(n));
    expect((await blocking.load({ kind: 'link', fragment: pingLink })).ok).toBe(true);

    const { host, q } = queuedHost();
    const s = new Session(host, (n) => new ArrayBuffer(n));
    expect((await s.load({ kind: 'link', fragment: pingLink, sliced: true })).ok).toBe(true);
    expect(s.replayProgress()?.state).toBe('running');
    expect(s.replayProgress()!.done).toBeLessThan(50); // only the machine's start-up events
    const seen: number[] = [];
    for (let guard = 0; q.length > 0 && guard < 100_000; guard++) {
      q.shift()!();
      const p = s.replayProgress()!;
      seen.push(p.done);
      if (p.state !== 'running') break;
    }
    expect(seen.length).toBeGreaterThan(3); // many slices, not one call
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(s.replayProgress()!.state).toBe('done');
    expect(s.shownCount).toBe(blocking.shownCount);
    expect(s.hash()).toBe(blocking.hash());
  });

  it('cancel stops the replay where it is, and nothing runs after', async () => {
    const { host, q } = queuedHost();
    const s = new Session(host, (n) => new ArrayBuffer(n));
    const long = encodeLink(makeRecording({ preset: 'net' }, [{ at: -1, guest: 0, text: 'ping 1 30000\n', idle: true }]));
    expect((await s.load({ kind: 'link', fragment: long, sliced: true })).ok).toBe(true);
    q.shift()!();
    q.shift()!();
    expect(s.replayProgress()!.state).toBe('running');
    const at = s.replayProgress()!.done;
    expect(at).toBeGreaterThan(0);
    s.cancelReplay();
    while (q.length > 0) q.shift()!();
    expect(s.replayProgress()).toMatchObject({ state: 'cancelled', done: at });
    expect(s.shownCount).toBe(at);
  });

  it('refuses a link that asks for more events than the page replays, and the session stays as it was', async () => {
    const big = makeRecording({ preset: 'console' }, [], PAGE_REPLAY_BUDGET + 1);
    expect(replayBudgetProblem(big)).toMatch(/needs 5000001 events replayed; the page replays at most 5000000/);
    const stamped = makeRecording({ preset: 'console' }, [{ at: PAGE_REPLAY_BUDGET + 7, guest: 0, text: 'x', idle: false }]);
    expect(replayBudgetProblem(stamped)).toMatch(/needs 5000007 events/);
    expect(replayBudgetProblem(makeRecording({ preset: 'console' }, [], PAGE_REPLAY_BUDGET))).toBeNull();

    const { host } = queuedHost();
    const s = new Session(host, (n) => new ArrayBuffer(n));
    expect((await s.load({ kind: 'preset', name: 'console' })).ok).toBe(true);
    const before = s.hash();
    const r = await s.load({ kind: 'link', fragment: encodeLink(big), sliced: true });
    expect(r.ok ? 'ok' : r.error).toMatch(/^link: this recording needs 5000001 events replayed; the page replays at most 5000000/);
    expect(s.hash()).toBe(before);
    expect(s.replayProgress()).toBeNull();
  });
});
