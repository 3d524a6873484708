/** Names of the bits set in a flag word, from a (bit, name) table such as DEVICE_STATUS_BITS. */
export const bitNames = (v: number, table: readonly (readonly [number, string])[]): string[] => table.filter(([b]) => (v & b) !== 0).map(([, n]) => n);
