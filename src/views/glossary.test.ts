import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, glossaryEntry, splitTerms } from './glossary.ts';

describe('glossary', () => {
  it('has the terms the issue names, each 1-3 sentences with a spec section', () => {
    for (const id of ['hypercall', 'key', 'private-key', 'shared-key', 'lguest-dma', 'used-len', 'next-dma', 'launcher', 'waker', 'break', 'getdma', 'lhreq-irq', 'driver-ok', 'futex-trick', 'descriptor-page'])
      expect(glossaryEntry(id), id).toBeDefined();
    const ids = new Set<string>();
    for (const e of GLOSSARY) {
      expect(ids.has(e.id), e.id).toBe(false);
      ids.add(e.id);
      const sentences = e.text.split(/(?<=[.!?])\s+(?=[A-Z/(])/).length;
      expect(sentences, e.id).toBeGreaterThanOrEqual(1);
      expect(sentences, e.id).toBeLessThanOrEqual(3);
      expect(e.spec).toMatch(/§\d/);
    }
  });

  it('marks whole words, longest first, each term once', () => {
    const p = splitTerms('a SEND_DMA to a private key: the Launcher reads the key; LHREQ_BREAK, not BREAKS');
    const marked = p.filter((x) => typeof x !== 'string');
    expect(marked).toEqual([
      { id: 'send-dma', text: 'SEND_DMA' },
      { id: 'private-key', text: 'private key' },
      { id: 'launcher', text: 'Launcher' },
      { id: 'key', text: 'key' },
      { id: 'break', text: 'LHREQ_BREAK' },
    ]);
  });

  it('can be limited to some terms', () => {
    expect(splitTerms('the key and the Launcher', new Set(['launcher'])).filter((x) => typeof x !== 'string')).toEqual([{ id: 'launcher', text: 'Launcher' }]);
  });

  it('joining the pieces gives the text back', () => {
    const words = fc.constantFrom(...GLOSSARY.flatMap((e) => [e.term, ...e.aliases]), ' ', 'x', '_', ', ', "'s");
    fc.assert(
      fc.property(fc.array(fc.oneof(words, fc.string()), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(splitTerms(text).map((x) => (typeof x === 'string' ? x : x.text)).join('')).toBe(text);
      }),
    );
  });
});
