/**
 * Share links and recording files, the page's side (issue #5).
 *
 * A link is `origin + path + '#' + fragment`, the fragment being the session's
 * recording (scenario or preset, plus the stamped inputs, the shown event and
 * the UI selection) as src/trace/link.ts encodes it. The worker encodes and
 * decodes it (`api.link()`, `api.load({kind: 'link'})`), so zod and fflate
 * stay out of the page bundle and nothing from a link is trusted before the
 * recording schema has checked it.
 *
 * Opening one replays it in the worker, then restores what its author had
 * selected: console guest, DMA key, event (and what the event touched), and
 * inspector tab. A link that cannot be opened is reported (the link slice)
 * and the page goes on with a default session, never a blank one.
 *
 * A recording too large for a link (a scenario with a big disk image) is
 * saved as a `.lguest.json` file instead; the scenario file picker and the
 * page's drop zone open those too.
 */
import type { Recording } from '../../trace/recording.ts';
import type { LoadResult, SessionInfo } from '../../worker/api.ts';
import { touchedBy } from '../panels/events/event-format.ts';
import { MAX_SCENARIO_BYTES } from '../../scenario/limits.ts';
import { hex, liveAt } from '../client/frame-views.ts';
import type { KeyRef } from '../store/selection-slice.ts';
import { inspectorFor, loadScenarioFile } from '../client/session-actions.ts';
import type { SimClient } from '../client/sim-client.ts';
import { useUi } from '../store/store.ts';
import { followReplay } from './replay-progress.tsx';
import type { InspectorTab } from '../store/view-slice.ts';
import { isLessonShaped } from '../lesson/lesson-source.ts';
import { useLesson } from '../lesson/lesson-store.ts';

/**
 * Longest fragment offered as a link (bytes). Browsers take far longer URLs,
 * but chat tools, issue trackers and mail clients cut or refuse them well
 * before; past this the page offers the recording as a file instead.
 */
export const MAX_LINK_BYTES = 32 * 1024;
/** What a saved recording's file name ends with. */
export const RECORDING_FILE_EXT = '.lguest.json';

const TABS: readonly InspectorTab[] = ['block', 'net', 'workbench', 'bytes'];

export type UiSelection = NonNullable<Recording['ui']>;

/** A binding in a link: "guest:key:array", e.g. "0:0x0:0x2100" (the Host's identity of it, as KeyRef). */
export const keyToken = (k: KeyRef): string => `${k.guest}:${hex(k.key)}:${hex(k.dmas)}`;

export function parseKeyToken(s: string): KeyRef | null {
  const m = /^(\d{1,2}):0x([0-9a-f]{1,8}):0x([0-9a-f]{1,8})$/.exec(s);
  return m ? { guest: Number(m[1]), key: parseInt(m[2], 16), dmas: parseInt(m[3], 16) } : null;
}

/** What the page has selected, as a link carries it (defaults left out: every byte counts). */
export function currentSelection(): UiSelection {
  const s = useUi.getState();
  const ui: UiSelection = { tab: s.inspector };
  if (s.consoleGuest !== 0) ui.guest = s.consoleGuest;
  if (s.selKey) ui.key = keyToken(s.selKey);
  if (s.selEvent !== null) ui.event = s.selEvent;
  // A built-in lesson's step (issue #13): old pages ignore nothing here, as old links simply lack it.
  const l = useLesson.getState();
  if (l.lesson && l.origin?.builtIn) {
    ui.lesson = l.lesson.id;
    ui.step = l.step;
  }
  return ui;
}

export interface ShareLink {
  readonly url: string;
  /** Bytes of the whole URL (it is ASCII). */
  readonly bytes: number;
  /** The fragment is over MAX_LINK_BYTES: offer the recording file instead. */
  readonly tooLong: boolean;
}

export async function makeShareLink(client: SimClient): Promise<ShareLink> {
  await client.api.setUiState(currentSelection());
  const fragment = await client.api.link();
  const url = `${window.location.origin}${window.location.pathname}#${fragment}`;
  return { url, bytes: url.length, tooLong: fragment.length > MAX_LINK_BYTES };
}

/** Copy to the clipboard; false when there is none or it is denied (then the page shows the text to copy). */
export async function copyText(text: string): Promise<boolean> {
  const cb = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
  if (!cb || typeof cb.writeText !== 'function') return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // A permission prompt nobody answers must not leave the button waiting.
    await Promise.race([cb.writeText(text), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('clipboard timeout')), 2000)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Save text as a file (a download of a blob URL). */
export function downloadText(name: string, text: string, type: string): void {
  downloadBlob(name, new Blob([text], { type }));
}

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'scenario';

export function recordingFileName(r: Recording): string {
  return `lguest-lab-${r.preset ?? slug(r.scenario?.name ?? 'scenario')}${RECORDING_FILE_EXT}`;
}

/** "Download recording": the session's recording (with the selection) as a .lguest.json file. */
export async function downloadRecording(client: SimClient): Promise<void> {
  await client.api.setUiState(currentSelection());
  const rec = await client.api.recording();
  downloadText(recordingFileName(rec), JSON.stringify(rec), 'application/json');
}

// ---- opening ---------------------------------------------------------------------

const sameKey = (a: KeyRef | null | undefined, b: KeyRef | null): boolean => (a ?? null) === null ? b === null : b !== null && a!.guest === b.guest && a!.key === b.key && a!.dmas === b.dmas;

/**
 * Select what the link selected. The event's own record (what it touched: a
 * buffer, a device) is read once the slot holding it has arrived (an event
 * not in memory at all is selected alone); if the user selects something
 * else first, that wins.
 */
/** Frames restoreSelection waits before it takes "not in memory" for an answer. */
const GONE_FRAMES = 30;

function restoreSelection(client: SimClient, info: SessionInfo, sel: UiSelection): void {
  const ui = useUi.getState();
  const parsed = sel.key !== undefined ? parseKeyToken(sel.key) : null;
  const key = parsed && parsed.guest < info.guests.length ? parsed : null;
  ui.selectKey(key);
  const event = sel.event;
  if (event === undefined) return;
  ui.selectEvent(event);
  const selKeyNow = useUi.getState().selKey;
  let goneSeen = 0;
  const apply = (): boolean => {
    const s = useUi.getState();
    if (client.info !== info || s.selEvent !== event || s.selKey !== selKeyNow) return true;
    const v = client.views;
    if (!v || event >= liveAt(v, 'recorded')) return false;
    const state = client.events.state(event);
    // "Not in memory" right after the load may be the directory of the session before, not yet
    // refreshed by this session's first frame (the live count already is): believe it after a few frames.
    if (state === 'pending' || (state === 'gone' && ++goneSeen < GONE_FRAMES)) return false;
    const ev = client.events.read(event);
    if (!ev) return true;
    const touched = touchedBy(ev, v, client.events, liveAt(v, 'recorded'));
    // Selected the event last (its key is the key it touched): all of it; else the key chosen after it stands.
    if (touched.selKey === undefined || sameKey(touched.selKey, key)) s.selectEvent(event, { ...touched, selKey: key });
    return true;
  };
  if (apply()) return;
  const unsubscribe = client.subscribe(() => {
    if (apply()) unsubscribe();
  });
}

/** After a recording loaded: the view its author had; paused at the shown event, or running when it was the end. */
async function adoptRecording(client: SimClient, info: SessionInfo, name: (r: Recording) => string, mayRun = true): Promise<void> {
  const rec = await client.api.recording();
  const ui = useUi.getState();
  const sel: UiSelection = rec.ui ?? {};
  ui.clearSelection();
  ui.setLoadError(null);
  ui.setSourceName(name(rec));
  ui.setFollowLog(true);
  ui.setInspector(sel.tab !== undefined && (TABS as readonly string[]).includes(sel.tab) ? (sel.tab as InspectorTab) : inspectorFor(info));
  ui.setConsoleGuest(sel.guest !== undefined && sel.guest < info.guests.length ? sel.guest : 0);
  restoreSelection(client, info, sel);
  await client.api.setSpeed(ui.speed);
  // A link made inside a lesson reopens it at that step, on the state the link replayed.
  if (sel.lesson !== undefined) {
    const { openLessonById } = await import('../lesson/lesson-actions.ts');
    await openLessonById(client, sel.lesson, sel.step ?? 0, { load: false });
    restoreSelection(client, info, sel);
    return;
  }
  // A recording shown before its end was paused there (seeking pauses): running would move it on.
  if (rec.view === undefined && mayRun) await client.api.run();
}

/**
 * Wait for the worker's sliced replay (the progress bar shows meanwhile). A
 * replay cancelled or stopped at the page's budget is shown where it stopped,
 * paused, with a message; one that threw is a failure.
 */
async function replayed(client: SimClient, report: (message: string) => void): Promise<'done' | 'stopped' | 'failed'> {
  const p = await followReplay(client);
  if (p.state === 'done') return 'done';
  if (p.state === 'failed') {
    report(`replaying the recording failed: ${p.message ?? 'unknown error'}`);
    return 'failed';
  }
  // p.done and p.target are counts of events, so say "after N events", never "event N" (that is the index #i).
  const of = p.target > 0 ? ` of ${p.target}` : '';
  report(p.state === 'cancelled' ? `the replay was cancelled after ${p.done}${of} events` : (p.message ?? `the replay stopped after ${p.done} events`));
  return 'stopped';
}

const linkName = (r: Recording): string => r.preset ?? `link: ${r.scenario?.name ?? 'scenario'}`;

export type OpenLinkOutcome = 'opened' | 'refused' | 'failed';

/**
 * Open a link's fragment. `refused`: the link is bad (the worker said why; its
 * session is untouched). `failed`: the replay itself threw (the session is
 * not usable: load another). Either way the link slice holds the message.
 */
export async function openLink(client: SimClient, fragment: string, instead: string): Promise<OpenLinkOutcome> {
  const ui = useUi.getState();
  let r: LoadResult;
  try {
    r = await client.load({ kind: 'link', fragment, sliced: true });
  } catch (e) {
    ui.setLinkError({ message: `link: replaying the recording failed: ${e instanceof Error ? e.message : String(e)}`, instead });
    return 'failed';
  }
  if (!r.ok) {
    ui.setLinkError({ message: r.error, instead });
    return 'refused';
  }
  ui.setLinkError(null);
  const how = await replayed(client, (message) => ui.setLinkError({ message: `link: ${message}`, instead: 'Showing the session where the replay stopped, paused.' }));
  if (how === 'failed') return 'failed';
  await adoptRecording(client, r.info, linkName, how === 'done');
  return 'opened';
}

/** The fragment in the page's URL ('' for none). */
export const hashFragment = (): string => window.location.hash.replace(/^#/, '');

/** A JSON value that is a recording rather than a scenario: `"v": 1` and an `inputs` list. */
export function isRecordingShaped(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const o = data as Record<string, unknown>;
  return o.v === 1 && Array.isArray(o.inputs);
}

/** The file's JSON when it is a recording or a lesson (null: load it as a scenario, which names any problem). */
async function recordingIn(file: File): Promise<unknown> {
  // Empty or oversize files go to the scenario loader, which names the problem.
  if (file.size === 0 || file.size > MAX_SCENARIO_BYTES) return null;
  try {
    const data: unknown = JSON.parse(await file.text());
    return isRecordingShaped(data) || isLessonShaped(data) ? data : null;
  } catch {
    return null;
  }
}

/**
 * Open a file from the picker or a drop: a recording (`.lguest.json`, from
 * "Download recording") replays; anything else loads as a scenario.
 */
export async function openSessionFile(client: SimClient, file: File): Promise<boolean> {
  const data = await recordingIn(file);
  if (data === null) return loadScenarioFile(client, file);
  if (isLessonShaped(data)) {
    const { openLessonText } = await import('../lesson/lesson-actions.ts');
    return openLessonText(client, JSON.stringify(data), file.name, false, 0);
  }
  let r: LoadResult;
  try {
    r = await client.load({ kind: 'recording', recording: data as Recording, sliced: true });
  } catch (e) {
    r = { ok: false, error: `replaying the recording failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!r.ok) {
    useUi.getState().setLoadError(`${file.name}: ${r.error}`);
    return false;
  }
  let said = '';
  const how = await replayed(client, (message) => (said = message));
  if (how === 'failed') {
    useUi.getState().setLoadError(`${file.name}: ${said}`);
    return false;
  }
  await adoptRecording(client, r.info, () => `file: ${file.name}`, how === 'done');
  // After adoptRecording (which clears the load error): where the replay stopped, and why.
  if (how === 'stopped') useUi.getState().setLoadError(`${file.name}: ${said}; showing the session where it stopped, paused`);
  const url = new URL(window.location.href);
  url.searchParams.delete('preset');
  url.hash = '';
  window.history.replaceState(null, '', url.pathname + url.search);
  return true;
}
