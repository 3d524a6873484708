/**
 * The sources that must be validated before they run (issue #7: a bad
 * source leaves the session as it was): an example preset (source text to
 * compile), a scenario file's text, a share link's fragment or a recording
 * file. Links and recordings carry their shown event and UI state, and may
 * ask for no more than the page replays (issue #11). Its own chunk, loaded
 * the first time such a source comes (load-source.ts): the schema and zod
 * are not on the worker's first load (issue #15).
 */
import type { Result } from '../base/result.ts';
import { PRESETS } from '../scenario/presets.ts';
import { parseScenario, validateScenario } from '../scenario/scenario.ts';
import { decodeLink } from '../trace/link.ts';
import { recordingScenario, validateRecording, type Recording } from '../trace/recording.ts';
import type { LoadSource } from './api.ts';
import type { Resolved } from './load-source.ts';
import { replayBudgetProblem, replayTarget } from './sliced-replay.ts';

export function resolveChecked(src: LoadSource): Result<Resolved, string> {
  if (src.kind === 'preset') {
    const r = validateScenario(PRESETS[src.name]);
    if (!r.ok) return { ok: false, error: r.error.message };
    return { ok: true, value: { scenario: r.value, source: { preset: src.name }, target: 0, replay: false } };
  }
  if (src.kind === 'scenario') {
    const r = parseScenario(src.text);
    if (!r.ok) return { ok: false, error: `${src.fileName ?? 'scenario'}: ${r.error.message}` };
    return { ok: true, value: { scenario: r.value, source: { scenario: { ...r.value, inputs: [] } }, target: 0, replay: false } };
  }
  // A link or a recording from the page (a file someone sent): data, validated before use.
  let rec: Recording;
  if (src.kind === 'link') {
    const d = decodeLink(src.fragment);
    if (!d.ok) return { ok: false, error: d.error.message };
    rec = d.value;
  } else {
    const v = validateRecording(src.recording);
    if (!v.ok) return { ok: false, error: `recording: ${v.error.message}` };
    rec = v.value;
  }
  // A link may ask for no more than the page replays (issue #11).
  const tooMuch = replayBudgetProblem(rec);
  if (tooMuch !== null) return { ok: false, error: `${src.kind === 'link' ? 'link' : 'recording'}: ${tooMuch}` };
  const r = recordingScenario(rec);
  if (!r.ok) return { ok: false, error: `recording: ${r.error.message}` };
  const source = rec.preset !== undefined ? { preset: rec.preset } : { scenario: { ...r.value, inputs: [] } };
  return { ok: true, value: { scenario: r.value, source, view: rec.view, ui: rec.ui, target: replayTarget(rec), replay: true } };
}
