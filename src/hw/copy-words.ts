/** The word copy of GuestMemory's small aligned pieces (src/hw/memory.ts copyInPage, copyPieceSlow). */

/** Move `n` words from fw[s..] to tw[d..] (two different buffers), four a step: measured faster than one (11 against 14 ns for 64 bytes). */
export function copyWords(fw: Uint32Array, s: number, tw: Uint32Array, d: number, n: number): void {
  const end = s + n;
  for (; s + 4 <= end; s += 4, d += 4) {
    tw[d] = fw[s];
    tw[d + 1] = fw[s + 1];
    tw[d + 2] = fw[s + 2];
    tw[d + 3] = fw[s + 3];
  }
  for (; s < end; s++, d++) tw[d] = fw[s];
}
