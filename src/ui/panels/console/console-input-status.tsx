/**
 * Under each guest's terminal: the bytes typed or pasted that the Launcher
 * has not read yet (the live block's `tty_pending`: the console reads at most
 * the guest's 256-byte input buffer per interrupt, spec §4.2), and what the
 * Launcher said about this guest (LAUNCHER_WARN: warnx, printed on the same
 * terminal in the real lguest), e.g. "console: no dma buffer!" (the bytes it
 * read went to a 1024-byte discard buffer) or "Failed to get console input,
 * ignoring console." (the console is dropped: typing goes nowhere).
 */
import React, { useMemo } from 'react';
import { type FrameViews, liveAt } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useSharedView } from '../../client/use-shared-view.ts';

/** handle_console_input's message when it gives up on the console (spec §4.2). */
const CONSOLE_DROPPED = 'Failed to get console input, ignoring console.';
/** ... and when the guest has no input buffer bound: what it read is discarded. */
const CONSOLE_NO_BUFFER = 'console: no dma buffer!';

interface InputStatus {
  readonly queued: number;
  readonly warnings: readonly { readonly text: string; readonly count: number }[];
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function explain(text: string): string {
  if (text === CONSOLE_DROPPED) return 'the Launcher dropped this console: what is typed now goes nowhere';
  if (text === CONSOLE_NO_BUFFER) return 'no input buffer bound: the bytes read were discarded (1024 at a time)';
  return '';
}

export function ConsoleInputStatus({ guest }: { guest: number }): React.JSX.Element {
  const decode = useMemo(
    () =>
      (v: FrameViews, c: SimClient): InputStatus => ({
        queued: guest < v.info.guests.length ? liveAt(v, 'tty_pending', guest) : 0,
        warnings: c.digest.warnings.filter((w) => w.guest === guest).map((w) => ({ text: c.strings[w.str] ?? '…', count: w.count })),
      }),
    [guest],
  );
  const s = useSharedView(decode, { queued: 0, warnings: [] });
  return (
    <div className="console-input-status">
      <span className={s.queued > 0 ? 'tty-queued busy' : 'tty-queued'} data-testid="tty-queued" data-guest={guest} data-bytes={s.queued} title="typed or pasted bytes the Launcher has not read yet (at most 256 per console interrupt)">
        {s.queued > 0 ? `${fmt(s.queued)} bytes queued at the terminal` : 'terminal queue empty'}
      </span>
      {s.warnings.map((w) => (
        <span key={w.text} className="console-warning" data-testid="console-warning" data-guest={guest} title={explain(w.text)}>
          launcher: {w.text}
          {w.count > 1 && ` ×${fmt(w.count)}`}
          {explain(w.text) && <span className="dim"> — {explain(w.text)}</span>}
        </span>
      ))}
    </div>
  );
}
