/**
 * "Share" (issue #5): builds the session's link (share.ts), copies it to the
 * clipboard and says how long it is; the link also stays in a read-only field
 * to copy by hand when the clipboard is missing or denied. A link over
 * MAX_LINK_BYTES is not offered: "Download recording" saves a .lguest.json
 * file to open instead ("open…" or a drop on the page).
 */
import React, { lazy, Suspense, useEffect, useState } from 'react';
import { copyText, makeShareLink } from './share.ts';
import type { ShareState } from './share-panel.tsx';
import { useSimClient } from '../client/use-shared-view.ts';
import './share.css';

// What the button opens is its own chunk, fetched at the first share (issue #15: the first load).
const SharePanel = lazy(() => import('./share-panel.tsx').then((m) => ({ default: m.SharePanel })));

export function ShareButton(): React.JSX.Element {
  const client = useSimClient();
  const [state, setState] = useState<ShareState | null>(null);

  const share = async (): Promise<void> => {
    setState({ phase: 'working' });
    try {
      const link = await makeShareLink(client);
      const copied = !link.tooLong && (await copyText(link.url));
      setState({ phase: 'ready', link, copied });
    } catch (e) {
      setState({ phase: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  useEffect(() => {
    if (state === null) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setState(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state]);

  return (
    <span className="share">
      <button type="button" data-testid="share" className={state ? 'active' : ''} onClick={() => void share()} title="Copy a link that replays this session to this very event">
        share
      </button>
      {state && (
        <Suspense fallback={null}>
          <SharePanel state={state} onClose={() => setState(null)} />
        </Suspense>
      )}
    </span>
  );
}
