/**
 * A recording: the scenario plus the stamped inputs (issue #5) — not the
 * event stream, which the deterministic Machine regenerates. Versioned and
 * validated with zod, so a link from elsewhere is data, never trusted.
 */
import { z } from 'zod';
import { PRESET_NAMES, PRESETS } from '../scenario/presets.ts';
import { ScenarioSchema, validateScenario, type Result, type Scenario, type ScenarioError } from '../scenario/scenario.ts';
import { RECORDING_VERSION } from './make-recording.ts';

export { makeRecording, RECORDING_VERSION } from './make-recording.ts';

/** What the UI had selected, so a link opens the same view. */
export const UiStateSchema = z
  .strictObject({
    guest: z.number().int().min(0).max(15).optional(),
    key: z.string().max(64).optional(),
    event: z.number().int().min(0).optional(),
    tab: z.string().max(32).optional(),
    /** The built-in lesson open at the time, and its step (issue #13): the link reopens the lesson there. */
    lesson: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
    step: z.number().int().min(0).max(1000).optional(),
  })
  .optional();

export const RecordingSchema = z
  .strictObject({
    v: z.literal(RECORDING_VERSION, { message: `unsupported recording version; this lguest-lab reads version ${RECORDING_VERSION}` }),
    /** A built-in preset by name, or a whole scenario. */
    preset: z.enum(PRESET_NAMES as [string, ...string[]]).optional(),
    scenario: ScenarioSchema.optional(),
    /** [event index or null (typed while every guest was idle), guest, text] per input, in landing order. */
    inputs: z.array(z.tuple([z.number().int().min(0).nullable(), z.number().int().min(0).max(15), z.string().min(1).max(1_000_000)])).max(100_000),
    /** The event count being shown (absent: the end). */
    view: z.number().int().min(0).optional(),
    ui: UiStateSchema,
  })
  .refine((r) => (r.preset === undefined) !== (r.scenario === undefined), { message: 'a recording names exactly one of preset or scenario' })
  .refine(
    (r) => {
      let last = 0;
      for (const [at] of r.inputs) {
        if (at === null) continue;
        if (at < last) return false;
        last = at;
      }
      return true;
    },
    { message: 'inputs must be in event order', path: ['inputs'] },
  );

export type Recording = z.infer<typeof RecordingSchema>;

/** The scenario a recording replays: its own or its preset's, with the inputs stamped in. */
export function recordingScenario(r: Recording): Result<Scenario, ScenarioError> {
  const base = r.preset !== undefined ? validateScenario(PRESETS[r.preset]) : validateScenario(r.scenario);
  if (!base.ok) return base;
  // The recording's inputs replace the scenario's own: they are what happened.
  return { ok: true, value: { ...base.value, inputs: r.inputs.map(([at, guest, text]) => (at === null ? { guest, text } : { at, guest, text })) } };
}

export function validateRecording(data: unknown): Result<Recording, ScenarioError> {
  const r = RecordingSchema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  const iss = r.error.issues[0];
  const where = iss.path.length ? iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'recording';
  return { ok: false, error: { code: 'invalid', message: `${where}: ${iss.message}` } };
}
