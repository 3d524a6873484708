/**
 * The Web Worker entry (kept tiny, as Perfetto's engine entry):
 * 1. make a Session whose clock and scheduling come from the worker,
 * 2. expose it over comlink; the page holds the other end.
 */
import * as Comlink from 'comlink';
import { Session, type SessionHost } from './session.ts';

// A zero-delay yield that lets comlink messages in between slices (setTimeout(0) is clamped to 4 ms).
const channel = new MessageChannel();
const queue: (() => void)[] = [];
channel.port1.onmessage = () => queue.shift()?.();

const host: SessionHost = {
  now: () => performance.now(),
  defer: (fn) => {
    queue.push(fn);
    channel.port2.postMessage(0);
  },
  later: (fn, ms) => void setTimeout(fn, ms),
};

Comlink.expose(new Session(host));
