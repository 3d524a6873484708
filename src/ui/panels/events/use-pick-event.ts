/** Select an event and whatever it touched (key, buffer, device), as the event log does on click. */
import { useCallback } from 'react';
import { EVENT_CHUNK, readEvent } from '../../../hw/events.ts';
import { touchedBy } from './event-format.ts';
import { useUi } from '../../store/store.ts';
import { useSimClient } from '../../client/use-shared-view.ts';

export function usePickEvent(): (index: number) => void {
  const client = useSimClient();
  const selectEvent = useUi((s) => s.selectEvent);
  return useCallback(
    (index: number) => {
      const v = client.views;
      if (!v || index >= client.chunks.length * EVENT_CHUNK) return selectEvent(index);
      selectEvent(index, touchedBy(readEvent(client.chunks, index), v));
    },
    [client, selectEvent],
  );
}
