/**
 * Proves the declarative ABI table (structs.ts + layout.ts) against a real C
 * compiler, for both ABIs of spec §1.3: gcc -m32 (i386, lguest's only real
 * target) and gcc -m64 (x86_64, the "what a C compiler would produce" column).
 *
 * 1. Generate one C file from ALL_STRUCTS: each struct declared exactly as the
 *    table spells it, `_Static_assert`s of every offset/size/alignment the
 *    table computes (so a mismatch already fails compilation), and a main()
 *    that prints what gcc actually laid out.
 * 2. Compile and run it per ABI, and compare the printed numbers with
 *    `layoutOf(decl, arch)` field by field.
 * 3. Independently of both, compare with the numbers written in spec §1.3.
 *
 * gcc and gcc-multilib are hard requirements (CI installs them in .ci/run):
 * when either is missing the tests FAIL with a message saying what to install,
 * they never skip, so a green run always means gcc agreed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Arch, ARCHES, type CType, scalarInfo } from './ctypes.ts';
import { layoutOf } from './layout.ts';
import { ALL_STRUCTS, isStructType, type StructDecl } from './structs.ts';

// ---------------------------------------------------------------------------
// Toolchain probing

/** Overridable (not via $CC, which may name clang or carry flags) so the failure paths can be exercised by hand. */
const GCC = process.env.LGUEST_ABI_GCC ?? 'gcc';
const MFLAG: Record<Arch, string> = { i386: '-m32', x86_64: '-m64' };
/** The preprocessor symbol gcc defines for each ABI, used to pick the right _Static_asserts. */
const ARCH_MACRO: Record<Arch, string> = { i386: '__i386__', x86_64: '__x86_64__' };

const workDir = mkdtempSync(join(tmpdir(), 'lguest-abi-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface RunError {
  stderr?: Buffer | string | null;
  message: string;
}
const errText = (e: unknown): string => {
  const r = e as RunError;
  // stderr is null when the program never started (ENOENT); message says why then.
  const stderr = r.stderr === undefined || r.stderr === null ? '' : String(r.stderr).trim();
  return stderr === '' ? r.message : stderr;
};

function gcc(args: readonly string[], input?: string): string {
  return execFileSync(GCC, [...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Throws a message naming what to install when gcc or its -m32/-m64 multilib support is missing. */
function requireToolchain(arch: Arch): void {
  try {
    gcc(['--version']);
  } catch (e) {
    throw new Error(`gcc cross-check: cannot run "${GCC}" (${errText(e)}); install gcc and gcc-multilib (apt-get install gcc gcc-multilib, as .ci/run does)`);
  }
  const exe = join(workDir, `probe-${arch}`);
  try {
    // Link a program, not just compile: -m32 without multilib fails only at crt/libc.
    gcc([MFLAG[arch], '-x', 'c', '-o', exe, '-'], '#include <stdio.h>\nint main(void) { return fflush(stdout); }\n');
    execFileSync(exe);
  } catch (e) {
    throw new Error(`gcc cross-check: "${GCC} ${MFLAG[arch]}" cannot build and run a program (${errText(e)}); install gcc-multilib (apt-get install gcc-multilib, as .ci/run does)`);
  }
}

/**
 * Whether <linux/types.h> (what the seed header includes, spec §0.1) compiles
 * for this ABI. On Debian it does for -m32 only through gcc-multilib's
 * /usr/include/asm link; without it we fall back to our own typedefs, which
 * have the same sizes on both ABIs (__u32 is `unsigned int` in asm-generic/int-ll64.h).
 */
function hasLinuxTypes(arch: Arch): boolean {
  try {
    gcc([MFLAG[arch], '-fsyntax-only', '-x', 'c', '-'], '#include <linux/types.h>\n__u32 x;\n');
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// C generation (from the table only: nothing here knows a single offset)

/** The C spelling of a field's element type: a scalar, or `struct NAME` for a nested struct of the table. */
const cType = (t: CType | StructDecl): string => (isStructType(t) ? `struct ${t.name}` : t);

function cDecl(decl: StructDecl): string {
  const lines = decl.fields.map((fd) => `\t${cType(fd.ctype)} ${fd.name}${fd.count === undefined ? '' : `[${fd.count}]`};`);
  return `/* ${decl.header} */\nstruct ${decl.name} {\n${lines.join('\n')}\n};\n`;
}

/** The table's numbers for one ABI, as compile-time assertions. */
function cStaticAsserts(decl: StructDecl, arch: Arch): string {
  const l = layoutOf(decl, arch);
  const s = `struct ${decl.name}`;
  const out = [
    `_Static_assert(sizeof(${s}) == ${l.size}, "${arch} sizeof(${s}) != table ${l.size}");`,
    `_Static_assert(_Alignof(${s}) == ${l.align}, "${arch} _Alignof(${s}) != table ${l.align}");`,
  ];
  for (const fl of l.order) {
    out.push(`_Static_assert(offsetof(${s}, ${fl.name}) == ${fl.offset}, "${arch} offsetof(${s}, ${fl.name}) != table ${fl.offset}");`);
    out.push(`_Static_assert(sizeof(((${s} *)0)->${fl.name}) == ${fl.size}, "${arch} sizeof(${s}.${fl.name}) != table ${fl.size}");`);
  }
  return out.join('\n');
}

/** One line per struct and per field; parsed by parseReport. `signed` is tested on a cast of -1 to the element type. */
function cPrinters(decl: StructDecl): string {
  const s = `struct ${decl.name}`;
  const out = [`\tprintf("struct %s %zu %zu\\n", "${decl.name}", sizeof(${s}), _Alignof(${s}));`];
  for (const fd of decl.fields) {
    const m = `((${s} *)0)->${fd.name}`;
    const elem = fd.count === undefined ? m : `${m}[0]`;
    // A struct has no sign: its probe prints 0 (the table says signed: false for it).
    const signed = isStructType(fd.ctype) ? '0' : `(__typeof__(${elem}))-1 < 0`;
    out.push(
      `\tprintf("field %s %s %zu %zu %zu %zu %d\\n", "${decl.name}", "${fd.name}", offsetof(${s}, ${fd.name}), sizeof(${m}), sizeof(${elem}), _Alignof(__typeof__(${elem})), ${signed});`,
    );
  }
  return out.join('\n');
}

function generateC(useLinuxTypes: boolean): string {
  const parts: string[] = [
    '/* Generated by src/abi/gcc-crosscheck.test.ts from src/abi/structs.ts. Do not edit. */',
    '#include <stddef.h>',
    '#include <stdio.h>',
  ];
  if (useLinuxTypes) parts.push('#include <linux/types.h>');
  else parts.push('/* <linux/types.h> unusable for this ABI: same widths as asm-generic/int-ll64.h */', 'typedef unsigned char __u8;', 'typedef unsigned short __u16;', 'typedef unsigned int __u32;', 'typedef unsigned short __be16;', 'typedef unsigned int __be32;');
  parts.push('');
  for (const decl of ALL_STRUCTS) parts.push(cDecl(decl));

  for (const [i, arch] of ARCHES.entries()) {
    parts.push(`#${i === 0 ? 'if' : 'elif'} defined(${ARCH_MACRO[arch]})`, cStaticAssertsFor(arch));
  }
  parts.push('#else', '#error "gcc cross-check knows only i386 and x86_64"', '#endif', '');
  parts.push('int main(void)', '{', ...ALL_STRUCTS.map(cPrinters), '\treturn 0;', '}', '');
  return parts.join('\n');
}

function cStaticAssertsFor(arch: Arch): string {
  return ALL_STRUCTS.map((d) => cStaticAsserts(d, arch)).join('\n');
}

// ---------------------------------------------------------------------------
// Compile, run, parse

interface GccField {
  offset: number;
  size: number;
  elemSize: number;
  elemAlign: number;
  signed: boolean;
}
interface GccStruct {
  size: number;
  align: number;
  fields: Map<string, GccField>;
  /** Field names in the order main() printed them (declaration order). */
  order: string[];
}
interface GccReport {
  structs: Map<string, GccStruct>;
}

function parseReport(text: string): GccReport {
  const structs = new Map<string, GccStruct>();
  for (const line of text.split('\n').filter((x) => x !== '')) {
    const [kind, sname, ...rest] = line.split(' ');
    if (kind === 'struct') {
      const [size, align] = rest.map(Number);
      structs.set(sname, { size, align, fields: new Map(), order: [] });
    } else if (kind === 'field') {
      const [fname, ...nums] = rest;
      const [offset, size, elemSize, elemAlign, signed] = nums.map(Number);
      const st = structs.get(sname);
      if (!st) throw new Error(`gcc report: field line before its struct line: ${line}`);
      st.fields.set(fname, { offset, size, elemSize, elemAlign, signed: signed === 1 });
      st.order.push(fname);
    } else throw new Error(`gcc report: unexpected line: ${line}`);
  }
  return { structs };
}

const reports = new Map<Arch, GccReport>();
/** Build and run the generated program once per ABI (memoized across tests). */
function gccReport(arch: Arch): GccReport {
  const cached = reports.get(arch);
  if (cached) return cached;
  requireToolchain(arch);
  const usedLinuxTypes = hasLinuxTypes(arch);
  if (!usedLinuxTypes) console.warn(`gcc cross-check: <linux/types.h> unusable with ${MFLAG[arch]}; using own __u8/__u16/__u32 typedefs`);
  const src = join(workDir, `abi-${arch}.c`);
  const exe = join(workDir, `abi-${arch}`);
  writeFileSync(src, generateC(usedLinuxTypes));
  try {
    // -Wno-type-limits: the signedness probe `(T)-1 < 0` is constant by design.
    gcc([MFLAG[arch], '-std=c11', '-Wall', '-Wextra', '-Werror', '-Wno-type-limits', '-o', exe, src]);
  } catch (e) {
    // A failed _Static_assert lands here: gcc's message names the struct and field.
    throw new Error(`gcc ${MFLAG[arch]} rejected the generated ABI check (${src}):\n${errText(e)}`);
  }
  const report = parseReport(execFileSync(exe, { encoding: 'utf8' }));
  reports.set(arch, report);
  return report;
}

// ---------------------------------------------------------------------------
// Tests

/** Alignment of one element, by the table's own rules (a nested struct: its layout's alignment). */
const elemAlignOf = (ctype: CType | StructDecl, arch: Arch): number => (isStructType(ctype) ? layoutOf(ctype, arch).align : scalarInfo(ctype, arch).align);

describe.each(ARCHES)('gcc %s agrees with the ABI table', (arch) => {
  it('compiles the generated declarations (with their _Static_asserts) and runs them', () => {
    const report = gccReport(arch);
    expect([...report.structs.keys()]).toEqual(ALL_STRUCTS.map((d) => d.name));
  });

  describe.each(ALL_STRUCTS.map((d) => [d.name, d] as const))('struct %s', (_name, decl) => {
    it('sizeof, _Alignof and every field match layoutOf', () => {
      const got = gccReport(arch).structs.get(decl.name);
      expect(got, `gcc printed nothing for struct ${decl.name}`).toBeDefined();
      if (!got) return;
      const l = layoutOf(decl, arch);
      expect({ size: got.size, align: got.align }).toEqual({ size: l.size, align: l.align });
      expect(got.order).toEqual(l.order.map((fl) => fl.name));
      for (const fl of l.order) {
        expect(got.fields.get(fl.name), `${arch} ${decl.name}.${fl.name}`).toEqual({
          offset: fl.offset,
          size: fl.size,
          elemSize: fl.elemSize,
          elemAlign: elemAlignOf(fl.ctype, arch),
          signed: fl.signed,
        });
      }
    });
  });
});

/**
 * Spec §1.3, typed in by hand from the spec's tables: a check of both the
 * table and gcc that shares no code with either.
 */
interface Expected {
  size: number;
  align?: number;
  offsets: Record<string, number>;
}
const SPEC_1_3: Record<Arch, Record<string, Expected>> = {
  i386: {
    lguest_dma: { size: 100, align: 4, offsets: { used_len: 0, len: 4, addr: 36 } },
    lguest_block_page: { size: 20, align: 4, offsets: { type: 0, sector: 4, bytes: 8, result: 12, num_sectors: 16 } },
    lguest_net: { size: 6, align: 1, offsets: { mac: 0 } },
    lguest_device_desc: { size: 12, align: 4, offsets: { type: 0, features: 2, status: 4, num_pages: 6, pfn: 8 } },
    hcall_ring: { size: 16, offsets: { eax: 0, edx: 4, ebx: 8, ecx: 12 } },
    lguest_data: {
      size: 1120,
      offsets: { irq_enabled: 0, blocked_interrupts: 4, cr2: 8, hcall_status: 12, hcalls: 76, reserve_mem: 1100, guestid: 1104, tsc_khz: 1108, noirq_start: 1112, noirq_end: 1116 },
    },
  },
  x86_64: {
    lguest_dma: { size: 168, align: 8, offsets: { used_len: 0, len: 4, addr: 40 } },
    lguest_block_page: { size: 20, align: 4, offsets: { type: 0, sector: 4, bytes: 8, result: 12, num_sectors: 16 } },
    lguest_net: { size: 6, align: 1, offsets: { mac: 0 } },
    lguest_device_desc: { size: 12, align: 4, offsets: { type: 0, features: 2, status: 4, num_pages: 6, pfn: 8 } },
    hcall_ring: { size: 16, offsets: { eax: 0, edx: 4, ebx: 8, ecx: 12 } },
    lguest_data: {
      size: 1144,
      offsets: { irq_enabled: 0, blocked_interrupts: 8, cr2: 16, hcall_status: 24, hcalls: 88, reserve_mem: 1112, guestid: 1120, tsc_khz: 1124, noirq_start: 1128, noirq_end: 1136 },
    },
  },
};

describe.each(ARCHES)('spec §1.3 known values, %s', (arch) => {
  const decls = new Map(ALL_STRUCTS.map((d) => [d.name, d]));
  describe.each(Object.entries(SPEC_1_3[arch]))('struct %s', (name, want) => {
    const pick = (size: number, align: number, offsets: Record<string, number>): Expected => (want.align === undefined ? { size, offsets } : { size, align, offsets });

    it('the table matches the spec', () => {
      const decl = decls.get(name);
      expect(decl, `struct ${name} missing from ALL_STRUCTS`).toBeDefined();
      if (!decl) return;
      const l = layoutOf(decl, arch);
      expect(pick(l.size, l.align, Object.fromEntries(l.order.map((fl) => [fl.name, fl.offset])))).toEqual(want);
    });

    it('gcc matches the spec', () => {
      const got = gccReport(arch).structs.get(name);
      expect(got, `gcc printed nothing for struct ${name}`).toBeDefined();
      if (!got) return;
      expect(pick(got.size, got.align, Object.fromEntries([...got.fields].map(([f, g]) => [f, g.offset])))).toEqual(want);
    });
  });
});
