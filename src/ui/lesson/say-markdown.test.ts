import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_CATALOG } from '../../lesson/catalog.ts';
import { inlineText, parseInline, parseSay } from './say-markdown.ts';

describe('the narration markdown subset', () => {
  it('parses code, bold, links, paragraphs and lists', () => {
    expect(parseInline('a `x<y>` **b `c`** [d](https://e.org/f) [g](javascript:alert(1))')).toEqual([
      { t: 'text', text: 'a ' },
      { t: 'code', text: 'x<y>' },
      { t: 'text', text: ' ' },
      { t: 'bold', children: [{ t: 'text', text: 'b ' }, { t: 'code', text: 'c' }] },
      { t: 'text', text: ' ' },
      { t: 'link', href: 'https://e.org/f', children: [{ t: 'text', text: 'd' }] },
      { t: 'text', text: ' ' },
      { t: 'text', text: 'g' },
      { t: 'text', text: ')' },
    ]);
    expect(parseSay('one\ntwo\n\n- a\n- b\n  more\n\n1. x\n2. y').map((b) => b.t)).toEqual(['p', 'ul', 'ol']);
    const ul = parseSay('- a\n- b\n  more')[0];
    expect(ul.t === 'ul' && ul.items.map(inlineText)).toEqual(['a', 'b more']);
  });

  it('never loses or invents text: without links, every character but the markup survives, in order (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '`', '*', '[', ']', 'h', '<', '&', '\n') }), (s) => {
        const strip = (x: string): string => x.replace(/[`*[\]\s]/g, '');
        const blocks = parseSay(s);
        const said = blocks.map((b) => (b.t === 'p' ? inlineText(b.inlines) : b.items.map(inlineText).join(''))).join('');
        expect(strip(said)).toBe(strip(s));
      }),
    );
  });

  it('every built-in lesson narration parses into text only (no tag survives as markup)', () => {
    for (const e of LESSON_CATALOG) {
      const l = JSON.parse(readFileSync(new URL(`../../../public/lessons/${e.file}`, import.meta.url), 'utf8')) as { steps: { say: string }[] };
      for (const s of l.steps) {
        const blocks = parseSay(s.say);
        expect(blocks.length).toBeGreaterThan(0);
        const words = blocks.map((b) => (b.t === 'p' ? inlineText(b.inlines) : b.items.map(inlineText).join(' '))).join(' ');
        expect(words).not.toMatch(/\*\*|`/);
      }
    }
  });
});
