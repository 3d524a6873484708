/**
 * `useSharedView(decode)`: a component's window onto shared memory. The
 * decoder runs when the client's frame version moved (the live block's `seq`
 * changed, or an answer arrived), and the component re-renders only when the
 * decoded value differs structurally from the last one.
 */
import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import type { FrameViews } from './frame-views.ts';
import type { SimClient } from './sim-client.ts';

export const SimClientContext = createContext<SimClient | null>(null);

export function useSimClient(): SimClient {
  const c = useContext(SimClientContext);
  if (!c) throw new Error('useSimClient outside <SimClientContext>');
  return c;
}

export type Decoder<T> = (v: FrameViews, client: SimClient) => T;

/** Structural equality for decoded values (plain objects, arrays, primitives). */
export function sameShape(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameShape(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) if (!sameShape(ra[k], rb[k])) return false;
  return true;
}

/**
 * Decode from shared memory on each frame that changed anything. `decode`
 * should be stable (module-level or useCallback): a new function re-decodes.
 */
export function useSharedView<T>(decode: Decoder<T>, fallback: T): T {
  const client = useSimClient();
  const cache = useRef<{ version: number; decode: Decoder<T>; value: T } | null>(null);
  const getSnapshot = (): T => {
    const c = cache.current;
    if (c && c.version === client.version && c.decode === decode) return c.value;
    const v = client.views;
    let value = v ? decode(v, client) : fallback;
    if (c && sameShape(c.value, value)) value = c.value;
    cache.current = { version: client.version, decode, value };
    return value;
  };
  return useSyncExternalStore(client.subscribe, getSnapshot);
}
