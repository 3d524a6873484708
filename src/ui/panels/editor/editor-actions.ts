/**
 * The editor's actions: load an edited or new scenario as a session (a
 * failure leaves the running one and says why), and Run.
 */
import type { ScenarioInput } from '../../../scenario/scenario.ts';
import { adopt } from '../../client/session-actions.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useEditor } from './editor-store.ts';
import { editedScenario } from './script-session.ts';

/** Load `scenario` as a new session named `name` (a failure leaves the old one and says why). */
export async function loadEdited(client: SimClient, scenario: ScenarioInput, name: string): Promise<boolean> {
  const ok = await adopt(client, await client.load({ kind: 'scenario', text: JSON.stringify(scenario), fileName: name }), name);
  if (ok) {
    const url = new URL(window.location.href);
    url.searchParams.delete('preset');
    window.history.replaceState(null, '', url);
  }
  return ok;
}

/** Run: the session's scenario with every edited source, and the inputs typed so far. */
export async function runEdited(client: SimClient): Promise<boolean> {
  const st = useEditor.getState();
  if (!st.base) return false;
  const rec = await client.api.recording();
  const sources = new Map<number, string>();
  st.texts.forEach((t, i) => t !== null && sources.set(i, t));
  // An exercise's runs keep its session name, so the exercise stays open (editor-store.ts adoptSession).
  const name = st.exercise ? st.exercise.session : st.base.name?.startsWith('edited: ') ? st.base.name : `edited: ${st.base.name ?? 'scenario'}`;
  return loadEdited(client, { ...editedScenario(st.base, rec.inputs, sources), name: name.slice(0, 100) }, name);
}
