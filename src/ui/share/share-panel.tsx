/**
 * The panel "share" opens (issue #5): the link's state as it is made, its
 * size, the read-only field to copy it by hand, and "Download recording"
 * when it is too long for a link. Fetched with the first share (issue #15).
 */
import React, { useEffect, useRef } from 'react';
import { downloadRecording, MAX_LINK_BYTES, type ShareLink } from './share.ts';
import { useSimClient } from '../client/use-shared-view.ts';

export type ShareState = { readonly phase: 'working' } | { readonly phase: 'ready'; readonly link: ShareLink; readonly copied: boolean } | { readonly phase: 'error'; readonly message: string };

const fmt = (n: number): string => n.toLocaleString('en-US');
const kib = (n: number): string => `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;

export function SharePanel({ state, onClose }: { state: ShareState; onClose: () => void }): React.JSX.Element {
  const client = useSimClient();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Not copied: select the link so Ctrl+C is all it takes.
    if (state.phase === 'ready' && !state.copied && !state.link.tooLong) field.current?.select();
  }, [state]);
  return (
    <div className="share-panel" role="dialog" aria-label="Share link" data-testid="share-panel" data-phase={state.phase} data-copied={state.phase === 'ready' ? String(state.copied) : undefined}>
      <div className="share-head">
        <span className="share-status" data-testid="share-status">
          {state.phase === 'working' && 'making the link…'}
          {state.phase === 'error' && `Could not make a link: ${state.message}`}
          {state.phase === 'ready' && (state.link.tooLong ? 'Too long for a link' : state.copied ? '✓ Link copied to the clipboard' : 'Copy this link (the clipboard is not available here)')}
        </span>
        {state.phase === 'ready' && (
          <span className="share-size dim" data-testid="share-size" data-bytes={state.link.bytes}>
            {fmt(state.link.bytes)} bytes
          </span>
        )}
        <button type="button" className="small" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </div>
      {state.phase === 'ready' && !state.link.tooLong && (
        <input ref={field} className="share-link mono" data-testid="share-link" readOnly value={state.link.url} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
      )}
      {state.phase === 'ready' && state.link.tooLong && (
        <p className="share-note" data-testid="share-too-long">
          This session's link would be {kib(state.link.bytes)}, more than links carry reliably ({kib(MAX_LINK_BYTES)}): its scenario holds large data (a disk image). Download the recording and
          open it with “open…” (or drop it on the page) instead.
        </p>
      )}
      {state.phase === 'ready' && (
        <div className="share-actions">
          <span className="dim">The link holds the scenario and what was typed; opening it replays them.</span>
          <button type="button" className={state.link.tooLong ? 'active' : 'small'} data-testid="share-download" onClick={() => void downloadRecording(client)}>
            ⤓ Download recording
          </button>
        </div>
      )}
    </div>
  );
}
