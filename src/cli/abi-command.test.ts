/**
 * `abi` subcommand: the JSON is byte-for-byte `abiDump(arch)`, the table shows
 * every field of every struct with the padding spec §1.3 lists, and every bad
 * argument is exit code 2 with one stderr line naming the word and the choices.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abiDump } from '../abi/abi-dump.ts';
import { ARCHES } from '../abi/ctypes.ts';
import { abiCommand, parseAbiArgs } from './abi-command.ts';

describe('abi --json', () => {
  it('defaults to i386 and prints exactly JSON.stringify(abiDump("i386"))', () => {
    const r = abiCommand(['--json']);
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(abiDump('i386'), null, 2)}\n`, stderr: '' });
  });

  it.each(ARCHES)('--arch %s, in either flag order and spelling, parses back to abiDump', (arch) => {
    for (const args of [['--arch', arch, '--json'], ['--json', '--arch', arch], [`--arch=${arch}`, '--json']]) {
      const r = abiCommand(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual(abiDump(arch));
    }
  });

  it('has the documented shape: lguest_dma fields with offset/size/type (spec §1.3)', () => {
    const i386 = JSON.parse(abiCommand(['--json']).stdout) as unknown;
    expect(i386).toMatchObject({
      arch: 'i386',
      structs: {
        lguest_dma: {
          size: 100,
          align: 4,
          fields: { used_len: { offset: 0, size: 4, type: '__u32' }, len: { offset: 4, size: 32, type: '__u16' }, addr: { offset: 36, size: 64, type: 'unsigned long' } },
        },
        lguest_device_desc: { size: 12, fields: { pfn: { offset: 8, size: 4, type: '__u32' } } },
        lguest_block_page: { size: 20 },
        lguest_net: { size: 6, align: 1 },
      },
      constants: { LGUEST_MAX_DMA: 32, LGUEST_MAX_DMA_SECTIONS: 16, LHREQ_GETDMA: 1, LHCALL_SEND_DMA: 13 },
    });
    const x64 = JSON.parse(abiCommand(['--arch', 'x86_64', '--json']).stdout) as unknown;
    expect(x64).toMatchObject({ arch: 'x86_64', structs: { lguest_dma: { size: 168, align: 8, fields: { addr: { offset: 40, size: 128 } } } } });
  });
});

describe('abi (table)', () => {
  const rowsOf = (stdout: string): string[][] => stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));

  it.each(ARCHES)('%s: one row per field with offset, size and C type, matching abiDump', (arch) => {
    const r = abiCommand(['--arch', arch]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = rowsOf(r.stdout);
    expect(rows).toContainEqual(['struct', 'field', 'offset', 'size', 'C type']);
    for (const [sname, st] of Object.entries(abiDump(arch).structs)) {
      for (const [fname, fl] of Object.entries(st.fields)) {
        const label = fl.count === undefined ? fname : `${fname}[${fl.count}]`;
        expect(rows).toContainEqual([sname, label, String(fl.offset), String(fl.size), fl.type]);
      }
      expect(rows).toContainEqual([sname, '(sizeof)', '0', String(st.size), `align ${st.align}`]);
    }
  });

  it('shows the 4 bytes x86_64 pads before lguest_dma.addr, and none on i386 (spec §1.3)', () => {
    const pad = ['lguest_dma', '(padding)', '36', '4', '-'];
    expect(rowsOf(abiCommand(['--arch', 'x86_64']).stdout)).toContainEqual(pad);
    expect(abiCommand([]).stdout).not.toContain('(padding)');
  });

  it('lists every constant with its value in decimal and hex', () => {
    const rows = rowsOf(abiCommand([]).stdout);
    for (const [name, v] of Object.entries(abiDump('i386').constants)) expect(rows).toContainEqual([name, String(v), `0x${v.toString(16)}`]);
    expect(rows).toContainEqual(['LGUEST_NET_F_NOCSUM', '16384', '0x4000']);
  });

  it('defaults to i386', () => {
    expect(abiCommand([]).stdout).toBe(abiCommand(['--arch', 'i386']).stdout);
    expect(abiCommand([]).stdout.split('\n')[0]).toContain('i386');
  });
});

describe('abi usage errors: code 2, one stderr line naming the problem and the valid values', () => {
  const expectUsageError = (args: string[], ...mentions: string[]): void => {
    const r = abiCommand(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    for (const m of mentions) expect(r.stderr).toContain(m);
  };

  it('bad arch', () => {
    expectUsageError(['--arch', 'arm'], '"arm"', 'i386', 'x86_64');
    expectUsageError(['--arch=ppc', '--json'], '"ppc"', 'i386', 'x86_64');
    expect(parseAbiArgs(['--arch', 'x86-64'])).toMatchObject({ ok: false, error: { code: 'bad-arch' } });
  });

  it('missing arch value', () => {
    expectUsageError(['--arch'], '--arch needs a value', 'i386', 'x86_64');
    expectUsageError(['--arch', '--json'], '--arch needs a value');
    expectUsageError(['--arch='], '--arch needs a value');
    expect(parseAbiArgs(['--arch'])).toMatchObject({ ok: false, error: { code: 'missing-value' } });
  });

  it('unknown flag', () => {
    expectUsageError(['--frob'], '"--frob"', '--arch i386|x86_64', '--json');
    expectUsageError(['--json=yes'], '"--json=yes"');
    expect(parseAbiArgs(['-x'])).toMatchObject({ ok: false, error: { code: 'unknown-flag' } });
  });

  it('stray positional argument', () => {
    expectUsageError(['i386'], '"i386"', '--arch i386|x86_64');
    expect(parseAbiArgs(['dump'])).toMatchObject({ ok: false, error: { code: 'unexpected-argument' } });
  });

  it('any argument list either succeeds (code 0, empty stderr) or is a one-line usage error', () => {
    const word = fc.oneof(fc.constantFrom('--arch', '--json', '--help', '-h', 'i386', 'x86_64', '--arch=i386', '--arch=', '-'), fc.string());
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), (args) => {
        const r = abiCommand(args);
        if (r.code === 0) expect(r.stderr).toBe('');
        else {
          expect(r.code).toBe(2);
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(/^abi: [^\n]+\n$/);
        }
      }),
    );
  });
});

describe('abi --help', () => {
  it('prints usage on stdout with code 0', () => {
    for (const h of ['--help', '-h']) {
      const r = abiCommand([h]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('usage: lguest-lab abi [--arch i386|x86_64] [--json]');
    }
  });
});
