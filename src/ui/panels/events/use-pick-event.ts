/**
 * Click an event anywhere (log, timeline, kill banner, net or block page, a
 * lesson): go to the state right after it (time travel, api.goToEvent) and
 * select it with whatever it touched (key, buffer, device), read from that
 * state (issue #10: one meaning for a click on an event, in every panel).
 */
import { useCallback } from 'react';
import { touchedBy } from './event-format.ts';
import { useUi } from '../../store/store.ts';
import { useSimClient } from '../../client/use-shared-view.ts';
import { liveAt } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import type { SelectionSlice } from '../../store/selection-slice.ts';

type Extra = Partial<Pick<SelectionSlice, 'selKey' | 'selDma' | 'selDevice' | 'selSection' | 'selNote'>>;
/** What to select besides the event, or a function reading it once the event's state is shown (its events are readable then). */
type ExtraOf = Extra | (() => Extra);

/**
 * Select event `index` and what it touched in the shown state (`extra`
 * overrides, e.g. the kill banner's struct). An event not readable (not in
 * memory: the seek to it regenerates it) is selected alone.
 */
export function selectEventIn(client: SimClient, index: number, extra: ExtraOf = {}): void {
  const v = client.views;
  const { selectEvent } = useUi.getState();
  const more = typeof extra === 'function' ? extra() : extra;
  const ev = client.events.read(index);
  if (!v || !ev) return selectEvent(index, more);
  selectEvent(index, { ...touchedBy(ev, v, client.events, liveAt(v, 'recorded')), ...more });
}

/** Go to the state right after event #index, then select it. */
export async function pickEvent(client: SimClient, index: number, extra?: ExtraOf): Promise<void> {
  useUi.getState().selectEvent(index);
  await client.api.goToEvent(index);
  // Cross-origin isolated, the shared buffers already hold the new state (a page on per-frame copies catches up next frame).
  selectEventIn(client, index, extra);
}

export function usePickEvent(): (index: number, extra?: ExtraOf) => void {
  const client = useSimClient();
  return useCallback((index: number, extra?: ExtraOf) => void pickEvent(client, index, extra), [client]);
}
