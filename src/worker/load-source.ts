/**
 * What a LoadSource (api.ts) names, resolved to a validated scenario before
 * anything of the current session is touched (issue #7: a bad source leaves
 * the session as it was): a preset by name, a scenario file's text, a share
 * link's fragment or a recording file. Links and recordings carry their
 * shown event and UI state, and may ask for no more than the page replays
 * (issue #11).
 */
import type { Result } from '../base/result.ts';
import { PRESETS, PRESET_NAMES } from '../scenario/presets.ts';
import { parseScenario, validateScenario, type Scenario } from '../scenario/scenario.ts';
import { decodeLink } from '../trace/link.ts';
import { recordingScenario, validateRecording, type Recording } from '../trace/recording.ts';
import type { LoadSource } from './api.ts';
import { replayBudgetProblem, replayTarget } from './sliced-replay.ts';

export interface Resolved {
  readonly scenario: Scenario;
  /** What a recording of this session names: the preset, or the scenario without its inputs. */
  readonly source: { preset?: string; scenario?: Scenario };
  /** A link's or recording's shown event. */
  readonly view?: number;
  readonly ui?: Recording['ui'];
  /** Events the replay must reach (0: not a replay). */
  readonly target: number;
  /** A link or recording: replay it before showing. */
  readonly replay: boolean;
}

export function resolveLoadSource(src: LoadSource): Result<Resolved, string> {
  if (src.kind === 'preset') {
    if (!PRESET_NAMES.includes(src.name)) return { ok: false, error: `unknown preset "${src.name}"; use one of ${PRESET_NAMES.join(', ')}` };
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
