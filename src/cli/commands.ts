/** Further CLI commands, registered by name (link, replay, ...). */
import type { CliIo } from './cli-io.ts';

export const commandTable: Record<string, (args: readonly string[], io: CliIo) => number> = {};
