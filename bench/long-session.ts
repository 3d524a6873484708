/**
 * The long-session measurement (bench/retained-memory.ts runs it): run as a
 * bundle in a child process, `node --expose-gc long-session.mjs MEMORY_PINGS
 * LONG_PINGS`, so the Session runs as the page's worker runs it (bundled, no
 * tsx module wrappers) and the memory figures start from a fresh heap.
 * Prints one JSON line.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session, type SessionHost } from '../src/worker/session.ts';

const SEEKS = 40;

/** A full collection, whether or not node runs with --expose-gc. */
function fullGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Heap + array buffers after full collections; array buffers' backing stores are released a little later, so settle first. */
async function retainedBytes(): Promise<number> {
  fullGc();
  await new Promise((r) => setTimeout(r, 50));
  fullGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Deterministic pseudo-random numbers in [0, 1) (the sample set must not depend on Math.random). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 0x1_0000_0000;
}

const host: SessionHost = { now: () => performance.now(), defer: () => {}, later: () => {} };

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

/** Seek to `n` random events in [from, to) through the session's API; the time of each, in ms. */
function seeks(s: Session, from: number, to: number, n: number, rand: () => number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const target = from + Math.floor(rand() * (to - from));
    const t0 = performance.now();
    s.goToEvent(target);
    out.push(performance.now() - t0);
    if (s.shownCount !== target + 1) throw new Error(`long session: a seek to #${target} showed ${s.shownCount} events`);
  }
  return out;
}

async function main(memoryPings: number, longPings: number): Promise<void> {
  const empty = await retainedBytes();
  const s = new Session(host, (n) => new ArrayBuffer(n));
  const r = await s.load({ kind: 'preset', name: 'net' });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  const before = await retainedBytes();
  const t0 = performance.now();
  s.typeInput(0, `ping 1 ${memoryPings}\r`);
  s.runToEnd();
  const runMs = performance.now() - t0;
  const events = s.shownCount;
  if (!s.summary().guests[0].console.includes(`${memoryPings} transmitted, ${memoryPings} received`)) throw new Error('long session: the flood did not complete');
  const after = await retainedBytes();
  const rand = lcg(0x15);
  const recent = seeks(s, Math.max(0, events - 1_000_000), events, SEEKS, rand);
  // On to the long run: a second counted flood after the first.
  s.goToEnd();
  s.typeInput(0, `ping 1 ${Math.max(1, longPings - memoryPings)}\r`);
  s.runToEnd();
  const total = s.shownCount;
  const afterLong = await retainedBytes();
  const any = seeks(s, r.info.start, total, SEEKS, rand);
  const recentLong = seeks(s, Math.max(0, total - 1_000_000), total, SEEKS, rand);
  process.stdout.write(
    JSON.stringify({ events, total, runMs, empty, before, after, afterLong, recent: p95(recent), any: p95(any), recentLong: p95(recentLong), eventsPerS: (events * 1000) / runMs }) + '\n',
  );
}

await main(Number(process.argv[2]), Number(process.argv[3]));
