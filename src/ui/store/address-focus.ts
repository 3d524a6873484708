/**
 * The address every panel highlights: what the pointer is over, else what is
 * selected (a section, a struct lguest_dma, a key). One guest's gpa range.
 */
import { useShallow } from 'zustand/react/shallow';
import type { GuestRange } from './selection-slice.ts';
import { useUi } from './store.ts';

export function useAddressFocus(): GuestRange | null {
  const [hover, section, dma, key] = useUi(useShallow((s) => [s.hover, s.selSection, s.selDma, s.selKey] as const));
  if (hover) return hover;
  if (section) return section;
  if (dma) return { guest: dma.guest, gpa: dma.gpa, len: 1 };
  if (key) return { guest: key.guest, gpa: key.key, len: 1 };
  return null;
}

/** Does [gpa, gpa+len) of `guest` overlap the focus? */
export function overlaps(f: GuestRange | null, guest: number, gpa: number, len: number): boolean {
  if (!f || f.guest !== guest || len <= 0) return false;
  return gpa < f.gpa + Math.max(1, f.len) && f.gpa < gpa + len;
}
