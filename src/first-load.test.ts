/**
 * What the first load may not bring (issue #15: initial JS ≤ 250 KB gzip;
 * the figure itself is measured by `npm run bench:ui`, this keeps the design
 * that reaches it). The modules reached by static imports from the page's
 * and the worker's entries, as Vite bundles them into the files a cold load
 * fetches; dynamic `import()`s and type-only imports do not count.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = dirname(new URL(import.meta.url).pathname);

/** The modules (src-relative paths) and packages reached from `entry` by value imports. */
function firstLoad(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>([entry]);
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    const text = readFileSync(join(SRC, file), 'utf8');
    // `import x from 'y'`, `import 'y'`, `export { x } from 'y'`; not `import type`, `export type`.
    for (const m of text.matchAll(/^\s*(import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s*)?['"]([^'"]+)['"]/gm)) {
      const spec = m[2];
      if (m[1] === 'export' && !/\bfrom\b/.test(m[0])) continue;
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        continue;
      }
      if (/\.(css|json)$/.test(spec)) continue;
      const to = relative(SRC, resolve(dirname(join(SRC, file)), spec));
      if (!modules.has(to)) (modules.add(to), todo.push(to));
    }
  }
  return { modules, packages };
}

describe('the first load', () => {
  it('of the worker has no zod (a core preset boots without the schema) and no fflate (links are encoded on demand)', () => {
    const w = firstLoad('worker/sim-worker.ts');
    expect(w.modules.has('worker/session.ts')).toBe(true);
    expect([...w.packages].sort()).toEqual(['comlink']);
    expect([...w.modules].filter((m) => ['scenario/scenario.ts', 'trace/recording.ts', 'trace/link.ts', 'guest/script-step.ts'].includes(m))).toEqual([]);
  });

  it('of the page has no zod or fflate, no copy of the presets, and none of the panels the first screen does not show', () => {
    const p = firstLoad('ui/app/main.tsx');
    expect(p.modules.has('ui/app/app.tsx')).toBe(true);
    expect(p.packages.has('zod') || p.packages.has('fflate')).toBe(false);
    const later = ['scenario/presets.ts', 'ui/lesson/lesson-panel.tsx', 'ui/lesson/lesson-actions.ts', 'ui/quiz/quiz-panel.tsx', 'ui/quiz/quiz-actions.ts', 'ui/app/help-overlay.tsx', 'ui/panels/editor/script-editor-panel.tsx', 'ui/panels/editor/script-session.ts', 'ui/share/share-panel.tsx', 'ui/share/export-items.tsx'];
    expect(later.filter((m) => p.modules.has(m))).toEqual([]);
  });
});
