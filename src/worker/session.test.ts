import { describe, expect, it } from 'vitest';
import { Session, type SessionHost } from './session.ts';
import { liveWord } from './live-block.ts';

/** A host whose deferred work runs only when the test drains it: deterministic, no timers. */
function testHost(): SessionHost & { drain(max?: number): void } {
  const q: (() => void)[] = [];
  let t = 0;
  return {
    now: () => (t += 1),
    defer: (fn) => void q.push(fn),
    later: (fn) => void q.push(fn),
    drain(max = 100_000) {
      for (let i = 0; i < max && q.length > 0; i++) q.shift()!();
    },
  };
}

async function booted(preset: string): Promise<{ s: Session; host: ReturnType<typeof testHost> }> {
  const host = testHost();
  const s = new Session(host, (n) => new ArrayBuffer(n));
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  return { s, host };
}

describe('Session', () => {
  it('boots the console preset and echoes typed input while running', async () => {
    const { s, host } = await booted('console');
    expect(s.console(0, 0).text).toContain('Welcome to lguest-lab');
    s.run();
    s.typeInput(0, 'echo hi\r');
    host.drain();
    expect(s.console(0, 0).text).toMatch(/echo hi\r?\n(\r\n)?hi\r\n/);
  });

  it('exports the trace as a Blob: the Chrome trace has an instant per event, the JSON lines a line per event', async () => {
    const { s } = await booted('console');
    const count = new Uint32Array(s.info().live)[liveWord('events')];
    expect(count).toBeGreaterThan(0);
    const chrome = s.exportTrace('chrome');
    expect(chrome.type).toBe('application/json');
    const doc = JSON.parse(await chrome.text()) as { traceEvents: { ph: string }[] };
    expect(doc.traceEvents.filter((e) => e.ph === 'i')).toHaveLength(count);
    const jsonl = s.exportTrace('jsonl');
    expect(jsonl.type).toBe('application/x-ndjson');
    expect((await jsonl.text()).trimEnd().split('\n')).toHaveLength(count);
  });

  it('step shows exactly one more event, stepBack one less, and the live block says so', async () => {
    const { s } = await booted('console');
    s.typeInput(0, 'help\r');
    const start = s.shownCount;
    const live = new Uint32Array(s.info().live);
    for (let k = 1; k <= 5; k++) {
      s.step();
      expect(s.shownCount).toBe(start + k);
      expect(live[liveWord('view')]).toBe(start + k);
    }
    s.stepBack();
    s.stepBack();
    expect(s.shownCount).toBe(start + 3);
    s.step();
    expect(s.shownCount).toBe(start + 4);
  });

  it('a recording replays to the same memory hash and shown event', async () => {
    const { s } = await booted('block');
    s.typeInput(0, 'blk write 5 abc\r');
    s.runToEnd();
    s.typeInput(0, 'blk read 5\r');
    s.runToEnd();
    s.seek(s.shownCount - 40);
    const rec = s.recording();
    const hash = s.hash();
    const other = new Session(testHost(), (n) => new ArrayBuffer(n));
    const r = await other.load({ kind: 'recording', recording: JSON.parse(JSON.stringify(rec)) });
    expect(r.ok).toBe(true);
    expect(other.shownCount).toBe(s.shownCount);
    expect(other.hash()).toBe(hash);
    other.runToEnd();
    expect(other.console(0, 0).text).toContain('abc');
  });

  it('a bad scenario is refused with a message and leaves the session untouched', async () => {
    const { s } = await booted('console');
    const before = s.hash();
    const shown = s.shownCount;
    const r = await s.load({ kind: 'scenario', text: '{"guests": [{"kernel": "script", "script": [{"op": "jump"}]}]}', fileName: 'x.json' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('x.json: guests[0].script[0].op: unknown op; use write, read, hcall, wait or yield');
    expect(s.hash()).toBe(before);
    expect(s.shownCount).toBe(shown);
  });

  it('loads land in the order they were asked for, though a checked source waits for its chunk and a core preset does not', async () => {
    const { s } = await booted('console');
    // The scenario needs load-checked.ts (fetched on first use); the preset after it needs nothing.
    const first = s.load({ kind: 'scenario', text: JSON.stringify({ name: 'first', guests: [{ kernel: 'lguest' }] }) });
    const second = s.load({ kind: 'preset', name: 'net' });
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    expect(s.recording().preset).toBe('net');
    expect(s.info().guests).toHaveLength(2);
  });

  it('typing while viewing the past forks the timeline from there', async () => {
    const { s } = await booted('console');
    s.typeInput(0, 'echo one\r');
    s.runToEnd();
    s.typeInput(0, 'echo three\r');
    s.runToEnd();
    const [{ at: oneAt }, { at: threeAt }] = s.inputs();
    // Back to just after "echo one" reached the terminal, before "echo three" did: type something else.
    s.seek(oneAt + 3);
    expect(s.shownCount).toBeLessThan(threeAt);
    s.typeInput(0, 'echo two\r');
    s.runToEnd();
    const text = s.console(0, 0).text;
    // "echo two" was typed ahead while "echo one" ran: both commands' output lines appear.
    expect(text).toMatch(/\r\none\r\n/);
    expect(text).toMatch(/(\r\n|# )two\r\nlguest# $/);
    expect(text).not.toContain('three');
    expect(s.recording().inputs.map((x) => x[2])).toEqual(['echo one\r', 'echo two\r']);
  });

  it('an exception in the simulation stops the session, keeps the recording, and recovers to the last good state', async () => {
    const { s, host } = await booted('console');
    s.typeInput(0, 'echo before\r');
    s.runToEnd();
    const faultAt = s.shownCount + 5;
    s.injectFault(faultAt);
    s.run();
    s.typeInput(0, 'echo after\r');
    host.drain();
    const f = s.fault();
    expect(f).not.toBeNull();
    expect(f!.message).toMatch(/injected fault after event #\d+/);
    expect(new Uint32Array(s.info().live)[liveWord('fault')]).toBe(1);
    // Nothing runs while faulted, and the recording so far is intact.
    s.step();
    expect(s.recording().inputs.map((x) => x[2])).toEqual(['echo before\r', 'echo after\r']);
    const r = await s.recover();
    expect(r.ok).toBe(true);
    expect(s.fault()).toBeNull();
    expect(s.shownCount).toBe(f!.lastGood);
    expect(s.console(0, 0).text).toContain('before');
    // Running on from the restored state works again.
    s.runToEnd();
    expect(s.console(0, 0).text).toContain('after');
  });
});
