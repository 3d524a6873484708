/**
 * Scenarios are data: which guests, how much memory, which devices, which
 * networks, which shared regions and which timed inputs (issue #3). Validated
 * with zod; a bad scenario yields one line naming the place, e.g.
 * `guests[0].script[3].addr: expected number, received string`.
 */
import { z } from 'zod';
import { LGUEST_MAX_DEVICES, MAX_LGUEST_GUESTS, PAGE_SIZE, SECTOR_SIZE } from '../abi/constants.ts';
import { orHex, ScriptStepSchema, type ScriptStep } from '../guest/script-step.ts';
import { compileScript, formatSyntaxError, MAX_SOURCE_CHARS } from './script-syntax.ts';

import { DEFAULT_GUEST_MEMORY, MAX_DISK_BYTES, MAX_GUEST_MEMORY, MIN_GUEST_MEMORY, MAX_SCENARIO_CHARS } from './sizes.ts';
export * from './sizes.ts';

const pageAligned = (what: string) =>
  orHex(
    z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .refine((n) => n % PAGE_SIZE === 0, { message: `${what} must be a multiple of ${PAGE_SIZE}` }),
  );
/** A guest index. */
const guestIndex = orHex(z.number().int().min(0).max(MAX_LGUEST_GUESTS - 1));

export const BlockDeviceSchema = z.strictObject({
  type: z.literal('block'),
  /** Disk size in bytes (whole sectors). */
  size: orHex(
    z
      .number()
      .int()
      .min(SECTOR_SIZE)
      .max(MAX_DISK_BYTES, { message: `disk images are limited to ${MAX_DISK_BYTES} bytes (64 MiB)` })
      .refine((n) => n % SECTOR_SIZE === 0, { message: `size must be a multiple of ${SECTOR_SIZE}` }),
  ).optional(),
  /** Text to place at sector N: { "0": "hello" }. */
  sectors: z.record(z.string().regex(/^\d+$/, { message: 'sector keys are decimal numbers' }), z.string()).optional(),
  /** Whole image, base64 (the CLI's --disk FILE fills this). */
  image: z
    .string()
    .max(Math.ceil(MAX_DISK_BYTES / 3) * 4, { message: `disk images are limited to ${MAX_DISK_BYTES} bytes (64 MiB); use a smaller image` })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'image must be base64' })
    // atob's rule (forgiving-base64 decode): with padding the length is a multiple of 4; without, it is never 4n+1.
    .refine((b) => (b.endsWith('=') ? b.length % 4 === 0 : b.length % 4 !== 1), { message: 'image must be base64: its length does not fit base64 (a character missing or extra?)' })
    .optional(),
});

export const NetDeviceSchema = z.strictObject({
  type: z.literal('net'),
  /** Guests naming the same network share one MAC page (--sharenet=<file>). */
  network: z.string().min(1).max(64).optional(),
});

export const DeviceSchema = z.discriminatedUnion('type', [BlockDeviceSchema, NetDeviceSchema], {
  error: (iss) => (iss.code === 'invalid_union' ? 'unknown device type; use block or net (the console is always there)' : undefined),
});

export const GuestSchema = z
  .strictObject({
    kernel: z.enum(['lguest', 'script']).default('lguest'),
    memory: pageAligned('memory').pipe(z.number().min(MIN_GUEST_MEMORY).max(MAX_GUEST_MEMORY)).optional(),
    devices: z.array(DeviceSchema).max(LGUEST_MAX_DEVICES - 1, { message: `at most ${LGUEST_MAX_DEVICES - 1} devices (the console takes the last slot)` }).optional(),
    script: z.array(ScriptStepSchema).optional(),
    /** The script in the line syntax (scenario/script-syntax.ts); compiled into `script` for the scenario's arch. */
    source: z.string().max(MAX_SOURCE_CHARS, { message: `a source is at most ${MAX_SOURCE_CHARS} characters` }).optional(),
    name: z.string().max(64).optional(),
  })
  .refine((g) => g.kernel === 'script' || g.script === undefined, { message: 'only a "script" kernel takes a script', path: ['script'] })
  .refine((g) => g.kernel === 'script' || g.source === undefined, { message: 'only a "script" kernel takes a source', path: ['source'] });

export const SharedRegionSchema = z.strictObject({
  pages: orHex(z.number().int().min(1).max(256)),
  map: z.array(z.strictObject({ guest: guestIndex, gpa: pageAligned('gpa') })).min(1),
});

export const InputSchema = z.strictObject({
  guest: guestIndex.default(0),
  text: z.string(),
  /** Event index at which the input reaches the terminal; absent: once every guest is idle, in order. */
  at: orHex(z.number().int().min(0)).optional(),
});

export const ScenarioSchema = z
  .strictObject({
    name: z.string().max(100).optional(),
    description: z.string().max(2000).optional(),
    arch: z.enum(['i386', 'x86_64']).default('i386'),
    guests: z.array(GuestSchema).min(1).max(MAX_LGUEST_GUESTS),
    shared: z.array(SharedRegionSchema).optional(),
    inputs: z.array(InputSchema).optional(),
  })
  .superRefine((s, ctx) => {
    (s.shared ?? []).forEach((r, ri) =>
      r.map.forEach((m, mi) => {
        const g = s.guests[m.guest];
        if (!g) {
          ctx.addIssue({ code: 'custom', path: ['shared', ri, 'map', mi, 'guest'], message: `no guest ${m.guest}` });
          return;
        }
        // The descriptor page and device pages sit right above RAM (spec §1.4); a shared region may not cover them.
        const ram = g.memory ?? DEFAULT_GUEST_MEMORY;
        const devTop = ram + PAGE_SIZE * (1 + (g.devices?.length ?? 0));
        const end = m.gpa + r.pages * PAGE_SIZE;
        if (m.gpa < devTop && end > ram) ctx.addIssue({ code: 'custom', path: ['shared', ri, 'map', mi, 'gpa'], message: `overlaps the descriptor/device pages at 0x${ram.toString(16)}..0x${devTop.toString(16)}` });
        if (end > 0x4000_0000) ctx.addIssue({ code: 'custom', path: ['shared', ri, 'map', mi, 'gpa'], message: 'shared regions must end below 1 GiB' });
      }),
    );
    (s.inputs ?? []).forEach((inp, i) => {
      if (inp.guest >= s.guests.length) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'guest'], message: `no guest ${inp.guest}` });
    });
  })
  .transform((s, ctx) => {
    // A guest's `source` becomes its `script` (the same steps, so the same run and hash); the source stays, so a
    // recording or link of this scenario carries what the student typed. A script given beside it must be its compilation.
    const guests = s.guests.map((g, i) => {
      if (g.source === undefined) return g;
      const r = compileScript(g.source, s.arch);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', path: ['guests', i, 'source'], message: formatSyntaxError(r.errors[0]) });
        return g;
      }
      if (g.script !== undefined && !sameSteps(g.script, r.steps)) ctx.addIssue({ code: 'custom', path: ['guests', i, 'script'], message: 'give either "script" or "source" (this script is not what the source compiles to)' });
      return { ...g, script: r.steps };
    });
    return { ...s, guests };
  });

/** Key-order-free equality of two step lists. */
function sameSteps(a: readonly ScriptStep[], b: readonly ScriptStep[]): boolean {
  const canon = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([p], [q]) => (p < q ? -1 : 1))) : v));
  return canon(a) === canon(b);
}

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type GuestSpec = z.infer<typeof GuestSchema>;

export type { Result } from '../base/result.ts';
import type { Result } from '../base/result.ts';

export interface ScenarioError {
  readonly code: 'bad-json' | 'invalid';
  /** One line: where and what. */
  readonly message: string;
}

/** `guests[0].script[3].addr` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(scenario)';
}

export function validateScenario(data: unknown): Result<Scenario, ScenarioError> {
  const r = ScenarioSchema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  const iss = r.error.issues[0];
  return { ok: false, error: { code: 'invalid', message: `${formatPath(iss.path)}: ${iss.message}` } };
}

export function parseScenario(text: string): Result<Scenario, ScenarioError> {
  if (text.includes('\u0000')) return { ok: false, error: { code: 'bad-json', message: 'this is not a text file (it holds binary data); open a scenario .json file' } };
  if (text.length > MAX_SCENARIO_CHARS) return { ok: false, error: { code: 'invalid', message: `the file is ${text.length} characters; scenarios are limited to ${MAX_SCENARIO_CHARS} (100 MiB)` } };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { code: 'bad-json', message: `not valid JSON: ${(e as Error).message}` } };
  }
  return validateScenario(data);
}
