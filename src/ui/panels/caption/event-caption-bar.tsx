/**
 * The caption of the selected event, or of the newest shown one: what
 * happened in plain words, the spec rule it follows and the v2.6.23 function
 * that does it, linked to a source browser of that release (issue #13).
 */
import React, { useCallback } from 'react';
import { captionContext } from '../../../views/caption-context.ts';
import { captionOf } from '../../../views/event-caption.ts';
import type { SourceRef } from '../../../views/source-refs.ts';
import { captionFacts } from './caption-facts.ts';
import { kindName } from '../events/event-format.ts';
import { type FrameViews, liveAt } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useUi } from '../../store/store.ts';
import { TermText } from '../../glossary/term.tsx';
import { useSharedView } from '../../client/use-shared-view.ts';
import './caption-bar.css';

interface Shown {
  readonly index: number;
  /** The user picked it (else it is the last event shown, the position of the run or of time travel). */
  readonly selected: boolean;
  readonly kind: string;
  readonly text: string;
  readonly spec: readonly string[];
  readonly source: SourceRef | null;
}

function shownCaption(v: FrameViews, client: SimClient, selEvent: number | null): Shown | null {
  const count = liveAt(v, 'view');
  const index = selEvent !== null && selEvent < count ? selEvent : count - 1;
  if (index < 0) return null;
  const facts = captionFacts(v, client);
  const ev = facts.event(index);
  if (!ev) return null;
  const c = captionOf(ev, client.strings, captionContext(ev, facts));
  return { index, selected: index === selEvent, kind: kindName(ev.kind), text: c.text, spec: c.spec, source: c.source };
}

export function EventCaptionBar(): React.JSX.Element {
  const selEvent = useUi((s) => s.selEvent);
  const decode = useCallback((v: FrameViews, c: SimClient) => shownCaption(v, c, selEvent), [selEvent]);
  const shown = useSharedView(decode, null);
  return (
    <section className="caption-bar" data-testid="event-caption" data-index={shown?.index ?? -1} aria-label="What the event means">
      {shown === null ? (
        <p className="cap-line cap-empty">No event yet: run or step the simulation, or pick an event in the log.</p>
      ) : (
        <>
          <p className="cap-line">
            <span className="cap-id">
              #{shown.index} {shown.kind}
              {shown.selected ? '' : ' (last shown)'}
            </span>{' '}
            <span className="cap-text" data-testid="event-caption-text">
              <TermText text={shown.text} />
            </span>
          </p>
          <p className="cap-refs">
            <span className="cap-rule" data-testid="event-caption-rule">
              spec {shown.spec.join(', ')}
            </span>
            {shown.source && (
              <a className="cap-source" data-testid="event-caption-source" href={shown.source.url} target="_blank" rel="noopener noreferrer" title={`${shown.source.fn} in ${shown.source.file}, Linux v2.6.23`}>
                {shown.source.file}: {shown.source.fn}()
              </a>
            )}
          </p>
        </>
      )}
    </section>
  );
}
