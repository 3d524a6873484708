import { describe, expect, it } from 'vitest';
import { CORE_PRESETS, PRESETS, PRESET_NAMES } from './presets.ts';
import { validateScenario } from './scenario.ts';

describe('built-in presets', () => {
  // The worker boots a core preset without validating it (src/worker/load-source.ts): that is
  // only sound while validation would hand back exactly the object written here.
  it.each(Object.keys(CORE_PRESETS))('core preset %s is already in validated form', (name) => {
    const r = validateScenario(CORE_PRESETS[name]);
    expect(r.ok && r.value).toStrictEqual(CORE_PRESETS[name]);
  });

  it.each(PRESET_NAMES)('preset %s validates', (name) => {
    expect(validateScenario(PRESETS[name]).ok).toBe(true);
  });
});
