/**
 * Layering as data, checked (STYLE.md, after Perfetto's check_imports.py;
 * ../shared/DESIGN.md "Layers"): the folders of src/ in one order, lowest
 * first. A non-test module may import only its own folder and folders before
 * it; type-only imports count (a type is a dependency on where it is
 * declared). `testing/` (rigs for tests) may import anything and no shipped
 * module imports it. Inside a folder, its sub-folders (ui/app, ui/client, …)
 * import each other without cycles, so each one can be read after the ones it
 * uses.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const SRC = dirname(new URL(import.meta.url).pathname);

/** Lowest first: each folder imports only folders before it. */
export const ORDER = [
  'abi', // the ABI table: struct layouts, constants, errno, accessors
  'base', // pure helpers: printf, hash
  'hw', // guest memory and shared objects, the event log
  // Before machine/ (not after it, as DESIGN.md drew it): the summary in machine/ decodes with them too.
  'views', // DataView decoders of shared memory, for the CLI summary and the page
  'host', // lguest's kernel module: hypercalls, DMA engine, keys, interrupts, /dev/lguest
  'launcher', // the userspace Launcher: memory plan, devices, tty queue
  'guest', // the built-in guest kernel and the scripted guest
  'scenario', // schema, limits, presets, disk images
  'machine', // a Machine built from a scenario; checkpoints; the summary
  'trace', // recordings, share links, replay, exports
  'lesson', // lessons and exercises
  'quiz', // generated questions
  'cli', // the headless commands
  'worker', // the comlink API and the session behind it
  'ui', // the page
  'testing', // test rigs: imports anything, imported by tests only
] as const;

const isTest = (name: string): boolean => /\.test\.tsx?$/.test(name);

function* modules(dir: string): Iterable<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* modules(p);
    else if (/\.(ts|tsx)$/.test(name) && !isTest(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** Every relative module a file imports: static, type-only, re-exports, side-effect and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'";]*?(?:from\s*)?['"](\.[^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out.map((s) => relative(SRC, resolve(dirname(file), s)));
}

/** [from, to] for every import of a shipped module into another src/ module. */
function edges(): [string, string][] {
  const all: [string, string][] = [];
  for (const file of modules(SRC)) for (const to of importsOf(file)) if (!to.startsWith('..')) all.push([relative(SRC, file), to]);
  return all;
}
const top = (p: string): string => p.split('/')[0];
/** The folder a module lives in (`ui/panels/keys`, `launcher` for launcher's own files). */
const sub = (p: string): string => dirname(p);

/** Cycles between the nodes of `graph`, each as "a ⇄ b" for two nodes that reach each other. */
function mutualReach(graph: Map<string, Set<string>>): string[] {
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length) for (const n of graph.get(todo.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), todo.push(n));
    return seen;
  };
  const nodes = [...graph.keys()].sort();
  const out: string[] = [];
  for (const a of nodes) for (const b of reach(a)) if (a < b && reach(b).has(a)) out.push(`${a} ⇄ ${b}`);
  return out;
}

describe('layering', () => {
  const E = edges();

  it('every folder under src/ has its place in the order, and src/ itself holds no modules', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(ORDER as readonly string[]).includes(f))).toEqual([]);
    const loose = readdirSync(SRC).filter((n) => /\.tsx?$/.test(n) && !isTest(n));
    expect(loose).toEqual([]);
  });

  it('no module imports a folder later in the order (type-only imports included)', () => {
    const rank = (f: string): number => (ORDER as readonly string[]).indexOf(f);
    const bad = E.filter(([a, b]) => top(a) !== 'testing' && rank(top(b)) > rank(top(a))).map(([a, b]) => `${a} → ${b}`);
    expect(bad).toEqual([]);
  });

  it('no folder reaches itself through others (the folder graph has no cycle)', () => {
    const g = new Map<string, Set<string>>();
    for (const [a, b] of E) if (top(a) !== top(b)) g.set(top(a), (g.get(top(a)) ?? new Set()).add(top(b)));
    expect(mutualReach(g)).toEqual([]);
  });

  it('nothing shipped imports testing/', () => {
    expect(E.filter(([a, b]) => top(b) === 'testing' && top(a) !== 'testing').map(([a, b]) => `${a} → ${b}`)).toEqual([]);
  });

  it('sub-folders of a folder import each other without cycles', () => {
    const g = new Map<string, Set<string>>();
    for (const [a, b] of E) if (top(a) === top(b) && sub(a) !== sub(b)) g.set(sub(a), (g.get(sub(a)) ?? new Set()).add(sub(b)));
    expect(mutualReach(g)).toEqual([]);
  });

  it('the checker sees imports: a known upward import is found', () => {
    // host/dma-engine.ts imports hw/events.ts: the edge must be there, so an empty "bad" list means something.
    expect(E).toContainEqual(['host/dma-engine.ts', 'hw/events.ts']);
    expect(E.some(([a, b]) => a === 'launcher/launcher.ts' && b === 'host/lguest-user.ts')).toBe(true);
  });
});
