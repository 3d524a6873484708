/**
 * A share link pasted into the address bar of an open page changes only the
 * fragment: no reload, a `hashchange`. Open it like a link at start (share.ts);
 * a bad one leaves the session that was running as it was.
 */
import { useEffect } from 'react';
import { loadPreset } from '../client/session-actions.ts';
import { hashFragment, openLink } from './share.ts';
import type { SimClient } from '../client/sim-client.ts';
import { useUi } from '../store/store.ts';

export function useLinkHash(client: SimClient): void {
  useEffect(() => {
    const onHash = (): void => {
      const fragment = hashFragment();
      if (fragment === '') return;
      void (async () => {
        const outcome = await openLink(client, fragment, 'The session you had goes on unchanged.');
        if (outcome !== 'failed') return;
        // The replay threw part way: the worker's session is not the old one any more.
        const e = useUi.getState().linkError;
        await loadPreset(client, 'console');
        if (e) useUi.getState().setLinkError({ ...e, instead: 'Showing the default console session instead.' });
      })();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [client]);
}
