/**
 * Drawing the timeline (issue #5) on a 2D canvas from already-binned data
 * (timeline-summary.ts): lane backgrounds and labels, an event-index ruler,
 * one path per category colour over all lanes (runs of equal columns merged
 * into one rectangle), the recorded-but-not-shown stretch dimmed, input
 * markers, the selected event and the cursor at the shown count. Like
 * Perfetto's TrackRenderer.render it only draws what is loaded; it reads no
 * events itself and allocates nothing per event.
 */
import { TIMELINE_CATEGORIES } from './timeline-summary.ts';

/** Width of the lane labels on the left (css px). */
export const GUTTER = 78;
/** Room right of the plot (css px), so the cursor at the end of the run stays visible. */
export const RIGHT_PAD = 8;
/** Height of the event-index ruler on top (css px): clicks and drags there scrub. */
export const RULER = 16;

/** Lane height (css px) for a number of lanes: roomy for a few guests, compact for many. */
export function laneHeight(lanes: number): number {
  return lanes <= 5 ? 14 : Math.max(5, Math.floor(100 / lanes));
}

/** Canvas height (css px) for a number of lanes. */
export const canvasHeight = (lanes: number): number => RULER + lanes * laneHeight(lanes) + 3;

export interface TimelineColors {
  readonly laneA: string;
  readonly laneB: string;
  readonly text: string;
  readonly dim: string;
  readonly grid: string;
  readonly future: string;
  readonly cursor: string;
  readonly input: string;
  readonly selected: string;
  /** Per category, in TIMELINE_CATEGORIES order. */
  readonly categories: readonly string[];
}

/** The colours, from the CSS custom properties of the current theme (timeline.css). */
export function readColors(el: Element): TimelineColors {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  return {
    laneA: v('--tl-lane-a', '#11161d'),
    laneB: v('--tl-lane-b', '#161c24'),
    text: v('--fg', '#d6dde6'),
    dim: v('--dim', '#7d8794'),
    grid: v('--tl-grid', 'rgba(125,135,148,0.18)'),
    future: v('--tl-future', 'rgba(13,17,23,0.62)'),
    cursor: v('--tl-cursor', '#f0f6fc'),
    input: v('--tl-input-mark', '#e3b341'),
    selected: v('--accent', '#58a6ff'),
    categories: TIMELINE_CATEGORIES.map((c) => v(`--tl-${c.id}`, '#888')),
  };
}

export interface TimelineScene {
  /** Css px. */
  readonly width: number;
  readonly height: number;
  readonly labels: readonly string[];
  /** Event index at the left edge of the plot, and events per css px. */
  readonly start: number;
  readonly perPx: number;
  /** Columns binned (one per css px of plot) and their masks, lane-major. */
  readonly cols: number;
  readonly bins: Uint8Array;
  /** Per column: 1 where zoomed in its marks come from the bins (the events are not in memory). */
  readonly coarse?: Uint8Array;
  readonly recorded: number;
  readonly view: number;
  /** Inputs that landed: event count and guest (lane). */
  readonly inputs: readonly { readonly at: number; readonly guest: number }[];
  readonly selected: number | null;
  /** Pointer x over the plot (css px from the canvas's left), or null. */
  readonly hoverX: number | null;
}

/** x (css px from the canvas's left) of an event boundary (count). */
export const xOfCount = (s: { start: number; perPx: number }, count: number): number => GUTTER + (count - s.start) / s.perPx;

const popcount8 = (m: number): number => {
  let n = 0;
  for (let x = m; x; x &= x - 1) n++;
  return n;
};

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  if (raw <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** An event count for a label: 1.2M, 340k, 12.5k, or every digit when `step` (the label spacing) needs them. */
export function formatCount(n: number, step = 1): string {
  const digits = (unit: number): number => Math.max(0, Math.ceil(Math.log10(unit / step) - 1e-9));
  if (n >= 1e6 && step >= 1e4) return `${+(n / 1e6).toFixed(Math.min(2, digits(1e6)))}M`;
  if (n >= 1e4 && step >= 100) return `${+(n / 1e3).toFixed(Math.min(1, digits(1e3)))}k`;
  return n.toLocaleString('en-US');
}

export function drawTimeline(ctx: CanvasRenderingContext2D, s: TimelineScene, c: TimelineColors, dpr: number): void {
  const lanes = s.labels.length;
  const lh = laneHeight(lanes);
  const plotW = s.width - GUTTER - RIGHT_PAD;
  const bottom = RULER + lanes * lh;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, s.width, s.height);

  // Lanes and their labels.
  ctx.font = '11px system-ui, "DejaVu Sans", sans-serif';
  ctx.textBaseline = 'middle';
  for (let l = 0; l < lanes; l++) {
    const y = RULER + l * lh;
    ctx.fillStyle = l % 2 === 0 ? c.laneA : c.laneB;
    ctx.fillRect(0, y, s.width, lh);
    if (lh >= 9) {
      ctx.fillStyle = c.dim;
      ctx.fillText(s.labels[l], 6, y + lh / 2 + 0.5, GUTTER - 10);
    }
  }

  // Ruler: event indices, 1/2/5 steps at least 80 px apart, with faint grid lines through the lanes.
  const step = niceStep(80 * s.perPx);
  const last = s.start + plotW * s.perPx;
  ctx.font = '10px "DejaVu Sans Mono", "Liberation Mono", monospace';
  ctx.textBaseline = 'top';
  ctx.fillStyle = c.grid;
  for (let n = Math.ceil(Math.max(0, s.start) / step) * step; n <= last; n += step) {
    const x = Math.round(xOfCount(s, n));
    ctx.fillRect(x, RULER - 4, 1, bottom - RULER + 4);
  }
  ctx.fillStyle = c.dim;
  for (let n = Math.ceil(Math.max(0, s.start) / step) * step; n <= last; n += step) {
    const x = Math.round(xOfCount(s, n));
    if (x + 2 < s.width - 20) ctx.fillText(formatCount(n, step), x + 2, 2);
  }

  // Marks: per category colour one path over every lane; equal neighbouring columns make one rectangle.
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, RULER, plotW, lanes * lh);
  ctx.clip();
  const cols = s.cols;
  const bins = s.bins;
  for (let bit = 0; bit < c.categories.length; bit++) {
    const mask = 1 << bit;
    ctx.fillStyle = c.categories[bit];
    ctx.beginPath();
    let any = false;
    for (let l = 0; l < lanes; l++) {
      const row = l * cols;
      const top = RULER + l * lh + 1;
      const h = lh - 2;
      let x = 0;
      while (x < cols) {
        const m = bins[row + x];
        if ((m & mask) === 0) {
          x++;
          continue;
        }
        let x1 = x + 1;
        while (x1 < cols && bins[row + x1] === m) x1++;
        // Several categories in one column share the lane's height, in bit order.
        const k = popcount8(m);
        const r = popcount8(m & (mask - 1));
        ctx.rect(GUTTER + x, top + (r * h) / k, x1 - x, h / k);
        any = true;
        x = x1;
      }
    }
    if (any) ctx.fill();
  }

  // Zoomed in over events not in memory: the bins' marks, veiled, so they do not read as exact events.
  const coarse = s.coarse;
  if (coarse) {
    ctx.globalAlpha = 0.5;
    ctx.fillStyle = c.future;
    for (let x = 0; x < cols; ) {
      if (coarse[x] === 0) {
        x++;
        continue;
      }
      let x1 = x + 1;
      while (x1 < cols && coarse[x1] !== 0) x1++;
      ctx.fillRect(GUTTER + x, RULER, x1 - x, lanes * lh);
      x = x1;
    }
    ctx.globalAlpha = 1;
  }

  // Recorded past the shown count (after a seek back): dimmed.
  if (s.view < s.recorded) {
    const x0 = Math.max(GUTTER, xOfCount(s, s.view));
    const x1 = Math.min(s.width, xOfCount(s, s.recorded));
    if (x1 > x0) {
      ctx.fillStyle = c.future;
      ctx.fillRect(x0, RULER, x1 - x0, lanes * lh);
    }
  }
  ctx.restore();

  // Where each input landed: a tick on the ruler and a line through its guest's lane.
  ctx.fillStyle = c.input;
  let lastX = -1;
  for (const inp of s.inputs) {
    const x = Math.round(xOfCount(s, inp.at));
    if (x < GUTTER || x > s.width) continue;
    if (x === lastX) continue;
    lastX = x;
    ctx.beginPath();
    ctx.moveTo(x - 3.5, RULER - 6);
    ctx.lineTo(x + 3.5, RULER - 6);
    ctx.lineTo(x, RULER - 1);
    ctx.closePath();
    ctx.fill();
    if (inp.guest < lanes) ctx.fillRect(x, RULER + inp.guest * lh, 1, lh);
  }

  // The selected event: an outline around its column(s).
  if (s.selected !== null) {
    const x0 = xOfCount(s, s.selected);
    const x1 = Math.max(x0 + 1, xOfCount(s, s.selected + 1));
    if (x1 >= GUTTER && x0 <= s.width) {
      ctx.strokeStyle = c.selected;
      ctx.lineWidth = 1;
      ctx.strokeRect(Math.round(Math.max(GUTTER, x0)) - 1.5, RULER + 0.5, Math.round(x1 - Math.max(GUTTER, x0)) + 2, lanes * lh - 1);
    }
  }

  // Pointer.
  if (s.hoverX !== null && s.hoverX >= GUTTER) {
    ctx.fillStyle = c.dim;
    ctx.fillRect(Math.round(s.hoverX), RULER, 1, lanes * lh);
  }

  // The cursor: the state shown is right after this many events.
  const cx = Math.round(xOfCount(s, s.view));
  if (cx >= GUTTER - 1 && cx <= s.width + 1) {
    ctx.fillStyle = c.cursor;
    ctx.fillRect(cx - 1, RULER - 2, 2, lanes * lh + 2);
    ctx.beginPath();
    ctx.moveTo(cx - 5, 0);
    ctx.lineTo(cx + 5, 0);
    ctx.lineTo(cx, RULER - 2);
    ctx.closePath();
    ctx.fill();
  }

  // The gutter's edge.
  ctx.fillStyle = c.grid;
  ctx.fillRect(GUTTER - 1, 0, 1, bottom);
}
