/**
 * Jump to the next / previous event of a kind (the ◂ ▸ buttons and the
 * h/d/i keys, issue #10). When there is none the shown state stays where it
 * was (Session.goToMatch returns -1), and the page says so: a jump that
 * silently does nothing reads as a broken control in front of a class.
 */
import type { SimClient } from '../client/sim-client.ts';
import type { EventFilter } from '../../worker/api.ts';
import { useUi } from '../store/store.ts';

export async function jumpTo(client: SimClient, filter: EventFilter, direction: 'next' | 'prev', label: string): Promise<void> {
  const found = await client.api.goToMatch(filter, direction);
  useUi.getState().setJumpNotice(found >= 0 ? null : `no ${direction === 'next' ? 'later' : 'earlier'} ${label}`);
}
