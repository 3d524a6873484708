/**
 * The lesson format (issue #13, a contract): a lesson is JSON data that the
 * simulator checks. Validated with zod so a malformed lesson yields one line
 * naming the place, as a bad scenario does:
 * `steps[3].expect[0].memory.addr: expected a number or a "0x…" string`.
 *
 * Numbers and addresses may be decimal or "0x…" strings. Guest indexes are
 * checked against the lesson's own machine (`start`), so a lesson cannot name
 * a guest that is not there. Step fields beyond say/do/show/expect come from
 * the extension registry (extensions.ts), e.g. `exercise`.
 */
import { z } from 'zod';
import { HYPERCALL_NAMES, LHREQ_NAMES, LGUEST_MAX_DEVICES, DEVICE_STATUS_BITS } from '../abi/constants.ts';
import { PRESET_NAMES, PRESETS } from '../scenario/presets.ts';
import { ScenarioSchema, type Result, type Scenario } from '../scenario/scenario.ts';
import { EVENT_FIELDS, EVENT_KINDS, type Match } from './match.ts';
import { stepExtensions } from './extensions.ts';

/** Bounds, so a hostile file is refused before it is played. */
export const MAX_LESSON_CHARS = 2 * 1024 * 1024;
export const MAX_STEPS = 100;
export const MAX_ACTIONS = 50;
export const MAX_CHECKS = 50;
/** Events one `step` or `back` may move. */
export const MAX_MOVE = 1_000_000;

/** Panels a `show` may name: the page's panel test ids (the lesson panel maps them). */
export const PANEL_NAMES = ['device-table', 'dma-keys', 'dma-buffer', 'hex-view', 'console', 'block-page', 'sector-map', 'net-page', 'workbench', 'timeline', 'event-log'] as const;
export type PanelName = (typeof PANEL_NAMES)[number];

export const STATUS_BIT_NAMES = DEVICE_STATUS_BITS.map(([, n]) => n);

const NUM_TEXT = /^(0x[0-9a-fA-F]{1,8}|\d{1,10})$/;
const NUM_ERROR = 'expected a number or a "0x…" string';

/** A u32 written as a JSON number, a decimal string or a "0x…" string. */
export const Num = (max = 0xffffffff) =>
  z
    .union([z.number(), z.string()], { error: NUM_ERROR })
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : NUM_TEXT.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > max) {
        ctx.addIssue({ code: 'custom', message: Number.isNaN(n) ? NUM_ERROR : `expected a whole number from 0 to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const GuestIndex = Num(15);
const kinds = new Set(EVENT_KINDS);
const calls = new Set(Object.values(HYPERCALL_NAMES));
const reqs = new Set(Object.values(LHREQ_NAMES));
const fields = new Set(EVENT_FIELDS);

export const MatchSchema = z
  .record(z.string(), z.union([z.string().max(200), z.number()], { error: 'a MATCH value is a string or a number' }))
  .superRefine((m, ctx) => {
    const keys = Object.keys(m);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'a MATCH needs at least one field (kind, guest, call, key, …)' });
    if (keys.length > 16) ctx.addIssue({ code: 'custom', message: 'a MATCH has at most 16 fields' });
    for (const k of keys) {
      if (!fields.has(k)) ctx.addIssue({ code: 'custom', path: [k], message: `not a field of a trace event; use ${EVENT_FIELDS.join(', ')}` });
    }
    if (m.kind !== undefined && !kinds.has(String(m.kind))) ctx.addIssue({ code: 'custom', path: ['kind'], message: `unknown event kind; use ${EVENT_KINDS.join(', ')}` });
    if (typeof m.call === 'string' && !calls.has(m.call)) ctx.addIssue({ code: 'custom', path: ['call'], message: `unknown hypercall; the trace writes ${[...calls].join(', ')}` });
    if (typeof m.req === 'string' && !reqs.has(m.req)) ctx.addIssue({ code: 'custom', path: ['req'], message: `unknown request; the trace writes ${[...reqs].join(', ')}` });
  })
  .transform((m): Match => m);

/**
 * An object that is exactly one of several shapes, chosen by which key it
 * has: the error then comes from that shape, at its own path.
 */
function oneOf<T>(what: string, variants: Record<string, z.ZodType<T>>) {
  const names = Object.keys(variants);
  return z.unknown().transform((v, ctx): T => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} object: one of ${names.map((n) => `{"${n}": …}`).join(', ')}` });
      return z.NEVER;
    }
    const key = names.find((n) => n in v);
    if (key === undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown ${what}; use one of ${names.join(', ')}` });
      return z.NEVER;
    }
    const r = variants[key].safeParse(v);
    if (!r.success) {
      for (const iss of r.error.issues) ctx.addIssue({ code: 'custom', message: iss.message, path: iss.path as PropertyKey[] });
      return z.NEVER;
    }
    return r.data;
  });
}

export type Action =
  | { readonly type: string; readonly guest: number }
  | { readonly run: 'idle' | { readonly until: Match } }
  | { readonly step: number }
  | { readonly back: number };

const Moves = z.number({ error: 'expected a whole number of events' }).int().min(1).max(MAX_MOVE);

export const ActionSchema = oneOf<Action>('action', {
  type: z.strictObject({ type: z.string().min(1).max(4096), guest: GuestIndex.default(0) }),
  run: z.strictObject({
    run: z.union([z.literal('idle'), z.strictObject({ until: MatchSchema })], { error: 'expected "idle" or {"until": MATCH}' }),
  }),
  step: z.strictObject({ step: Moves }),
  back: z.strictObject({ back: Moves }),
});

export type Show =
  | { readonly event: Match }
  | { readonly key: number; readonly guest: number }
  | { readonly device: number; readonly guest: number }
  | { readonly buffer: number; readonly guest: number }
  | { readonly panel: PanelName };

export const ShowSchema = oneOf<Show>('show', {
  event: z.strictObject({ event: MatchSchema }),
  key: z.strictObject({ key: Num(), guest: GuestIndex.default(0) }),
  device: z.strictObject({ device: Num(LGUEST_MAX_DEVICES - 1), guest: GuestIndex.default(0) }),
  buffer: z.strictObject({ buffer: Num(), guest: GuestIndex.default(0) }),
  panel: z.strictObject({ panel: z.enum(PANEL_NAMES, { error: `unknown panel; use one of ${PANEL_NAMES.join(', ')}` }) }),
});

export type MemoryCheck = { readonly guest: number; readonly addr: number } & (
  | { readonly u32: readonly number[] }
  | { readonly u16: readonly number[] }
  | { readonly u8: readonly number[] }
  | { readonly text: string }
);

export type Check =
  | { readonly event: Match }
  | { readonly seen: Match }
  | { readonly console: { readonly guest: number; readonly contains: string } }
  | { readonly killed: { readonly guest: number; readonly reason?: string } }
  | { readonly alive: { readonly guest: number } }
  | { readonly status: { readonly guest: number; readonly device: number; readonly bits: readonly string[] } }
  | { readonly memory: MemoryCheck };

const values = (max: number) => z.array(Num(max)).min(1).max(1024);

const MemorySchema = z
  .strictObject({
    guest: GuestIndex.default(0),
    addr: Num(),
    u32: values(0xffffffff).optional(),
    u16: values(0xffff).optional(),
    u8: values(0xff).optional(),
    text: z.string().min(1).max(4096).optional(),
  })
  .superRefine((m, ctx) => {
    const n = [m.u32, m.u16, m.u8, m.text].filter((x) => x !== undefined).length;
    if (n !== 1) ctx.addIssue({ code: 'custom', message: 'a memory check needs exactly one of u32, u16, u8 or text' });
  })
  .transform((m) => m as MemoryCheck);

export const CheckSchema = oneOf<Check>('check', {
  event: z.strictObject({ event: MatchSchema }),
  seen: z.strictObject({ seen: MatchSchema }),
  console: z.strictObject({ console: z.strictObject({ guest: GuestIndex.default(0), contains: z.string().min(1).max(4096) }) }),
  killed: z.strictObject({ killed: z.strictObject({ guest: GuestIndex.default(0), reason: z.string().min(1).max(1024).optional() }) }),
  alive: z.strictObject({ alive: z.strictObject({ guest: GuestIndex.default(0) }) }),
  status: z.strictObject({
    status: z.strictObject({
      guest: GuestIndex.default(0),
      device: Num(LGUEST_MAX_DEVICES - 1),
      bits: z.array(z.enum(STATUS_BIT_NAMES as [string, ...string[]], { error: `unknown status bit; use ${STATUS_BIT_NAMES.join(', ')}` })).max(8),
    }),
  }),
  memory: z.strictObject({ memory: MemorySchema }),
});

/** Narration: the safe markdown subset is rendered as text, so raw HTML is refused rather than shown as tags. */
const Say = z
  .string()
  .min(1)
  .max(4000)
  .refine((s) => !/<[a-zA-Z/!]/.test(s), { message: 'say is markdown text: no HTML tags' })
  .refine((s) => [...s.matchAll(/\]\(([^)]*)\)/g)].every((m) => /^(https:\/\/|#)/.test(m[1])), { message: 'links in say must be https:// or #anchors' });

export interface Step {
  readonly say: string;
  readonly do: readonly Action[];
  readonly show?: Show;
  readonly expect: readonly Check[];
  /** Fields owned by step extensions (e.g. `exercise`), as their schemas produced them. */
  readonly extra: Readonly<Record<string, unknown>>;
}

export const StartSchema = z.union([z.strictObject({ preset: z.string() }), z.strictObject({ scenario: ScenarioSchema })], {
  error: 'start is {"preset": NAME} or {"scenario": {…}}',
});

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly start: { readonly preset: string } | { readonly scenario: Scenario };
  readonly steps: readonly Step[];
}

function stepSchema() {
  const ext: Record<string, z.ZodType> = {};
  for (const e of stepExtensions()) ext[e.field] = e.schema.optional();
  return z
    .strictObject({
      say: Say,
      do: z.array(ActionSchema).max(MAX_ACTIONS).optional(),
      show: ShowSchema.optional(),
      expect: z.array(CheckSchema).max(MAX_CHECKS).optional(),
      ...ext,
    })
    .transform((s): Step => {
      const { say, do: actions, show, expect, ...rest } = s as Record<string, unknown>;
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) extra[k] = v;
      return { say: say as string, do: (actions ?? []) as Action[], show: show as Show | undefined, expect: (expect ?? []) as Check[], extra };
    });
}

export function lessonSchema() {
  return z
    .strictObject({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'id is lower-case letters, digits and dashes (as in ?lesson=ID)' }),
      title: z.string().min(1).max(200),
      summary: z.string().min(1).max(2000),
      start: StartSchema,
      steps: z.array(stepSchema()).min(1).max(MAX_STEPS),
    })
    .transform((l) => l as Lesson);
}

type Issue = { readonly path: (string | number)[]; readonly message: string };

/** Checks across the parsed lesson: every `guest` a step names must be one of its machine's guests. */
function crossCheck(l: Lesson): Issue | null {
  let guests: number;
  if ('preset' in l.start) {
    const p = PRESETS[l.start.preset];
    if (!p) return { path: ['start', 'preset'], message: `unknown preset; use one of ${PRESET_NAMES.join(', ')}` };
    guests = p.guests.length;
  } else guests = l.start.scenario.guests.length;
  const bad = (k: number, where: (string | number)[], g: number): Issue | null =>
    g >= guests ? { path: ['steps', k, ...where, 'guest'], message: `no guest ${g}: the lesson's machine has ${guests}` } : null;
  for (const [k, s] of l.steps.entries()) {
    for (const [j, a] of s.do.entries()) {
      const e = 'type' in a ? bad(k, ['do', j], a.guest) : null;
      if (e) return e;
    }
    const e = s.show && 'guest' in s.show ? bad(k, ['show'], s.show.guest) : null;
    if (e) return e;
    for (const [j, c] of s.expect.entries()) {
      const [name, body] = Object.entries(c)[0] as [string, Record<string, unknown>];
      const e2 = typeof body.guest === 'number' ? bad(k, ['expect', j, name], body.guest) : null;
      if (e2) return e2;
    }
  }
  return null;
}

/** `steps[3].expect[0].memory.addr`; a key that is not a plain name is quoted (`event[""]`), so the place reads unambiguously. */
export function lessonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(p))) out += out === '' ? String(p) : `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(lesson)';
}

export interface LessonError {
  readonly code: 'bad-json' | 'invalid';
  /** One line: where and what. */
  readonly message: string;
}

export function validateLesson(data: unknown): Result<Lesson, LessonError> {
  const r = lessonSchema().safeParse(data);
  const iss: Issue | null = r.success ? crossCheck(r.data) : { path: r.error.issues[0].path as (string | number)[], message: r.error.issues[0].message };
  if (iss === null && r.success) return { ok: true, value: r.data };
  return { ok: false, error: { code: 'invalid', message: `${lessonPath(iss!.path)}: ${iss!.message}` } };
}

export function parseLesson(text: string): Result<Lesson, LessonError> {
  if (text.includes('\u0000')) return { ok: false, error: { code: 'bad-json', message: 'this is not a text file (it holds binary data); open a lesson .json file' } };
  if (text.length > MAX_LESSON_CHARS) return { ok: false, error: { code: 'invalid', message: `the file is ${text.length} characters; lessons are limited to ${MAX_LESSON_CHARS} (2 MiB)` } };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { code: 'bad-json', message: `not valid JSON: ${(e as Error).message}` } };
  }
  return validateLesson(data);
}

/** The scenario a lesson starts from, validated (presets are validated like any file). */
export function startScenario(l: Lesson): Result<Scenario, LessonError> {
  if ('scenario' in l.start) return { ok: true, value: l.start.scenario };
  const r = ScenarioSchema.safeParse(PRESETS[l.start.preset]);
  if (!r.success) return { ok: false, error: { code: 'invalid', message: `start.preset: preset ${l.start.preset} is invalid: ${r.error.issues[0].message}` } };
  return { ok: true, value: r.data };
}
