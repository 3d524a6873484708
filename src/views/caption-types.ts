/**
 * What a caption is, and the facts beyond the event record it may need. The
 * caller reads those facts from the shared-memory views (which page a key is
 * in, the sender's struct) and from neighbouring events of the same call (a
 * kill, the DMA a send made); a caption never guesses them. A fact left out
 * makes the caption say less, never something that did not happen.
 */
import type { SourceRef } from './source-refs.ts';

export interface Caption {
  /** One line in plain words. */
  readonly text: string;
  /** The rules of ../shared/spec/lguest-io.md it follows, e.g. ['§2.4 step 2', '§7.2']. */
  readonly spec: readonly string[];
  /** The v2.6.23 function that does it (null only for a kind this build does not know). */
  readonly source: SourceRef | null;
}

/** Where a key's page is, from the guest's page map: a shared object's page, its own memory, or neither. */
export type KeyPage = 'private' | 'shared' | 'unmapped';

/** What the Host's send to a shared key did, from the events it recorded before the call returned. */
export type Delivery =
  /** dma_transfer copied into guest `to`'s entry (a DMA event). */
  | { readonly kind: 'copied'; readonly to: number; readonly bytes: number; readonly entry: number }
  /** Guest `to` had bound the key but every entry was in use, `tries` times (DMA_FULL events). */
  | { readonly kind: 'full'; readonly to: number; readonly tries: number }
  /** The receiver was killed while the Host read or checked its buffers (a KILL of guest `to`). */
  | { readonly kind: 'receiver-killed'; readonly to: number; readonly reason: string }
  /** No other guest had bound the key: no event at all. */
  | { readonly kind: 'nobody' };

export interface CaptionContext {
  /** HCALL SEND_DMA/BIND_DMA, DMA, LHREQ GETDMA: the page the key lies in, for the event's guest. */
  readonly keyPage?: KeyPage;
  /**
   * HCALL, LHREQ: the reason the guest was killed while this call or request
   * ran (a KILL event of the same guest recorded for it); null when it was not killed.
   */
  readonly killedFor?: string | null;
  /** HCALL SEND_DMA to a shared key: what the send did. */
  readonly delivery?: Delivery;
  /** DMA: the sender's total section length (len[] up to the first 0), read from its struct while it is still as sent. */
  readonly sentBytes?: number;
  /** DMA_FULL: 1 for send_dma's first try, 2 for its one retry. */
  readonly attempt?: number;
  /** LAUNCHER_OUTPUT, STATUS: the device's type name from the descriptor page ('console', 'block', 'net'). */
  readonly deviceType?: string;
  /** LHREQ: the guest was already dead when the request was written. */
  readonly guestDead?: boolean;
}

/** `0x…` for addresses and keys (0 too, so "key 0x0" reads as a key). */
export const hx = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** A guest number as a caption says it (0xffffffff: the Launcher has no guest yet). */
export const guestName = (g: number): string => (g >>> 0 === 0xffffffff ? 'a Launcher with no guest yet' : `guest ${g >>> 0}`);

/** "1 byte", "18 bytes". */
export const bytesOf = (n: number): string => (n === 1 ? '1 byte' : `${n} bytes`);

/** A string quoted on one line (kill reasons may end in "\n"). */
export const quote = (s: string): string => JSON.stringify(s);

/** Control characters (from names in memory or the log) would break the one line: shown as spaces. */
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');

export const caption = (text: string, spec: readonly string[], source: SourceRef | null): Caption => ({ text: oneLine(text), spec, source });
