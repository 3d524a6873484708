import { describe, expect, it } from 'vitest';
import { Machine } from '../../machine/machine.ts';
import { PRESETS } from '../../scenario/presets.ts';
import { validateScenario } from '../../scenario/scenario.ts';
import { withDiskImage } from './disk-image-actions.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('withDiskImage', () => {
  it('puts the image on the first block device; the guest reads it', () => {
    const text = 'sector zero from an image file';
    const r = withDiskImage(PRESETS.block, 'disk.img', text.length, b64(text));
    if (!r.ok) throw new Error(r.error);
    expect(r.guest).toBe(0);
    expect(r.scenario.name).toBe('block + disk.img');
    const s = validateScenario(JSON.parse(JSON.stringify(r.scenario)));
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.guests[0].devices?.[0]).toEqual({ type: 'block', size: 512, image: b64(text) });
    // The preset itself is untouched.
    expect(PRESETS.block.guests[0].devices?.[0]).toHaveProperty('sectors');
    const m = new Machine({ ...s.value, inputs: [{ guest: 0, text: 'blk size\r' }, { guest: 0, text: 'blk read 0\r' }] });
    while (m.step()) {
      /* run to idle */
    }
    expect(m.launchers[0].stdoutText()).toContain(text);
    expect(m.launchers[0].stdoutText()).toContain('lgba: 1 sectors, 512 bytes');
  });

  it('refuses a scenario without a block device, naming the fix', () => {
    const r = withDiskImage(PRESETS.console, 'disk.img', 3, b64('abc'));
    expect(r).toEqual({ ok: false, error: 'disk.img: this scenario has no block device to put a disk image on; open the "block" preset (or a scenario with a {"type": "block"} device) first' });
  });
});
