/**
 * Hashes recorded before the folder restructure (issue #12: "every preset,
 * example and the benchmark links give the same hash as before the move").
 * hashes.fixture.json was written once, by running the CLI (`run --json`,
 * `replay FRAGMENT --json`) on the tree before any file moved; this test runs
 * the same commands now. A change here means behaviour changed: the memory a
 * scenario leaves behind is no longer bit-identical (ground rule 3).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../cli/run-command.ts';
import { replayCommand } from '../cli/link-command.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { PRESET_NAMES } from '../scenario/presets.ts';

interface Fixture {
  presets: Record<string, string>;
  typed: Record<string, { preset: string; type: string[]; hash: string }>;
  examples: Record<string, string>;
  links: Record<string, { link: string; hash: string }>;
}
const FIXTURE = JSON.parse(readFileSync(new URL('./hashes.fixture.json', import.meta.url), 'utf8')) as Fixture;
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** The `hash` of a CLI command's `--json` output. */
function hashOf(command: (args: readonly string[], io: CliIo) => number, args: readonly string[]): string {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => readFileSync(p),
    writeFile: () => {},
  };
  const code = command(args, io);
  expect(err).toBe('');
  expect(code).toBe(0);
  return (JSON.parse(out) as { hash: string }).hash;
}

describe('hashes recorded before the restructure', () => {
  it('covers every preset and every example', () => {
    expect(Object.keys(FIXTURE.presets).sort()).toEqual([...PRESET_NAMES].sort());
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    // Examples added later have no recorded hash; every recorded one must still exist.
    for (const f of Object.keys(FIXTURE.examples)) expect(files).toContain(f);
  });
  for (const [name, hash] of Object.entries(FIXTURE.presets)) {
    it(`run --preset ${name} --json`, () => expect(hashOf(runCommand, ['--preset', name, '--json'])).toBe(hash));
  }
  for (const [name, t] of Object.entries(FIXTURE.typed)) {
    it(`run --preset ${t.preset} --type … (${name})`, () =>
      expect(hashOf(runCommand, ['--preset', t.preset, ...t.type.flatMap((x) => ['--type', x]), '--json'])).toBe(t.hash));
  }
  for (const [file, hash] of Object.entries(FIXTURE.examples)) {
    it(`run --scenario examples/${file} --json`, () => expect(hashOf(runCommand, ['--scenario', EXAMPLES + file, '--json'])).toBe(hash));
  }
  for (const [name, l] of Object.entries(FIXTURE.links)) {
    it(`replay the ${name} link`, () => expect(hashOf(replayCommand, [l.link, '--json'])).toBe(l.hash));
  }
});
