/**
 * The page's replay of a link or recording file, shown while it runs (issue
 * #11): the worker replays in slices (src/worker/sliced-replay.ts) and this
 * polls its progress, draws a bar and offers Cancel. Never one blocking call.
 */
import React from 'react';
import { create } from 'zustand';
import type { ReplayProgress } from '../../worker/sliced-replay.ts';
import type { SimClient } from '../client/sim-client.ts';

interface ReplayView {
  progress: ReplayProgress | null;
  client: SimClient | null;
}

const useReplay = create<ReplayView>(() => ({ progress: null, client: null }));

/** How often the page asks the worker how far it got (ms). */
const POLL_MS = 100;

/** Follow the worker's sliced replay until it ends; the bar shows meanwhile. Resolves with how it ended. */
export async function followReplay(client: SimClient): Promise<ReplayProgress> {
  useReplay.setState({ client, progress: null });
  try {
    for (;;) {
      const p = await client.api.replayProgress();
      if (p === null) return { state: 'done', done: 0, target: 0 };
      useReplay.setState({ progress: p });
      if (p.state !== 'running') return p;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    useReplay.setState({ progress: null, client: null });
  }
}

export function ReplayProgressBar(): React.JSX.Element | null {
  const { progress: p, client } = useReplay();
  if (p === null || p.state !== 'running') return null;
  const known = p.target > 0;
  return (
    <div className="replay-progress" role="status" data-testid="replay-progress">
      <span>
        Replaying the recording: <span data-testid="replay-done">{p.done.toLocaleString('en-US')}</span>
        {known ? ` of ${p.target.toLocaleString('en-US')}` : ''} events
      </span>
      {/* Without a known end the bar is indeterminate (no value). */}
      <progress aria-label="replay progress" max={known ? p.target : undefined} value={known ? Math.min(p.done, p.target) : undefined} />
      <button type="button" className="small" data-testid="replay-cancel" onClick={() => void client?.api.cancelReplay()}>
        Cancel
      </button>
    </div>
  );
}
