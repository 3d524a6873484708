/**
 * Killed guests, prominently: the Host's kill reason (KILL event) or the
 * Launcher's exit message, e.g. "guest 1 killed: bad DMA entry: 256@0x3f80".
 * A click (or Enter) goes to the state right after the kill and selects what
 * caused it: the lguest_dma the hypercall named and, for a bad entry, the
 * section (issue #10).
 */
import React from 'react';
import { LHCALL_BIND_DMA, LHCALL_SEND_DMA } from '../../abi/constants.ts';
import { EventKind } from '../../hw/events.ts';
import { killReasons } from '../client/event-digest.ts';
import type { FrameViews } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';
import { usePickEvent } from '../panels/events/use-pick-event.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';
import type { SelectionSlice } from '../store/selection-slice.ts';

const decodeKills = (_v: FrameViews, c: SimClient): { guest: number; reason: string; index: number }[] => {
  const reasons = killReasons(c.digest.kills, c.strings);
  return [...reasons].map(([guest, reason]) => ({ guest, reason, index: c.digest.kills.find((k) => k.guest === guest)?.index ?? 0 }));
};

/** "bad DMA entry: 256@0x3f80" (check_dma_list, spec §2.4 step 3a): the section's length and address. */
const BAD_ENTRY = /(\d+)@0x([0-9a-f]+)/i;

/**
 * What the kill was about: the hypercall that finishes right after the KILL
 * (the Host records the call once it returns, spec §3.2) names the struct:
 * SEND_DMA's and BIND_DMA's ebx is the lguest_dma (array) address.
 */
export function culpritOf(client: SimClient, kill: number, guest: number, reason: string): Partial<Pick<SelectionSlice, 'selKey' | 'selDma' | 'selSection'>> {
  for (let i = kill + 1; i < kill + 8; i++) {
    const ev = client.events.read(i);
    // Not in memory (yet): the seek to the kill regenerates it, and the banner asks again then.
    if (!ev) return {};
    if (ev.guest !== guest || ev.kind !== EventKind.HCALL) continue;
    if (ev.a !== LHCALL_SEND_DMA && ev.a !== LHCALL_BIND_DMA) return {};
    const m = BAD_ENTRY.exec(reason);
    return { selKey: null, selDma: { guest, gpa: ev.c }, selSection: m ? { guest, gpa: parseInt(m[2], 16), len: Number(m[1]) } : null };
  }
  return {};
}

export function KillBanner(): React.JSX.Element | null {
  const client = useSimClient();
  const kills = useSharedView(decodeKills, []);
  const pick = usePickEvent();
  if (kills.length === 0) return null;
  return (
    <div className="kill-banner" role="alert">
      {kills.map((k) => (
        <button
          type="button"
          key={k.guest}
          className="kill"
          data-testid="kill-reason"
          data-guest={k.guest}
          title="Show the state right after the kill and the struct that caused it"
          onClick={() => {
            // Read now if the events after the kill are in memory, else once the seek to it has shown them.
            const now = culpritOf(client, k.index, k.guest, k.reason);
            pick(k.index, () => (Object.keys(now).length > 0 ? now : culpritOf(client, k.index, k.guest, k.reason)));
          }}
        >
          ☠ guest {k.guest} killed: <strong>{k.reason}</strong>
        </button>
      ))}
    </div>
  );
}
