/**
 * C scalar types as the two ABIs lguest-lab models lay them out.
 *
 * i386 is lguest's only real target (spec §1.3: Kconfig requires X86_32);
 * x86_64 is what a C compiler gives for the same declarations, kept so the
 * gcc cross-check can prove the table against both (`sizeof(unsigned long)`
 * is the only type whose size differs, and it drags alignment with it).
 */
export type Arch = 'i386' | 'x86_64';
export const ARCHES: readonly Arch[] = ['i386', 'x86_64'];

/**
 * The C spellings used by lguest_launcher.h (userspace-friendly __uN types)
 * and lguest.h, plus <linux/types.h>'s __be16/__be32 for network-order fields
 * (the packet header the built-in kernel puts on the wire).
 */
export type CType = '__u8' | '__u16' | '__u32' | '__be16' | '__be32' | 'int' | 'unsigned char' | 'unsigned int' | 'unsigned long';

export interface ScalarInfo {
  readonly size: number;
  readonly align: number;
  readonly signed: boolean;
  /** Stored most significant byte first (__be16, __be32); every other type is x86 little-endian. */
  readonly bigEndian: boolean;
}

export function scalarInfo(ctype: CType, arch: Arch): ScalarInfo {
  switch (ctype) {
    case '__u8':
    case 'unsigned char':
      return { size: 1, align: 1, signed: false, bigEndian: false };
    case '__u16':
      return { size: 2, align: 2, signed: false, bigEndian: false };
    case '__be16':
      return { size: 2, align: 2, signed: false, bigEndian: true };
    case '__u32':
    case 'unsigned int':
      return { size: 4, align: 4, signed: false, bigEndian: false };
    case '__be32':
      return { size: 4, align: 4, signed: false, bigEndian: true };
    case 'int':
      return { size: 4, align: 4, signed: true, bigEndian: false };
    case 'unsigned long':
      // LP64 on x86_64, ILP32 on i386.
      return arch === 'x86_64' ? { size: 8, align: 8, signed: false, bigEndian: false } : { size: 4, align: 4, signed: false, bigEndian: false };
  }
}
