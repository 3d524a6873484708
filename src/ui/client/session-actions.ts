/**
 * The user actions that load a session: a preset (picker, `?preset=` URL) or
 * a scenario file (picker or drop). A failed load leaves the running session
 * as it was and shows the message; a good one resets the selection, picks the
 * inspector tab that fits the scenario, and runs.
 */
import { LGUEST_DEVICE_T_BLOCK, LGUEST_DEVICE_T_NET } from '../../abi/constants.ts';
import type { LoadResult, SessionInfo } from '../../worker/api.ts';
import { scenarioFileProblem } from '../../scenario/limits.ts';
import type { SimClient } from './sim-client.ts';
import { useUi } from '../store/store.ts';
import type { InspectorTab } from '../store/view-slice.ts';

export function inspectorFor(info: SessionInfo): InspectorTab {
  const devs = info.guests.flatMap((g) => g.devices);
  if (devs.some((d) => d.type === LGUEST_DEVICE_T_BLOCK)) return 'block';
  if (devs.some((d) => d.type === LGUEST_DEVICE_T_NET)) return 'net';
  if (info.guests.some((g) => g.kernel === 'script')) return 'workbench';
  return 'bytes';
}

/** After a load: show its error (the old session stays), or reset the view for the new session and run it (a quiz keeps it paused). */
export async function adopt(client: SimClient, r: LoadResult, name: string, opts: { run?: boolean } = {}): Promise<boolean> {
  const ui = useUi.getState();
  if (!r.ok) {
    ui.setLoadError(r.error);
    return false;
  }
  ui.clearSelection();
  ui.setLoadError(null);
  ui.setSourceName(name);
  ui.setInspector(inspectorFor(r.info));
  ui.setConsoleGuest(0);
  ui.setFollowLog(true);
  // A share link in the URL (share.ts) no longer describes what is shown: drop it, so a reload shows this.
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  await client.api.setSpeed(ui.speed);
  if (opts.run !== false) await client.api.run();
  return true;
}

export async function loadPreset(client: SimClient, name: string): Promise<boolean> {
  const ok = await adopt(client, await client.load({ kind: 'preset', name }), name);
  if (ok) {
    const url = new URL(window.location.href);
    url.searchParams.set('preset', name);
    window.history.replaceState(null, '', url);
  }
  return ok;
}

/** Scenario files are text (JSON); nothing in them is ever inserted as HTML. */
export async function loadScenarioFile(client: SimClient, file: File): Promise<boolean> {
  // Refused by size before reading (issue #7), so an oversize file is never read into a string.
  const problem = scenarioFileProblem(file);
  if (problem) {
    useUi.getState().setLoadError(problem);
    return false;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    useUi.getState().setLoadError(`${file.name}: cannot read: ${(e as Error).message}`);
    return false;
  }
  const ok = await adopt(client, await client.load({ kind: 'scenario', text, fileName: file.name }), `file: ${file.name}`);
  if (ok) {
    const url = new URL(window.location.href);
    url.searchParams.delete('preset');
    window.history.replaceState(null, '', url);
  }
  return ok;
}

export async function resetSession(client: SimClient): Promise<boolean> {
  return adopt(client, await client.reset(), useUi.getState().sourceName);
}
