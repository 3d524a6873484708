/**
 * The timeline's imperative part (issue #5; see timeline.tsx): the worker's bins
 * and the events in memory (timeline-summary.ts), pointer and key handling, seeking with at most one seek in flight, the hover
 * readout and drawing at most once per animation frame.
 */
import type { SessionInfo } from '../../worker/api.ts';
import { eventDetail, kindName } from '../panels/events/event-format.ts';
import { type FrameViews, liveAt } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';
import { useUi } from '../store/store.ts';
import { drawTimeline, formatCount, GUTTER, laneHeight, readColors, RIGHT_PAD, RULER, type TimelineColors } from './timeline-render.ts';
import { laneLabels, TimelineSummary } from './timeline-summary.ts';
import { pickEvent } from '../panels/events/use-pick-event.ts';
import { TimelineWindow } from './timeline-window.ts';

/** Re-read where inputs landed at most this often (ms). */
const INPUTS_EVERY_MS = 250;
/** A press that moves less than this (css px) is a click. */
const CLICK_SLOP = 3;
/** Wheel zoom speed: factor e^(deltaY * this). */
const WHEEL_ZOOM = 0.0025;

type DragMode = 'press' | 'pan' | 'scrub';

/** Everything imperative: the summary, the window, pointer handling, seeking, drawing. */
export class TimelineController extends TimelineWindow {
  private summary: TimelineSummary | null = null;
  private info: SessionInfo | null = null;
  private labels: string[] = [];
  private bins = new Uint8Array(0);
  /** Per column: drawn from the bins while zoomed in (its events are not in memory). */
  private coarse = new Uint8Array(0);
  private inputs: { at: number; guest: number }[] = [];
  private inputsKey = '';
  private inputsInFlight = false;
  private inputsAt = -Infinity;
  private inputsTimer: ReturnType<typeof setTimeout> | null = null;
  private seekInFlight = false;
  private pendingSeek: number | null = null;
  private raf = 0;
  private drag: { mode: DragMode; x: number; start: number; pointer: number } | null = null;
  private hover: { x: number; y: number } | null = null;
  private colors: TimelineColors | null = null;
  private colorsTheme = '';
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly client: SimClient,
    private readonly box: HTMLDivElement,
    canvas: HTMLCanvasElement,
    private readonly readout: HTMLElement,
    private readonly windowLabel: HTMLElement,
  ) {
    super(canvas);
    this.disposers.push(client.subscribe(() => this.schedule()));
    this.disposers.push(
      useUi.subscribe((s, prev) => {
        if (s.selEvent !== prev.selEvent || s.theme !== prev.theme) this.schedule();
      }),
    );
    const ro = new ResizeObserver(() => this.schedule());
    ro.observe(canvas);
    this.disposers.push(() => ro.disconnect());
    const on = <K extends keyof HTMLElementEventMap>(el: HTMLElement, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions): void => {
      el.addEventListener(type, fn, opts);
      this.disposers.push(() => el.removeEventListener(type, fn, opts));
    };
    on(canvas, 'wheel', (e) => this.onWheel(e), { passive: false });
    on(canvas, 'pointerdown', (e) => this.onDown(e));
    on(canvas, 'pointermove', (e) => this.onMove(e));
    on(canvas, 'pointerup', (e) => this.onUp(e));
    on(canvas, 'pointercancel', () => (this.drag = null));
    on(canvas, 'pointerleave', () => {
      this.hover = null;
      this.readout.textContent = '';
      this.schedule();
    });
    on(box, 'keydown', (e) => this.onKey(e));
    this.schedule();
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    if (this.inputsTimer !== null) clearTimeout(this.inputsTimer);
    for (const d of this.disposers.splice(0)) d();
  }

  readonly schedule = (): void => {
    if (this.raf === 0) this.raf = requestAnimationFrame(this.draw);
  };

  // ---- seeking ----------------------------------------------------------------

  /** A scrub lands where a click on the event under the pointer does: right after it, count i+1 (issue #10); past the end, the last. */
  private scrubTo(x: number, y: number): void {
    const i = this.recorded > 0 ? this.eventAt(x, y) : 0;
    if (this.recorded > 0) this.seek((i < 0 ? this.recorded - 1 : i) + 1);
  }

  /** One seek in flight; while it runs, later positions replace each other and the last one goes next. */
  seek(count: number): void {
    if (this.seekInFlight) {
      this.pendingSeek = count;
      return;
    }
    this.seekInFlight = true;
    const done = (): void => {
      this.seekInFlight = false;
      const next = this.pendingSeek;
      this.pendingSeek = null;
      if (next !== null) this.seek(next);
    };
    this.client.api.seek(count).then(done, done);
  }

  // ---- pointer and keys ---------------------------------------------------------

  private local(e: PointerEvent | WheelEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private onWheel(e: WheelEvent): void {
    const { x } = this.local(e);
    if (x < GUTTER) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.plotW : 1;
    const dx = e.deltaX * unit;
    const dy = e.deltaY * unit;
    if (e.shiftKey || Math.abs(dx) > Math.abs(dy)) this.panBy(e.shiftKey && dx === 0 ? dy : dx);
    else this.zoom(Math.exp(dy * WHEEL_ZOOM), x - GUTTER);
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const { x, y } = this.local(e);
    if (x < GUTTER) return;
    this.box.focus({ preventScroll: true });
    this.canvas.setPointerCapture(e.pointerId);
    const onCursor = Math.abs(x - this.xOf(this.view)) <= 5;
    const mode: DragMode = y < RULER || onCursor ? 'scrub' : 'press';
    this.drag = { mode, x, start: this.start, pointer: e.pointerId };
    if (mode === 'scrub') this.scrubTo(x, y);
    this.canvas.style.cursor = mode === 'scrub' ? 'ew-resize' : 'grabbing';
  }

  private onMove(e: PointerEvent): void {
    const { x, y } = this.local(e);
    const d = this.drag;
    if (d) {
      if (d.mode === 'press' && Math.abs(x - d.x) > CLICK_SLOP) d.mode = 'pan';
      if (d.mode === 'pan') {
        this.fit = false;
        this.start = d.start - (x - d.x) * this.perPx;
        this.clampWindow();
      } else if (d.mode === 'scrub') this.scrubTo(x, y);
    } else {
      this.canvas.style.cursor = x >= GUTTER && (y < RULER || Math.abs(x - this.xOf(this.view)) <= 5) ? 'ew-resize' : 'crosshair';
    }
    this.hover = { x, y };
    this.updateReadout();
    this.schedule();
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.pointer !== e.pointerId) return;
    this.drag = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.canvas.style.cursor = '';
    if (d.mode === 'press') {
      // A click on an event: the state right after it, and it selected (as a click in the log).
      const { x, y } = this.local(e);
      const i = this.eventAt(x, y);
      if (i >= 0) void pickEvent(this.client, i);
      else this.seek(this.countAt(x));
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') this.zoom(1 / 1.6);
    else if (e.key === '-' || e.key === '_') this.zoom(1.6);
    else if (e.key === '0') this.showAll();
    else return;
    e.preventDefault();
  }

  /** The event under (x, y): the first of the hovered lane in that column, else the column's first event; -1 past the end. */
  private eventAt(x: number, y: number): number {
    const sum = this.summary;
    const a = Math.max(0, Math.floor(this.start + (x - GUTTER) * this.perPx));
    const b = Math.max(a + 1, Math.floor(this.start + (x + 1 - GUTTER) * this.perPx));
    if (sum) {
      const lane = Math.floor((y - RULER) / laneHeight(sum.lanes));
      const i = lane >= 0 && lane < sum.lanes ? sum.findInLane(this.client.events, lane, a, b) : -1;
      if (i >= 0) return i;
    }
    // The column's first event (not in memory, a seek to it regenerates it).
    return a < this.recorded ? a : -1;
  }

  /** What is under the pointer: the first event of the hovered lane in the hovered column. */
  private updateReadout(): void {
    const h = this.hover;
    const sum = this.summary;
    if (!h || !sum || h.x < GUTTER) {
      this.setReadout('');
      return;
    }
    const lane = Math.floor((h.y - RULER) / laneHeight(sum.lanes));
    const a = Math.max(0, Math.floor(this.start + (h.x - GUTTER) * this.perPx));
    const b = Math.max(a + 1, Math.floor(this.start + (h.x + 1 - GUTTER) * this.perPx));
    const i = lane >= 0 && lane < sum.lanes ? sum.findInLane(this.client.events, lane, a, b) : -1;
    const ev = i >= 0 ? this.client.events.read(i) : undefined;
    if (!ev) {
      let text = a < this.recorded ? `#${a.toLocaleString('en-US')}` : '';
      // Not in memory, but the bins say this lane has events here: a click regenerates them.
      if (text && lane >= 0 && lane < sum.lanes && !this.client.events.has(a) && sum.maskOf(lane, a, Math.min(b, this.recorded)) !== 0) text += ` ${this.labels[lane]}: not in memory (click to regenerate)`;
      this.setReadout(text);
      return;
    }
    this.setReadout(`#${i} t=${ev.time} ${this.labels[lane]}: ${kindName(ev.kind)} ${eventDetail(ev, this.client.strings)}`);
  }

  /** The DOM is touched only when the text changes (the readout is refreshed at every drawn frame). */
  private setReadout(text: string): void {
    if (this.readout.textContent !== text) this.readout.textContent = text;
  }

  // ---- data and drawing -----------------------------------------------------------

  /** Where inputs landed: re-read when the run moved, at most every INPUTS_EVERY_MS, one call at a time. */
  private fetchInputs(v: FrameViews): void {
    const key = `${liveAt(v, 'recorded')}:${liveAt(v, 'inputs_pending')}:${liveAt(v, 'events')}`;
    if (key === this.inputsKey || this.inputsInFlight) return;
    const wait = this.inputsAt + INPUTS_EVERY_MS - performance.now();
    if (wait > 0) {
      this.inputsTimer ??= setTimeout(() => {
        this.inputsTimer = null;
        this.schedule();
      }, wait);
      return;
    }
    this.inputsKey = key;
    this.inputsInFlight = true;
    this.inputsAt = performance.now();
    const info = this.info;
    this.client.api.inputs().then(
      (list) => {
        this.inputsInFlight = false;
        if (info !== this.info) return;
        this.inputs = list.filter((x) => x.at >= 0).map((x) => ({ at: x.at, guest: x.guest }));
        this.schedule();
      },
      () => {
        this.inputsInFlight = false;
      },
    );
  }

  private draw = (): void => {
    this.raf = 0;
    const c = this.client;
    const v = c.views;
    const info = c.info;
    if (!v || !info) return;
    if (info !== this.info) {
      // A new session: start over.
      this.info = info;
      this.summary = new TimelineSummary(info.guests.length);
      this.labels = laneLabels(info.guests.length);
      this.fit = true;
      this.inputs = [];
      this.inputsKey = '';
    }
    const sum = this.summary!;
    const recorded = liveAt(v, 'recorded');
    const view = liveAt(v, 'view');
    // The worker keeps the bins up to date (a fork re-summarizes them there).
    sum.setBins(c.timeline);
    const wasVisible = this.view >= this.start && this.view <= this.start + this.plotW * this.perPx;
    this.recorded = recorded;
    this.view = view;
    if (this.fit) {
      this.start = 0;
      this.perPx = this.total / this.plotW;
    } else {
      // Zoomed in while it runs: page along with the cursor if it was in view.
      const span = this.plotW * this.perPx;
      if (wasVisible && liveAt(v, 'running') !== 0 && view > this.start + span) this.start = view - span * 0.15;
      this.clampWindow();
    }
    this.fetchInputs(v);

    const cssW = this.canvas.clientWidth;
    const cssH = this.canvas.clientHeight;
    if (cssW === 0 || cssH === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const bw = Math.round(cssW * dpr);
    const bh = Math.round(cssH * dpr);
    if (this.canvas.width !== bw || this.canvas.height !== bh) {
      this.canvas.width = bw;
      this.canvas.height = bh;
    }
    const theme = document.documentElement.dataset.theme ?? '';
    if (!this.colors || theme !== this.colorsTheme) {
      this.colors = readColors(this.box);
      this.colorsTheme = theme;
    }
    const cols = Math.max(1, Math.floor(cssW - GUTTER - RIGHT_PAD));
    if (this.bins.length < cols * sum.lanes) {
      this.bins = new Uint8Array(cols * sum.lanes * 2);
      this.coarse = new Uint8Array(cols * 2);
    }
    sum.bin(c.events, this.start, this.perPx, cols, recorded, this.bins, this.coarse);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const selected = useUi.getState().selEvent;
    drawTimeline(
      ctx,
      {
        width: cssW,
        height: cssH,
        labels: this.labels,
        start: this.start,
        perPx: this.perPx,
        cols,
        bins: this.bins,
        coarse: this.coarse,
        recorded,
        view,
        inputs: this.inputs,
        selected,
        hoverX: this.hover?.x ?? null,
      },
      this.colors,
      dpr,
    );
    const span = Math.round(this.plotW * this.perPx);
    const d = this.box.dataset;
    d.view = String(view);
    d.recorded = String(recorded);
    d.start = String(Math.round(this.start));
    d.span = String(span);
    d.selected = selected === null ? '' : String(selected);
    d.fit = String(this.fit);
    this.windowLabel.textContent = this.fit ? `all ${formatCount(recorded)} events` : `events ${formatCount(Math.round(this.start))}–${formatCount(Math.round(this.start) + span)} of ${formatCount(recorded)}`;
    // What is under a pointer that stays put changes too (the run goes on, a seek lets events go or regenerates them).
    if (this.hover) this.updateReadout();
  };
}
