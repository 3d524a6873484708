/**
 * The `--json` summary of a machine (issue #3): per guest the decoded
 * descriptor table, bound keys, alive/killed with reason, console text and
 * (for scripted guests) each step with its result; plus the memory hash.
 * The same document comes out of `run --json`, `replay --json` and the worker.
 */
import { LGUEST_MAX_DEVICES } from '../abi/constants.ts';
import { hexAlt } from '../base/printf.ts';
import { DESC, decodeDescriptor } from '../views/device-desc.ts';
import { decodeBindingTable } from '../views/bindings.ts';
import type { Machine } from './machine.ts';
import { ScriptGuest } from '../guest/script-guest.ts';

export interface DeviceRow {
  index: number;
  type: string;
  typeCode: number;
  features: number;
  featureNames: string[];
  status: number;
  statusNames: string[];
  numPages: number;
  pfn: number;
  gpa: string;
}

export interface KeyRow {
  key: string;
  dmas: string;
  num: number;
  next: number;
  irq: number;
  shared: boolean;
}

export interface GuestSummary {
  index: number;
  kernel: string;
  state: string;
  alive: boolean;
  killed: string | null;
  memory: number;
  pfnLimit: number;
  devices: DeviceRow[];
  keys: KeyRow[];
  pendingIrqs: number;
  console: string;
  script?: Record<string, unknown>[];
}

export interface MachineSummary {
  scenario: string | null;
  arch: string;
  events: number;
  time: number;
  quanta: number;
  idle: boolean;
  hash: string;
  guests: GuestSummary[];
}


/** Decode a guest's descriptor table (the 16 × lguest_device_desc at gpa = RAM size); empty slots left out. */
export function decodeDeviceTable(view: DataView, descPage: number): DeviceRow[] {
  const rows: DeviceRow[] = [];
  for (let i = 0; i < LGUEST_MAX_DEVICES; i++) {
    const d = decodeDescriptor(view, descPage + i * DESC.size);
    if (d.type === 0) continue;
    rows.push({
      index: i,
      type: d.typeName,
      typeCode: d.type,
      features: d.features,
      featureNames: d.featureNames,
      status: d.status,
      statusNames: d.statusNames,
      numPages: d.numPages,
      pfn: d.pfn,
      gpa: hexAlt(d.gpa),
    });
  }
  return rows;
}

/** A guest's bound keys, from the Host's binding table (SIM_BINDING words). */
export function decodeBindings(b: Uint32Array): KeyRow[] {
  return decodeBindingTable(new DataView(b.buffer, b.byteOffset, b.byteLength)).map((r) => ({
    key: hexAlt(r.key),
    dmas: hexAlt(r.dmas),
    num: r.num,
    next: r.next,
    irq: r.irq,
    shared: r.shared !== 0,
  }));
}

export function summarize(m: Machine): MachineSummary {
  const guests: GuestSummary[] = m.launchers.map((L, i) => {
    const g = m.host.guests[i]!;
    const p = m.programs[i];
    const out: GuestSummary = {
      index: i,
      kernel: p.kernel,
      state: m.runState(i),
      alive: g.dead === null && L.exitMessage === null,
      killed: g.dead,
      memory: L.memory.ramBytes,
      pfnLimit: L.memory.pfnLimit,
      devices: decodeDeviceTable(L.memory.view, L.descPage),
      keys: decodeBindings(g.bindings),
      pendingIrqs: g.pendingIrqs,
      console: L.stdoutText(),
    };
    if (p instanceof ScriptGuest) {
      out.script = p.steps.map((step, k) => {
        const r = p.results[k];
        if (r !== null) return { ...step, ...r };
        if (k === p.pc && p.trapStep === k) {
          // The step trapped and never got its result back: the guest died in it, or is still waiting.
          if (g.dead !== null) return { ...step, killed: g.dead };
          if (step.op === 'wait') return { ...step, irq: null };
        }
        return { ...step, skipped: true };
      });
    }
    return out;
  });
  return {
    scenario: m.scenario.name ?? null,
    arch: m.scenario.arch,
    events: m.events.count,
    time: m.clock.now,
    quanta: m.quanta,
    idle: m.isIdle(),
    hash: m.hash(),
    guests,
  };
}
