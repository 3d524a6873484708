/**
 * Scenarios are data: which guests, how much memory, which devices, which
 * networks, which shared regions and which timed inputs (issue #3). Validated
 * with zod; a bad scenario yields one line naming the place, e.g.
 * `guests[0].script[3].addr: expected number, received string`.
 */
import { z } from 'zod';
import { LGUEST_MAX_DEVICES, MAX_LGUEST_GUESTS, PAGE_SIZE, SECTOR_SIZE } from '../abi/constants.ts';
import { ScriptStepSchema } from '../guest/script-step.ts';

/** Largest guest RAM a scenario may ask for (the page holds every guest in one tab). */
export const MAX_GUEST_MEMORY = 256 * 1024 * 1024;
/** Smallest: the built-in kernel keeps its data below 0x80000. */
export const MIN_GUEST_MEMORY = 64 * 1024;
export const DEFAULT_GUEST_MEMORY = 16 * 1024 * 1024;
/** Largest disk image (bytes). Larger ones are refused with this number in the message. */
export const MAX_DISK_BYTES = 64 * 1024 * 1024;
export const DEFAULT_DISK_BYTES = 1024 * 1024;
/** Largest scenario file (a whole disk image in base64 fits with room to spare). */
export const MAX_SCENARIO_CHARS = 100 * 1024 * 1024;

const pageAligned = (what: string) =>
  z
    .number()
    .int()
    .min(0)
    .max(0xffffffff)
    .refine((n) => n % PAGE_SIZE === 0, { message: `${what} must be a multiple of ${PAGE_SIZE}` });

export const BlockDeviceSchema = z.strictObject({
  type: z.literal('block'),
  /** Disk size in bytes (whole sectors). */
  size: z
    .number()
    .int()
    .min(SECTOR_SIZE)
    .max(MAX_DISK_BYTES, { message: `disk images are limited to ${MAX_DISK_BYTES} bytes (64 MiB)` })
    .refine((n) => n % SECTOR_SIZE === 0, { message: `size must be a multiple of ${SECTOR_SIZE}` })
    .optional(),
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
    name: z.string().max(64).optional(),
  })
  .refine((g) => g.kernel === 'script' || g.script === undefined, { message: 'only a "script" kernel takes a script', path: ['script'] });

export const SharedRegionSchema = z.strictObject({
  pages: z.number().int().min(1).max(256),
  map: z.array(z.strictObject({ guest: z.number().int().min(0).max(MAX_LGUEST_GUESTS - 1), gpa: pageAligned('gpa') })).min(1),
});

export const InputSchema = z.strictObject({
  guest: z.number().int().min(0).max(MAX_LGUEST_GUESTS - 1).default(0),
  text: z.string(),
  /** Event index at which the input reaches the terminal; absent: once every guest is idle, in order. */
  at: z.number().int().min(0).optional(),
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
  });

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
