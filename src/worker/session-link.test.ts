/** Share links through the worker API (issue #5): link() → load({kind:'link'}) replays the same state and selection; bad links and recordings are refused and leave the session as it was. */
import { describe, expect, it } from 'vitest';
import type { Recording } from '../trace/recording.ts';
import { Session, type SessionHost } from './session.ts';

const host: SessionHost = { now: () => 0, defer: () => {}, later: () => {} };

async function typed(preset: string, ...inputs: string[]): Promise<Session> {
  const s = new Session(host, (n) => new ArrayBuffer(n));
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  for (const text of inputs) {
    s.typeInput(0, text);
    s.runToEnd();
  }
  return s;
}

describe('Session links', () => {
  it('a link replays to the same shown event, state hash and selection', async () => {
    const a = await typed('console', 'echo one\r', 'help\r');
    const end = a.shownCount;
    a.seek(Math.floor(end / 2));
    expect(a.shownCount).toBe(Math.floor(end / 2));
    const ui = { guest: 0, key: '0:0x0:0x2100', event: a.shownCount - 1, tab: 'bytes' };
    a.setUiState(ui);
    const fragment = await a.link();
    expect(fragment).toMatch(/^1\.[A-Za-z0-9_-]+$/);

    const b = new Session(host, (n) => new ArrayBuffer(n));
    const r = await b.load({ kind: 'link', fragment });
    expect(r.ok ? 'ok' : r.error).toBe('ok');
    expect(b.shownCount).toBe(a.shownCount);
    expect(b.hash()).toBe(a.hash());
    expect(b.console(0, 0).text).toBe(a.console(0, 0).text);
    expect(b.recording().ui).toEqual(ui);
  });

  it('a link made mid-flood (a session that never settles) replays to the shown event, not without end', async () => {
    // Run the flood for a few slices, as the page does, then pause it mid-flood.
    const q: (() => void)[] = [];
    let t = 0;
    const a = new Session({ now: () => (t += 1), defer: (fn) => void q.push(fn), later: (fn) => void q.push(fn) }, (n) => new ArrayBuffer(n));
    await a.load({ kind: 'preset', name: 'net' });
    a.runToEnd();
    a.run();
    a.typeInput(0, 'ping -f 1\r');
    for (let k = 0; k < 40 && q.length > 0; k++) q.shift()!();
    a.pause();
    expect(a.shownCount).toBeGreaterThan(1000);
    const rec = a.recording();
    expect(rec.view).toBe(a.shownCount);
    const b = new Session(host, (n) => new ArrayBuffer(n));
    expect((await b.load({ kind: 'link', fragment: await a.link() })).ok).toBe(true);
    expect(b.shownCount).toBe(a.shownCount);
    expect(b.hash()).toBe(a.hash());
    // Settled at the end, a recording needs no shown event.
    expect((await typed('console', 'echo settled\r')).recording().view).toBeUndefined();
  });

  it('a bad link is refused with its message and the current session stays', async () => {
    const s = await typed('console', 'echo kept\r');
    const before = { count: s.shownCount, hash: s.hash() };
    for (const fragment of ['', 'hello', '1.@@@', '2.abc', (await s.link()).slice(0, 12)]) {
      const r = await s.load({ kind: 'link', fragment });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^link: /);
      expect({ count: s.shownCount, hash: s.hash() }).toEqual(before);
    }
  });

  it('a recording from the page is validated before it replays', async () => {
    const s = await typed('console');
    const bad = { v: 1, preset: 'console', inputs: [[null, 0, 7]] } as unknown as Recording;
    const r = await s.load({ kind: 'recording', recording: bad });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^recording: inputs\[0\]\[2\]/) });
    const good = (await typed('console', 'echo from a file\r')).recording();
    expect((await s.load({ kind: 'recording', recording: JSON.parse(JSON.stringify(good)) as Recording })).ok).toBe(true);
    expect(s.console(0, 0).text).toContain('from a file');
  });
});
