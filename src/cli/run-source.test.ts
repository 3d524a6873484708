/** `run --scenario FILE` with a guest's `source` in the script line syntax (issue #14). */
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { runCommand } from './run-command.ts';
import { linkCommand, replayCommand } from './link-command.ts';
import { decodeLink } from '../trace/link.ts';

function cli(files: Record<string, string>, args: readonly string[], command: (a: readonly string[], io: CliIo) => number = runCommand): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => {
      if (!(p in files)) throw new Error(`no file ${p}`);
      return new TextEncoder().encode(files[p]);
    },
    writeFile: () => {
      throw new Error('writes no files');
    },
  };
  return { code: command(args, io), out, err };
}

const scenario = (sources: string[]): string => JSON.stringify({ guests: sources.map((source) => ({ kernel: 'script', memory: '0x20000', source })) });

describe('run --scenario with a source', () => {
  it('exits 2 with the error line, prefixed with the file and the guest place', () => {
    const r = cli({ 'bad.json': scenario(['wait', 'write 0x2000 u32 0\n\n\nread 0x2000 u33 1']) }, ['--scenario', 'bad.json', '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('bad.json: guests[1].source: line 4, col 13: expected u32, u16, u8 or text after the read address, not "u33"\n');
  });

  it('runs a good one: the results of each step in --json', () => {
    const r = cli({ 'ok.json': scenario(['write 0x2000 text "hi"\nread 0x2000 text 8\nhcall BIND_DMA 0x2001 0x3000 0x101']) }, ['--scenario', 'ok.json', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { guests: { killed: string | null; script: Record<string, unknown>[] }[] };
    expect(doc.guests[0].script[1]).toMatchObject({ op: 'read', text: 'hi' });
    expect(doc.guests[0].killed).toBe('bad dma key 0x2001');
  });

  it('a link of a scenario with sources carries them: replay gives the same run and hash', () => {
    const files = { 'src.json': scenario(['dma 0x2000 0x3000:16\nhcall BIND_DMA 0x2000 0x2000 0x101\nread 0x2000 u32 1']) };
    const link = cli(files, ['--scenario', 'src.json'], linkCommand);
    expect(link.code).toBe(0);
    const rec = decodeLink(link.out.trim());
    expect(rec.ok && rec.value.scenario?.guests[0].source).toBe('dma 0x2000 0x3000:16\nhcall BIND_DMA 0x2000 0x2000 0x101\nread 0x2000 u32 1');
    const direct = JSON.parse(cli(files, ['--scenario', 'src.json', '--json']).out) as { hash: string; guests: unknown[] };
    let out = '';
    const code = replayCommand([link.out.trim(), '--json'], { stdout: (t) => void (out += t), stderr: () => undefined, readFile: () => new Uint8Array(), writeFile: () => undefined });
    expect(code).toBe(0);
    const replayed = JSON.parse(out) as { hash: string; guests: unknown[] };
    expect(replayed.hash).toBe(direct.hash);
    expect(replayed.guests).toEqual(direct.guests);
  });
});
