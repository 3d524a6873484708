/** The `machine` block of the bench JSON: what the figures were measured on. */
import { arch, cpus, platform, totalmem } from 'node:os';

export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly cpu: string;
  readonly cores: number;
  readonly platform: string;
  readonly memory_gib: number;
  /** Whether runs were separated by a forced GC (node --expose-gc). */
  readonly gc_between_runs: boolean;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    platform: `${platform()}-${arch()}`,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    gc_between_runs: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}
