/**
 * The timeline (issue #5): every recorded event on one canvas, a lane per
 * guest plus the Host and each Launcher (as the Chrome trace's tracks), marks
 * coloured by kind, x = event index (what the scrubber and `seek` count).
 *
 *  - wheel or + / − zoom around the pointer, shift+wheel or a drag on the lanes pans, 0 or "fit" shows everything;
 *  - a click on an event goes to the state right after it and selects it (pickEvent); a drag on the
 *    ruler or the cursor scrubs, with at most one seek in flight (the latest position wins);
 *  - inputs are marked where they landed (`api.inputs()`), the selected event is outlined.
 *
 * It stays interactive at a million events: the canvas is drawn from a block
 * summary built as events arrive (timeline-summary.ts), at most once per
 * animation frame and only when the session or the viewport changed; React
 * renders the frame around the canvas once and never per event or per frame.
 * The container carries `data-view` (shown event count), `data-recorded`,
 * `data-start` and `data-span` (the visible window) for tests.
 */
import React, { useEffect, useRef } from 'react';
import { ExportMenu } from '../share/export-menu.tsx';
import type { FrameViews } from '../client/frame-views.ts';
import { canvasHeight } from './timeline-render.ts';
import { TIMELINE_CATEGORIES } from './timeline-summary.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';
import { TimelineController } from './timeline-controller.ts';
import './timeline.css';

const decodeGuests = (v: FrameViews): number => v.info.guests.length;

export function Timeline(): React.JSX.Element {
  const client = useSimClient();
  const guests = useSharedView(decodeGuests, 1);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const windowLabel = useRef<HTMLSpanElement>(null);
  const ctl = useRef<TimelineController | null>(null);

  useEffect(() => {
    if (!box.current || !canvas.current || !readout.current || !windowLabel.current) return;
    const c = new TimelineController(client, box.current, canvas.current, readout.current, windowLabel.current);
    ctl.current = c;
    return () => {
      c.dispose();
      ctl.current = null;
    };
  }, [client]);

  const lanes = 2 * guests + 1;
  const height = canvasHeight(lanes);
  return (
    <section className="panel timeline" aria-label="Timeline" style={{ height: height + 27 }}>
      <h2>
        Timeline <span className="sub tl-window" ref={windowLabel} />
        <span className="tl-legend" aria-label="Legend">
          {TIMELINE_CATEGORIES.map((cat) => (
            <span key={cat.id} className="tl-key" title={cat.label}>
              <i style={{ background: `var(--tl-${cat.id})` }} />
              {cat.id === 'dma-full' ? 'full' : cat.id}
            </span>
          ))}
          <span className="tl-key" title="where typed input landed">
            <i className="tl-input-swatch" />
            typed
          </span>
        </span>
        <span className="tl-readout mono" ref={readout} data-testid="timeline-readout" />
        <span className="tl-buttons">
          <button type="button" className="small" data-testid="timeline-zoom-out" title="Zoom out (−)" onClick={() => ctl.current?.zoom(1.6)}>
            −
          </button>
          <button type="button" className="small" data-testid="timeline-zoom-in" title="Zoom in (+)" onClick={() => ctl.current?.zoom(1 / 1.6)}>
            +
          </button>
          <button type="button" className="small" data-testid="timeline-fit" title="Show the whole run (0)" onClick={() => ctl.current?.showAll()}>
            fit
          </button>
          <ExportMenu />
        </span>
      </h2>
      <div
        className="tl-box"
        ref={box}
        tabIndex={0}
        data-testid="timeline"
        role="group"
        aria-label="Timeline: click to show the state after that event; wheel or + and − to zoom, drag to pan, drag the ruler to scrub"
      >
        <canvas ref={canvas} style={{ height }} />
      </div>
    </section>
  );
}
