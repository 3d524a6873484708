/**
 * The narration's markdown (issue #13: a small safe subset): paragraphs,
 * `-` / `*` / `1.` lists, `code`, **bold** and [links](https://…). Parsed into
 * plain data that lesson-say.tsx renders as React text nodes: nothing from a
 * lesson is ever inserted as HTML. Links other than https:// and #anchors
 * (the schema refuses them already) are shown as their text.
 */
export type Inline =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'code'; readonly text: string }
  | { readonly t: 'bold'; readonly children: readonly Inline[] }
  | { readonly t: 'link'; readonly href: string; readonly children: readonly Inline[] };

export type Block =
  | { readonly t: 'p'; readonly inlines: readonly Inline[] }
  | { readonly t: 'ul' | 'ol'; readonly items: readonly (readonly Inline[])[] };

const TOKEN = /`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

export const safeHref = (href: string): boolean => /^(https:\/\/|#)/.test(href);

export function parseInline(s: string, inBold = false): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    const at = m.index;
    if (m[2] !== undefined && inBold) continue; // no bold inside bold: its stars stay text
    if (at > last) out.push({ t: 'text', text: s.slice(last, at) });
    if (m[1] !== undefined) out.push({ t: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'bold', children: parseInline(m[2], true) });
    else {
      const children = parseInline(m[3], inBold);
      out.push(safeHref(m[4]) ? { t: 'link', href: m[4], children } : { t: 'text', text: m[3] });
    }
    last = at + m[0].length;
  }
  if (last < s.length) out.push({ t: 'text', text: s.slice(last) });
  return out;
}

const BULLET = /^\s*[-*]\s+/;
const NUMBER = /^\s*\d+[.)]\s+/;

export function parseSay(say: string): Block[] {
  const blocks: Block[] = [];
  for (const para of say.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = para.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const kind = BULLET.test(lines[0]) ? 'ul' : NUMBER.test(lines[0]) ? 'ol' : null;
    if (kind === null) {
      blocks.push({ t: 'p', inlines: parseInline(lines.map((l) => l.trim()).join(' ')) });
      continue;
    }
    const mark = kind === 'ul' ? BULLET : NUMBER;
    const items: string[] = [];
    for (const l of lines) {
      if (mark.test(l)) items.push(l.replace(mark, ''));
      else if (items.length > 0) items[items.length - 1] += ` ${l.trim()}`; // a continued item
    }
    blocks.push({ t: kind, items: items.map((i) => parseInline(i)) });
  }
  return blocks;
}

/** The text a block list says (what a screen reader gets; tests compare it with the source). */
export function inlineText(xs: readonly Inline[]): string {
  return xs.map((x) => (x.t === 'text' || x.t === 'code' ? x.text : inlineText(x.children))).join('');
}
