/**
 * `npm run bench:ui` (issue #6): the page's own figures, in Debian's headless
 * Chromium against the built app, printed as ONE JSON object on stdout:
 *
 *  - frame_ms_p50 / frame_ms_p95: frame times over 10 s while the worker runs
 *    a ping flood at full speed (net preset, guest 0 `ping -f 1`), every panel
 *    visible; from performance.now() at the start of each rAF callback;
 *  - cold_load_ms: navigation start to the console showing `lguest# `, in a
 *    fresh browser context (empty cache), median of several;
 *  - js_gzip_kb: the built JavaScript, gzipped;
 *  - the machine and browser.
 *
 *   npm run -s bench:ui [-- --seconds 10] [--cold-runs 5] [--idle-seconds 5]
 *
 * bench/ui/README.md explains each figure and what limits it. Nothing here is
 * asserted: the figures inform (targets say met or not).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { machineInfo } from '../machine-info.ts';
import { cpuBusy, sampleCpuBusy, type CpuShare } from './cpu-load.ts';
import { frameStats, type FrameStats } from './frame-stats.ts';
import { buildAndServe, jsGzipSizes } from './serve.ts';
import { memoryCurve, type MemoryCurve } from './memory-curve.ts';
import { timelineClicks, type TimelineClicks } from './timeline-clicks.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** STACK.md: the launch that works for Debian's Chromium here. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1280, height: 720 };
const PROMPT = 'lguest# ';

interface Options {
  readonly seconds: number;
  readonly coldRuns: number;
  readonly idleSeconds: number;
  readonly floorSeconds: number;
  /** Minutes of flood to sample memory over (0: skip, the default). */
  readonly memoryMinutes: number;
}

function parseArgs(argv: readonly string[]): Options {
  const o = { seconds: 10, coldRuns: 5, idleSeconds: 5, floorSeconds: 5, memoryMinutes: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const n = Number(argv[i + 1]);
    const key = a === '--seconds' ? 'seconds' : a === '--cold-runs' ? 'coldRuns' : a === '--idle-seconds' ? 'idleSeconds' : a === '--floor-seconds' ? 'floorSeconds' : a === '--memory-minutes' ? 'memoryMinutes' : null;
    if (key === null || !Number.isFinite(n) || n < 0 || n > 600) throw new Error(`${a}: unknown option or bad value; usage: bench/ui/run.ts [--seconds N] [--cold-runs N] [--idle-seconds N] [--floor-seconds N] [--memory-minutes N]`);
    o[key] = n;
    i++;
  }
  return o;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * In the page, before any of its scripts: note performance.now() at the first
 * frame whose guest 0 console shows the prompt. A string, not a function:
 * tsx (esbuild) would wrap a function's inner functions in a `__name` helper
 * the page does not have.
 */
const WATCH_PROMPT = `(() => {
  const prompt = ${JSON.stringify(PROMPT)};
  const check = () => {
    const rows = document.querySelector('[data-testid="console"][data-guest="0"] .xterm-rows');
    // xterm's DOM renderer draws spaces as no-break spaces.
    if (rows && (rows.textContent || '').replace(/\\u00a0/g, ' ').includes(prompt)) {
      window.__promptAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/**
 * Record frame starts for DUR ms: performance.now() first thing in each rAF
 * callback, into a preallocated array (no allocation per frame).
 */
const RECORD_FRAMES = (dur: number): string => `new Promise((done) => {
  const buf = new Float64Array(${Math.ceil(dur / 4) + 64});
  let n = 0;
  let end = 0;
  const tick = () => {
    const now = performance.now();
    if (n === 0) end = now + ${dur};
    if (n < buf.length) buf[n++] = now;
    if (now < end) requestAnimationFrame(tick);
    else done(Array.from(buf.subarray(0, n)));
  };
  requestAnimationFrame(tick);
})`;

/**
 * Cold load: a fresh context (no cache), navigation start → the console's
 * first prompt on screen; and the JS files (page and worker) fetched by then:
 * the initial JS (chunks loaded on demand later, such as the editor, lessons
 * and quizzes, are not part of it).
 */
async function coldLoad(browser: Browser, url: string): Promise<{ ms: number; scripts: string[] }> {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const scripts = new Set<string>();
  ctx.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.js')) scripts.add(path.slice(path.lastIndexOf('/') + 1));
  });
  try {
    const page = await ctx.newPage();
    await page.addInitScript(WATCH_PROMPT);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __promptAt?: number }).__promptAt !== undefined, null, { timeout: 30_000 });
    const ms = await page.evaluate(() => (window as unknown as { __promptAt: number }).__promptAt);
    return { ms, scripts: [...scripts].sort() };
  } finally {
    await ctx.close();
  }
}

async function eventCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('event-count').getAttribute('data-count'));
}

/** Frame starts over `ms`, and the events the worker recorded meanwhile. */
async function recordFrames(page: Page, ms: number): Promise<{ starts: number[]; events: number; wallMs: number; cpuBusy: CpuShare | null }> {
  const e0 = await eventCount(page);
  const t0 = Date.now();
  const cpu = cpuBusy();
  const starts = (await page.evaluate(RECORD_FRAMES(ms))) as number[];
  const wallMs = Date.now() - t0;
  const busy = cpu();
  return { starts, events: (await eventCount(page)) - e0, wallMs, cpuBusy: busy };
}

/**
 * The floor of the frame measurement on this machine and browser: a blank,
 * cross-origin isolated page (one div, no script of its own) at the same
 * origin and viewport, measured the same way in the same run. No page can do
 * better, so the flood's p95 is read against it (`frame_ms_p95_over_floor`).
 */
async function blankFloor(browser: Browser, origin: string, ms: number): Promise<FrameStats> {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    const url = `${origin}/__bench_blank__`;
    await page.route(url, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
        body: '<!doctype html><title>blank</title><div>blank</div>',
      }),
    );
    await page.goto(url);
    if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the blank floor page is not cross-origin isolated');
    const starts = (await page.evaluate(RECORD_FRAMES(ms))) as number[];
    return frameStats(starts);
  } finally {
    await ctx.close();
  }
}

/** Every panel of the page: each must be visible, inside the viewport, for the frame figures. */
async function panels(page: Page): Promise<{ visible: string[]; hidden: string[] }> {
  return page.evaluate(({ w, h }) => {
    const visible: string[] = [];
    const hidden: string[] = [];
    document.querySelectorAll('section.panel, .panel[aria-label]').forEach((el) => {
      const name = el.getAttribute('aria-label') ?? el.className;
      const r = el.getBoundingClientRect();
      const on = r.width > 0 && r.height > 0 && r.left < w && r.top < h && r.right > 0 && r.bottom > 0;
      (on ? visible : hidden).push(name);
    });
    return { visible: [...new Set(visible)], hidden: [...new Set(hidden)] };
  }, { w: VIEWPORT.width, h: VIEWPORT.height });
}

async function typeInto(page: Page, guest: number, line: string): Promise<void> {
  await page.locator(`[data-testid="console"][data-guest="${guest}"]`).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** A target: at most `bound` (issue #15: bound, value, met). */
const atMost = (bound: number, value: number): { bound: string; at_most: number; value: number; met: boolean } => ({ bound: `<= ${bound}`, at_most: bound, value, met: value <= bound });

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  // Was the machine quiet? (Other processes' work shows up in the frame times.)
  const busyBefore = await sampleCpuBusy(2000);
  if (busyBefore !== null && busyBefore.other > 0.2) process.stderr.write(`bench:ui: other processes kept the CPUs ${Math.round(busyBefore.other * 100)} % busy before the run; the figures may be skewed\n`);
  const served = await buildAndServe(ROOT);
  const userDataDir = mkdtempSync(join(tmpdir(), 'lguest-lab-bench-chromium-'));
  // A persistent context on a fresh user-data dir for the frame runs; fresh incognito contexts of a second browser for cold loads.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const js = jsGzipSizes(served.outDir);

    const cold: number[] = [];
    const initial = new Set<string>();
    for (let i = 0; i < o.coldRuns; i++) {
      const r = await coldLoad(browser, `${served.url}/`);
      cold.push(r.ms);
      for (const f of r.scripts) initial.add(f);
    }
    const initialBytes = [...initial].reduce((n, f) => n + (js.files[f]?.gzip_bytes ?? 0), 0);
    const initialKb = Math.round(initialBytes / 100) / 10;

    const ctx = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: VIEWPORT });
    let flood: FrameStats;
    let idle: FrameStats | null = null;
    let floodRate: number;
    let floodCpu: CpuShare | null;
    let idleCpu: CpuShare | null = null;
    let panelInfo: { visible: string[]; hidden: string[] };
    let isolated: boolean;
    let memory: MemoryCurve | null = null;
    let clicks: TimelineClicks | null = null;
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      await page.goto(`${served.url}/?preset=net`);
      for (const g of [0, 1]) await page.locator(`[data-testid="console"][data-guest="${g}"] .xterm-rows`).filter({ hasText: 'lguest#' }).waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="status"][data-idle="true"]').waitFor();
      isolated = await page.evaluate(() => crossOriginIsolated);
      panelInfo = await panels(page);
      if (o.idleSeconds > 0) {
        const r = await recordFrames(page, o.idleSeconds * 1000);
        idle = frameStats(r.starts);
        idleCpu = r.cpuBusy;
      }
      // The flood at full speed (speed "max" is the page's default).
      await typeInto(page, 0, 'ping -f 1');
      const e0 = await eventCount(page);
      const deadline = Date.now() + 10_000;
      while ((await eventCount(page)) < e0 + 10_000 && Date.now() < deadline) await sleep(100);
      await sleep(1000); // warm-up: JIT, caches, the event log's first chunks
      const run = await recordFrames(page, o.seconds * 1000);
      flood = frameStats(run.starts);
      floodRate = Math.round((run.events * 1000) / run.wallMs);
      floodCpu = run.cpuBusy;
      // Opt-in: the flood runs on, and the page's memory (page + worker) is sampled once a minute.
      if (o.memoryMinutes > 0) {
        memory = await memoryCurve(page, o.memoryMinutes, () => eventCount(page));
        // Then, paused at the end of that long run: is the timeline still interactive?
        clicks = await timelineClicks(page);
      } else await page.keyboard.press('Control+C');
    } finally {
      await ctx.close();
    }

    const floor = o.floorSeconds > 0 ? await blankFloor(browser, served.url, o.floorSeconds * 1000) : null;
    const coldMs = Math.round(median(cold));
    const overFloor = floor ? Math.round((flood.p95 - floor.p95) * 100) / 100 : null;
    const missedShare = flood.frames > 0 ? Math.round((flood.missed / flood.frames) * 10000) / 10000 : 1;
    const out = {
      frame_ms_p50: flood.p50,
      frame_ms_p95: flood.p95,
      frame_ms_p95_floor: floor ? floor.p95 : null,
      frame_ms_p95_over_floor: overFloor,
      cold_load_ms: coldMs,
      js_gzip_kb: initialKb,
      js_gzip_kb_all: js.total_kb,
      js_initial: [...initial].sort(),
      frame_missed_share: missedShare,
      // The absolute p95 <= 16.7 ms is below what this headless Chromium's frame clock can show
      // (the floor's p95 is ~16.9): the frames target is the p95 over the floor and missed frames (issue #15).
      targets: {
        ...(overFloor !== null ? { frame_ms_p95_over_floor: atMost(0.5, overFloor) } : {}),
        frame_missed_share: atMost(0.005, missedShare),
        cold_load_ms: atMost(1000, coldMs),
        // Issue #15: "initial JS <= 250 KB gzip": what the cold load fetched (page + worker) before the first prompt.
        js_gzip_kb: atMost(250, initialKb),
        ...(memory ? { memory_end_mb: atMost(1024, memory.end_mb) } : {}),
        ...(memory && memory.max_growth_mb_per_min_after_first !== null ? { memory_growth_mb_per_min_after_first: atMost(50, memory.max_growth_mb_per_min_after_first) } : {}),
        // Issue #15's "anywhere in a 100 M-event run p95 <= 1 s", through the page: a click on the timeline.
        ...(clicks ? { timeline_click_ms_p95_long_run: atMost(1000, clicks.p95_ms) } : {}),
      },
      timeline_clicks: clicks ? { ...clicks, what: 'paused after the memory run: 8 clicks spread over the whole timeline, then 2 zoomed in; ms from the press to the timeline showing the new event' } : null,
      memory: memory ? { ...memory, workload: 'the flood window\'s `ping -f 1` running on; performance.measureUserAgentSpecificMemory() at the start and once a minute', minutes: o.memoryMinutes } : null,
      flood: { ...flood, workload: 'net preset, guest 0 `ping -f 1`, speed max', sim_events_per_s: floodRate, cpu_busy: floodCpu, seconds: o.seconds },
      floor: floor ? { ...floor, workload: 'a blank cross-origin isolated page (one div), same browser and viewport', seconds: o.floorSeconds } : null,
      idle: idle ? { ...idle, workload: 'net preset booted, nothing running', cpu_busy: idleCpu, seconds: o.idleSeconds } : null,
      cold_load: { runs_ms: cold.map((x) => Math.round(x)), what: 'navigation start to the first frame whose guest 0 console shows "lguest# ", fresh context each run' },
      js: js.files,
      page: { url: served.url, viewport: VIEWPORT, cross_origin_isolated: isolated, panels_visible: panelInfo.visible, panels_not_visible: panelInfo.hidden },
      machine: { ...machineInfo(), browser: `chromium ${browser.version()}`, headless: true, cpu_busy_before_run: busyBefore },
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await browser.close();
    rmSync(userDataDir, { recursive: true, force: true });
    await served.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:ui: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
