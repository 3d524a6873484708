/**
 * Killed guests, prominently: the Host's kill reason (KILL event) or the
 * Launcher's exit message, e.g. "guest 1 killed: bad DMA entry: 256@0x3f80".
 */
import React from 'react';
import { killReasons } from '../client/event-digest.ts';
import type { FrameViews } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';
import { usePickEvent } from '../panels/events/use-pick-event.ts';
import { useSharedView } from '../client/use-shared-view.ts';

const decodeKills = (_v: FrameViews, c: SimClient): { guest: number; reason: string; index: number }[] => {
  const reasons = killReasons(c.digest.kills, c.strings);
  return [...reasons].map(([guest, reason]) => ({ guest, reason, index: c.digest.kills.find((k) => k.guest === guest)?.index ?? 0 }));
};

export function KillBanner(): React.JSX.Element | null {
  const kills = useSharedView(decodeKills, []);
  const pick = usePickEvent();
  if (kills.length === 0) return null;
  return (
    <div className="kill-banner" role="alert">
      {kills.map((k) => (
        <button type="button" key={k.guest} className="kill" data-testid="kill-reason" data-guest={k.guest} onClick={() => pick(k.index)}>
          ☠ guest {k.guest} killed: <strong>{k.reason}</strong>
        </button>
      ))}
    </div>
  );
}
