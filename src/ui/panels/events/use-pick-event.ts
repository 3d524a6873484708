/**
 * Click an event anywhere (log, timeline, kill banner, net or block page, a
 * lesson): go to the state right after it (time travel, api.goToEvent) and
 * select it with whatever it touched (key, buffer, device), read from that
 * state (issue #10: one meaning for a click on an event, in every panel).
 */
import { useCallback } from 'react';
import { EVENT_CHUNK, readEvent } from '../../../hw/events.ts';
import { touchedBy } from './event-format.ts';
import { useUi } from '../../store/store.ts';
import { useSimClient } from '../../client/use-shared-view.ts';
import { liveAt } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import type { SelectionSlice } from '../../store/selection-slice.ts';

type Extra = Partial<Pick<SelectionSlice, 'selKey' | 'selDma' | 'selDevice' | 'selSection' | 'selNote'>>;

/** Select event `index` and what it touched in the shown state (`extra` overrides, e.g. the kill banner's struct). */
export function selectEventIn(client: SimClient, index: number, extra: Extra = {}): void {
  const v = client.views;
  const { selectEvent } = useUi.getState();
  if (!v || index >= client.chunks.length * EVENT_CHUNK) return selectEvent(index, extra);
  selectEvent(index, { ...touchedBy(readEvent(client.chunks, index), v, client.chunks, Math.min(liveAt(v, 'recorded'), client.chunks.length * EVENT_CHUNK)), ...extra });
}

/** Go to the state right after event #index, then select it. */
export async function pickEvent(client: SimClient, index: number, extra?: Extra): Promise<void> {
  useUi.getState().selectEvent(index);
  await client.api.goToEvent(index);
  // Cross-origin isolated, the shared buffers already hold the new state (a page on per-frame copies catches up next frame).
  selectEventIn(client, index, extra);
}

export function usePickEvent(): (index: number, extra?: Extra) => void {
  const client = useSimClient();
  return useCallback((index: number, extra?: Extra) => void pickEvent(client, index, extra), [client]);
}
