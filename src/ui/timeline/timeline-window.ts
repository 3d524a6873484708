/**
 * The timeline's window (issue #5): which events the plot shows (start, events per
 * css px), zoom around a point, pan, and following the whole run until the
 * user zooms or pans. Pointer handling and drawing build on it (timeline-controller.ts).
 */
import { GUTTER, RIGHT_PAD, xOfCount } from './timeline-render.ts';

/** The narrowest window zooming in reaches (events across the plot). */
const MIN_SPAN = 16;

export abstract class TimelineWindow {
  /** Showing the whole run (follows it as it grows) until the user zooms or pans. */
  protected fit = true;
  protected start = 0;
  protected perPx = 1;
  protected recorded = 0;
  protected view = 0;

  constructor(protected readonly canvas: HTMLCanvasElement) {}

  /** Redraw at the next animation frame. */
  abstract readonly schedule: () => void;

  protected get plotW(): number {
    return Math.max(1, this.canvas.clientWidth - GUTTER - RIGHT_PAD);
  }

  /** Events across the plot when it shows the whole run. */
  protected get total(): number {
    return Math.max(this.recorded, 1);
  }

  /** Keep the window inside the run; zoomed all the way out means following it again. */
  protected clampWindow(): void {
    const w = this.plotW;
    const maxPer = this.total / w;
    this.perPx = Math.min(maxPer, Math.max(Math.min(MIN_SPAN, this.total) / w, this.perPx));
    if (this.perPx >= maxPer * 0.999) {
      this.fit = true;
      this.start = 0;
      this.perPx = maxPer;
      return;
    }
    this.start = Math.max(0, Math.min(this.total - w * this.perPx, this.start));
  }

  zoom(factor: number, atX?: number): void {
    const x = atX ?? Math.min(this.plotW, Math.max(0, this.xOf(this.view) - GUTTER));
    const at = this.start + x * this.perPx;
    this.fit = false;
    this.perPx *= factor;
    this.start = at - x * this.perPx;
    this.clampWindow();
    this.schedule();
  }

  protected xOf(count: number): number {
    return xOfCount({ start: this.start, perPx: this.perPx }, count);
  }

  showAll(): void {
    this.fit = true;
    this.schedule();
  }

  protected panBy(px: number): void {
    this.fit = false;
    this.start += px * this.perPx;
    this.clampWindow();
    this.schedule();
  }

  protected countAt(x: number): number {
    return Math.max(0, Math.min(this.recorded, Math.round(this.start + (x - GUTTER) * this.perPx)));
  }

}
