/**
 * The scripted-guest step format (issue #3 contract) as a zod schema, so a bad
 * step is reported with its path (`guests[0].script[3].addr`).
 */
import { z } from 'zod';
import { HYPERCALL_BY_NAME as byName } from './hypercall-number.ts';

/**
 * JSON has no hex, so wherever a scenario expects a number it may also write
 * a "0x…" string (issue #14); any other string is still refused with zod's
 * "expected number". The digit bound keeps parseInt's input short.
 */
const HEX_STRING = /^0[xX][0-9a-fA-F]{1,16}$/;
export const orHex = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && HEX_STRING.test(v) ? parseInt(v.slice(2), 16) : v), schema);

const u32 = orHex(z.number().int().min(0).max(0xffffffff));
const count = orHex(z.number().int().min(0).max(65536));
const callName = z.union([
  u32,
  z.string().refine((s) => byName.has(s.replace(/^LHCALL_/, '')), { message: `unknown hypercall; use a number or one of ${[...byName.keys()].join(', ')}` }),
]);

export const WriteStep = z
  .strictObject({
    op: z.literal('write'),
    addr: u32,
    u32: z.array(u32).optional(),
    u16: z.array(orHex(z.number().int().min(0).max(0xffff))).optional(),
    u8: z.array(orHex(z.number().int().min(0).max(0xff))).optional(),
    text: z.string().optional(),
  })
  .refine((s) => [s.u32, s.u16, s.u8, s.text].filter((x) => x !== undefined).length === 1, { message: 'a write needs exactly one of u32, u16, u8 or text' });

export const ReadStep = z
  .strictObject({
    op: z.literal('read'),
    addr: u32,
    u32: count.optional(),
    u16: count.optional(),
    u8: count.optional(),
    text: count.optional(),
  })
  .refine((s) => [s.u32, s.u16, s.u8, s.text].filter((x) => x !== undefined).length === 1, { message: 'a read needs exactly one of u32, u16, u8 or text (a count)' });

export const HcallStep = z.strictObject({
  op: z.literal('hcall'),
  call: callName,
  args: z.array(u32).max(3).optional(),
});

export const WaitStep = z.strictObject({ op: z.literal('wait') });
export const YieldStep = z.strictObject({ op: z.literal('yield') });

export const ScriptStepSchema = z.discriminatedUnion('op', [WriteStep, ReadStep, HcallStep, WaitStep, YieldStep], {
  error: (iss) => (iss.code === 'invalid_union' ? 'unknown op; use write, read, hcall, wait or yield' : undefined),
});
export type ScriptStep = z.infer<typeof ScriptStepSchema>;
