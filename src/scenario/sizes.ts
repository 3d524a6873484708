/**
 * The sizes a scenario may ask for, in a module of their own (issue #15):
 * the Machine, the page's file checks and the schema (scenario.ts) read them
 * here, so none of them brings zod along for a number.
 */

/** Largest guest RAM a scenario may ask for (the page holds every guest in one tab). */
export const MAX_GUEST_MEMORY = 256 * 1024 * 1024;
/** Smallest: the built-in kernel keeps its data below 0x80000. */
export const MIN_GUEST_MEMORY = 64 * 1024;
export const DEFAULT_GUEST_MEMORY = 16 * 1024 * 1024;
/** Largest disk image (bytes). Larger ones are refused with this number in the message. */
export const MAX_DISK_BYTES = 64 * 1024 * 1024;
export const DEFAULT_DISK_BYTES = 1024 * 1024;
/** Largest scenario file (a whole disk image in base64 fits with room to spare). */
export const MAX_SCENARIO_CHARS = 100 * 1024 * 1024;
