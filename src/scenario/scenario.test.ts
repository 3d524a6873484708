import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Machine } from '../machine/machine.ts';
import { parseScenario, MAX_DISK_BYTES } from './scenario.ts';
import { PRESETS } from './presets.ts';
import { validateScenario } from './scenario.ts';

const msg = (text: string): string => {
  const r = parseScenario(text);
  return r.ok ? 'ok' : r.error.message;
};

describe('scenario validation names the place of each problem', () => {
  it('accepts every preset', () => {
    for (const p of Object.values(PRESETS)) expect(validateScenario(p).ok).toBe(true);
  });

  it('reports one clear line per kind of mistake', () => {
    expect(msg('{"guests": [')).toMatch(/^not valid JSON: /);
    expect(msg('\u0000PNG')).toMatch(/not a text file/);
    expect(msg('{"guests": []}')).toMatch(/^guests: /);
    expect(msg('{"guests": [{"kernel": "script", "script": [{"op": "jump"}]}]}')).toBe('guests[0].script[0].op: unknown op; use write, read, hcall, wait or yield');
    expect(msg('{"guests": [{"kernel": "script", "script": [{"op": "hcall", "call": "FLY"}]}]}')).toMatch(/^guests\[0\]\.script\[0\]\.call: /);
    expect(msg('{"guests": [{"kernel": "script", "script": [{"op":"write","addr":1,"u8":[1]},{"op":"write","addr":1,"u8":[1]},{"op":"write","addr":1,"u8":[1]},{"op": "read", "addr": "0x10", "u8": 1}]}]}')).toMatch(/^guests\[0\]\.script\[3\]\.addr: .*expected number/);
    expect(msg('{"guests": [{"kernel": "lguest", "devices": [{"type": "disk"}]}]}')).toBe('guests[0].devices[0].type: unknown device type; use block or net (the console is always there)');
    expect(msg('{"guests": [{"kernel": "lguest", "colour": "red"}]}')).toMatch(/^guests\[0\]: .*colour/);
    expect(msg('{"guests": [{"memory": 1000}]}')).toMatch(/^guests\[0\]\.memory: memory must be a multiple of 4096/);
    expect(msg(`{"guests": [{"devices": [{"type": "block", "size": ${MAX_DISK_BYTES + 512}}]}]}`)).toMatch(/^guests\[0\]\.devices\[0\]\.size: disk images are limited to 67108864 bytes/);
    expect(msg('{"guests": [{}], "shared": [{"pages": 1, "map": [{"guest": 3, "gpa": 4096}]}]}')).toBe('shared[0].map[0].guest: no guest 3');
    expect(msg('{"guests": [{"memory": 65536}], "shared": [{"pages": 1, "map": [{"guest": 0, "gpa": 65536}]}]}')).toMatch(/^shared\[0\]\.map\[0\]\.gpa: overlaps the descriptor\/device pages/);
  });

  it('accepts a disk image exactly when it decodes as base64 (no atob error after validation)', () => {
    expect(msg('{"guests": [{"devices": [{"type": "block", "image": "A"}]}]}')).toMatch(/^guests\[0\]\.devices\[0\]\.image: image must be base64/);
    const decodes = (b: string): boolean => {
      try {
        atob(b);
        return true;
      } catch {
        return false;
      }
    };
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), maxLength: 40 });
    fc.assert(
      fc.property(b64, fc.constantFrom('', '=', '=='), (body, pad) => {
        const image = body + pad;
        const r = validateScenario({ guests: [{ devices: [{ type: 'block', image }] }] });
        expect(r.ok).toBe(decodes(image));
        if (r.ok) expect(() => new Machine(r.value)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
