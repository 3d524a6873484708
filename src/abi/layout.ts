/**
 * C layout rules applied to the declarative table (structs.ts): each field is
 * placed at the next multiple of its alignment, the struct's alignment is its
 * largest member's, and its size is rounded up to that alignment. This is the
 * System V rule set gcc uses for both -m32 and -m64 on these plain structs;
 * the gcc cross-check test proves it.
 */
import { type Arch, type CType, scalarInfo } from './ctypes.ts';
import { isStructType, type StructDecl } from './structs.ts';

export interface FieldLayout {
  readonly name: string;
  readonly ctype: CType | StructDecl;
  /** The C spelling of one element's type: `__u16`, `struct hcall_ring`. */
  readonly type: string;
  readonly offset: number;
  /** Bytes of the whole field (all elements). */
  readonly size: number;
  /** Bytes of one element. */
  readonly elemSize: number;
  /** Alignment of one element. */
  readonly elemAlign: number;
  /** Elements; 1 for a scalar. */
  readonly count: number;
  readonly isArray: boolean;
  readonly signed: boolean;
  /** Network byte order (__be16, __be32). */
  readonly bigEndian: boolean;
  /** The element's own layout when the field is a nested struct, else null. */
  readonly struct: StructLayout | null;
}

export interface StructLayout {
  readonly name: string;
  readonly arch: Arch;
  readonly size: number;
  readonly align: number;
  readonly fields: Readonly<Record<string, FieldLayout>>;
  /** Fields in declaration order. */
  readonly order: readonly FieldLayout[];
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function computeLayout(decl: StructDecl, arch: Arch): StructLayout {
  let offset = 0;
  let align = 1;
  const order: FieldLayout[] = [];
  for (const fd of decl.fields) {
    // A nested struct places like a scalar of its own size and alignment (C11 6.7.2.1).
    const inner = isStructType(fd.ctype) ? layoutOf(fd.ctype, arch) : null;
    const s = inner ? { size: inner.size, align: inner.align, signed: false, bigEndian: false } : scalarInfo(fd.ctype as CType, arch);
    offset = alignUp(offset, s.align);
    const count = fd.count ?? 1;
    const type = inner ? `struct ${inner.name}` : (fd.ctype as CType);
    order.push({
      name: fd.name,
      ctype: fd.ctype,
      type,
      offset,
      size: s.size * count,
      elemSize: s.size,
      elemAlign: s.align,
      count,
      isArray: fd.count !== undefined,
      signed: s.signed,
      bigEndian: s.bigEndian,
      struct: inner,
    });
    offset += s.size * count;
    align = Math.max(align, s.align);
  }
  const fields: Record<string, FieldLayout> = {};
  for (const fl of order) fields[fl.name] = fl;
  return { name: decl.name, arch, size: alignUp(offset, align), align, fields, order };
}

const cache = new WeakMap<StructDecl, Map<Arch, StructLayout>>();
/** Memoized layout of one struct declaration for one ABI (keyed by the declaration itself). */
export function layoutOf(decl: StructDecl, arch: Arch): StructLayout {
  let byArch = cache.get(decl);
  if (!byArch) cache.set(decl, (byArch = new Map()));
  let l = byArch.get(arch);
  if (!l) {
    l = computeLayout(decl, arch);
    byArch.set(arch, l);
  }
  return l;
}

/** A field's layout, throwing if the table has no such field (a programming error, not input). */
export function field(l: StructLayout, name: string): FieldLayout {
  const fl = l.fields[name];
  if (!fl) throw new Error(`struct ${l.name} has no field ${name}`);
  return fl;
}
