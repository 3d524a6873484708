/**
 * Making a recording (issue #5) without its schema: the worker records every
 * session it runs and makes links of them, but validates a recording only
 * when one comes from elsewhere (recording.ts). Kept apart so the worker's
 * first load carries no zod (issue #15).
 */
import type { StampedInput } from '../machine/machine.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Recording } from './recording.ts';

export const RECORDING_VERSION = 1;

export function makeRecording(source: { preset?: string; scenario?: Scenario }, inputs: readonly StampedInput[], view?: number, ui?: Recording['ui']): Recording {
  const r: Recording = { v: RECORDING_VERSION, inputs: inputs.map((x) => [x.idle ? null : x.at, x.guest, x.text]) };
  if (source.preset !== undefined) r.preset = source.preset;
  else r.scenario = source.scenario;
  if (view !== undefined) r.view = view;
  if (ui !== undefined) r.ui = ui;
  return r;
}
