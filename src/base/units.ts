/**
 * Branded numbers for the three units that are easy to mix up (STYLE.md):
 * a guest-physical address, a page frame number and a tick of the virtual
 * clock. At run time each is a plain number; the brand only stops a pfn from
 * being passed where a gpa is expected (the bug lguest's own
 * `pfn << PAGE_SHIFT` casts invite).
 */
import { PAGE_SHIFT } from '../abi/constants.ts';

declare const unit: unique symbol;
/** Guest-physical address: a byte address in one guest's memory (spec §1.4). */
export type Gpa = number & { readonly [unit]: 'Gpa' };
/** Page frame number: gpa >> PAGE_SHIFT. */
export type Pfn = number & { readonly [unit]: 'Pfn' };
/** One tick of the virtual clock (moves only with work, spec §6). */
export type Tick = number & { readonly [unit]: 'Tick' };

/** A number the caller knows is a guest-physical address (a register, a struct field, a checked write() result). */
export const asGpa = (n: number): Gpa => n as Gpa;
export const asPfn = (n: number): Pfn => n as Pfn;
export const asTick = (n: number): Tick => n as Tick;

/** The page a gpa lies in. */
export const pfnOf = (gpa: Gpa): Pfn => (gpa >>> PAGE_SHIFT) as Pfn;
/** The first byte of a page. */
export const gpaOf = (pfn: Pfn): Gpa => (pfn * 2 ** PAGE_SHIFT) as Gpa;
