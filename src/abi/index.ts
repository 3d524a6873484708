/**
 * src/abi: the leaf every other folder imports. Constants, the declarative
 * struct table, layouts computed from it per ABI, and DataView accessors.
 */
export * from './constants.ts';
export * from './ctypes.ts';
export * from './structs.ts';
export * from './layout.ts';
export * from './access.ts';
export * from './bits.ts';
export * from './abi-dump.ts';
export * from './errno.ts';
export * from './dma.ts';
