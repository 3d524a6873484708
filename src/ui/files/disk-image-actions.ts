/**
 * "open disk image…": put a file's bytes on the current scenario's first
 * block device and start that scenario (issue #7). The page refuses an
 * oversize or empty file from its size alone, before reading it; the worker
 * validates the scenario as any other (src/scenario/scenario.ts). On any refusal
 * the running session is left exactly as it was and `load-error` says why.
 */
import type { ScenarioInput } from '../../scenario/scenario.ts';
import type { Recording } from '../../trace/recording.ts';
import { diskBytesFor, diskImageProblem } from '../../scenario/limits.ts';
import { adopt } from '../client/session-actions.ts';
import type { SimClient } from '../client/sim-client.ts';
import { useUi } from '../store/store.ts';

/** scenario.ts: `name` is at most 100 characters. */
const NAME_MAX = 100;

export type DiskResult = { readonly ok: true; readonly scenario: ScenarioInput; readonly guest: number } | { readonly ok: false; readonly error: string };

/** The scenario a recording runs (its preset's, or its own), or null. */
export async function baseScenario(client: SimClient, rec: Recording): Promise<ScenarioInput | null> {
  // A preset as the worker holds it: the page keeps no copy of the presets (issue #15: the first load).
  if (rec.preset !== undefined) return client.api.presetScenario(rec.preset);
  return rec.scenario ?? null;
}

/**
 * A copy of `base` whose first block device holds `imageBase64` (a disk of
 * `imageBytes` rounded up to whole sectors; the preset's sector texts go,
 * the image replaces them). Pure: the page and the tests share it.
 */
export function withDiskImage(base: ScenarioInput, fileName: string, imageBytes: number, imageBase64: string): DiskResult {
  const guest = base.guests.findIndex((g) => (g.devices ?? []).some((d) => d.type === 'block'));
  if (guest < 0) return { ok: false, error: `${fileName}: this scenario has no block device to put a disk image on; open the "block" preset (or a scenario with a {"type": "block"} device) first` };
  const copy = structuredClone(base) as ScenarioInput;
  const g = copy.guests[guest];
  const devices = [...(g.devices ?? [])];
  const at = devices.findIndex((d) => d.type === 'block');
  devices[at] = { type: 'block', size: diskBytesFor(imageBytes), image: imageBase64 };
  copy.guests[guest] = { ...g, devices };
  copy.name = `${base.name ?? 'scenario'} + ${fileName}`.slice(0, NAME_MAX);
  delete copy.inputs;
  return { ok: true, scenario: copy, guest };
}

/** The file's bytes as base64, read off the main thread (FileReader's data: URL). */
function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

export async function attachDiskImage(client: SimClient, file: File): Promise<boolean> {
  const ui = useUi.getState();
  const problem = diskImageProblem(file);
  if (problem) {
    ui.setLoadError(problem);
    return false;
  }
  const base = await baseScenario(client, await client.api.recording());
  if (!base) {
    ui.setLoadError(`${file.name}: no scenario is loaded to put the disk image on`);
    return false;
  }
  // Check the scenario before reading a 64 MiB file for nothing.
  const probe = withDiskImage(base, file.name, file.size, '');
  if (!probe.ok) {
    ui.setLoadError(probe.error);
    return false;
  }
  let b64: string;
  try {
    b64 = await readBase64(file);
  } catch (e) {
    ui.setLoadError(`${file.name}: cannot read: ${(e as Error).message}`);
    return false;
  }
  const r = withDiskImage(base, file.name, file.size, b64);
  if (!r.ok) {
    ui.setLoadError(r.error);
    return false;
  }
  const name = r.scenario.name ?? file.name;
  const ok = await adopt(client, await client.load({ kind: 'scenario', text: JSON.stringify(r.scenario), fileName: file.name }), `disk: ${name}`);
  if (ok) {
    const url = new URL(window.location.href);
    url.searchParams.delete('preset');
    window.history.replaceState(null, '', url);
  }
  return ok;
}
