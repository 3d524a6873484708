/**
 * What a LoadSource (api.ts) names, resolved to a validated scenario before
 * anything of the current session is touched (issue #7: a bad source leaves
 * the session as it was).
 *
 * A core preset is written in validated form (src/scenario/presets.ts, and
 * its test), so it boots at once, without the schema; everything else is
 * validated by load-checked.ts, a chunk fetched the first time one comes
 * (issue #15: zod is most of the worker's first load otherwise).
 */
import type { Result } from '../base/result.ts';
import { CORE_PRESETS, PRESET_NAMES } from '../scenario/presets.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Recording } from '../trace/recording.ts';
import type { LoadSource } from './api.ts';

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

export async function resolveLoadSource(src: LoadSource): Promise<Result<Resolved, string>> {
  if (src.kind === 'preset') {
    if (!PRESET_NAMES.includes(src.name)) return { ok: false, error: `unknown preset "${src.name}"; use one of ${PRESET_NAMES.join(', ')}` };
    const core = CORE_PRESETS[src.name];
    // A copy: nothing a session does may reach the module's constant.
    if (core !== undefined) return { ok: true, value: { scenario: structuredClone(core), source: { preset: src.name }, target: 0, replay: false } };
  }
  const { resolveChecked } = await import('./load-checked.ts');
  return resolveChecked(src);
}
