/**
 * The errno values /dev/lguest returns (asm-generic/errno-base.h; spec §3.1,
 * §3.2, checklist §7.22-28): results are a non-negative number or -errno.
 */
export const EPERM = 1;
export const ENOENT = 2;
export const EAGAIN = 11;
export const EBUSY = 16;
export const EINVAL = 22;
export const ENOSPC = 28;
