import { describe, expect, it } from 'vitest';
import { SHORTCUTS } from './keyboard-shortcuts.ts';

describe('the shortcut table (what the handler runs and the ? overlay lists)', () => {
  it('gives every shortcut keys, a label and what it does; no key is taken twice', () => {
    const seen = new Set<string>();
    for (const s of SHORTCUTS) {
      expect(s.keys.length).toBeGreaterThan(0);
      expect(s.label.trim()).not.toBe('');
      expect(s.does.trim()).not.toBe('');
      for (const k of s.keys) {
        expect(seen.has(k), k).toBe(false);
        seen.add(k);
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining([' ', '.', ',', 'ArrowRight', 'ArrowLeft', '?']));
  });
});
