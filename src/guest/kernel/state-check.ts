/**
 * Checking a saved kernel state before load() adopts it (STYLE: unknown at
 * the edges, narrowed by a validator; errors say what failed and where).
 * The check is structural: the top-level fields, each job's op and each
 * foreground's st. The result is a deep copy, so the caller's object is
 * never shared with the running kernel.
 */
import { ARCHES } from '../../abi/ctypes.ts';
import type { KernelState } from './state.ts';

export class KernelStateError extends Error {
  constructor(message: string) {
    super(`lguest kernel state: ${message}`);
    this.name = 'KernelStateError';
  }
}

const JOB_OPS = ['init', 'console_write', 'probe', 'blk_submit', 'net_tx', 'poke_dma'];
const FG_STATES = ['boot', 'prompt', 'blk', 'ping', 'send', 'poke'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function need(ok: boolean, what: string): void {
  if (!ok) throw new KernelStateError(what);
}

export function parseKernelState(v: unknown): KernelState {
  need(isRecord(v), 'not an object; pass what save() returned');
  const r = v as Record<string, unknown>;
  need(r.format === 'lguest-kernel/1', `format ${JSON.stringify(r.format)} is not "lguest-kernel/1"`);
  need(typeof r.arch === 'string' && (ARCHES as readonly string[]).includes(r.arch), `arch ${JSON.stringify(r.arch)} is unknown; use i386 or x86_64`);
  need(typeof r.guestid === 'number' && typeof r.pingSeq === 'number', 'guestid and pingSeq must be numbers');
  need(Array.isArray(r.lines) && r.lines.every((l) => typeof l === 'string'), 'lines must be an array of strings');
  need(Array.isArray(r.jobs), 'jobs must be an array');
  (r.jobs as unknown[]).forEach((j, i) => need(isRecord(j) && typeof j.op === 'string' && JOB_OPS.includes(j.op), `jobs[${i}].op is not one of ${JOB_OPS.join(', ')}`));
  need(isRecord(r.fg) && typeof r.fg.st === 'string' && FG_STATES.includes(r.fg.st), `fg.st is not one of ${FG_STATES.join(', ')}`);
  for (const k of ['con', 'blk', 'net', 'lastTx']) need(r[k] === null || isRecord(r[k]), `${k} must be null or an object`);
  return JSON.parse(JSON.stringify(r)) as KernelState;
}
