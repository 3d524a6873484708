/**
 * Layering as data, checked (STYLE.md, after Perfetto's check_imports.py):
 * which top-level folders each folder's non-test modules may import. `abi`
 * imports nothing of ours; the DOM-free simulation folders never import the
 * worker or the UI; the UI reaches the simulation only through the worker API
 * and the shared-memory decoders (abi, core's decoders), never host, launcher
 * or guest internals.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const SRC = dirname(new URL(import.meta.url).pathname);

const ALLOW: Readonly<Record<string, readonly string[]>> = {
  abi: [],
  host: ['abi', 'core'],
  launcher: ['abi', 'core', 'host'],
  guest: ['abi', 'core'],
  // The Machine wires Host, Launchers and guest programs together; the scenario schema compiles the line syntax.
  core: ['abi', 'host', 'launcher', 'guest', 'scenario'],
  // The script line syntax (DESIGN.md: scenario/ sits above guest/, below machine/).
  scenario: ['abi', 'guest'],
  trace: ['abi', 'core'],
  worker: ['abi', 'core', 'guest', 'launcher', 'trace'],
  ui: ['abi', 'core', 'scenario', 'worker', 'trace'],
  cli: ['abi', 'core', 'trace'],
};

function* modules(dir: string): Iterable<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* modules(p);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

describe('layering', () => {
  for (const [folder, allowed] of Object.entries(ALLOW)) {
    it(`src/${folder} imports only ${allowed.length ? allowed.join(', ') : 'itself'}`, () => {
      const bad: string[] = [];
      for (const file of modules(join(SRC, folder))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
          const path = relative(SRC, resolve(dirname(file), m[1]));
          // Outside src/ only data may be imported: the examples' JSON (scenario/example-presets.ts).
          if (path.startsWith('../')) {
            if (!/^\.\.\/examples\/[\w.-]+\.json$/.test(path)) bad.push(`${relative(SRC, file)} → ${m[1]}`);
            continue;
          }
          const target = path.split('/')[0];
          if (target !== folder && !allowed.includes(target)) bad.push(`${relative(SRC, file)} → ${m[1]}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('every folder under src/ has a rule', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(f in ALLOW))).toEqual([]);
  });
});
