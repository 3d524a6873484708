/**
 * Summarise a V8 CPU profile (`node --cpu-prof`): per function, self and
 * total time as a share of the samples kept. `--under NAME` keeps only
 * samples whose stack has a frame named NAME (the benchmarks' hot loops are
 * named: bulkSend, smallRound, bulkMemcpy), so setup and calibration code
 * drop out. How to record one: bench/README.md "Profiling".
 *
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile [--under NAME] [--top N]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Narrow the parsed JSON to the fields used here (unknown at the edge, STYLE). */
function asProfile(data: unknown): CpuProfile {
  const d = data as Partial<CpuProfile> | null;
  if (!d || !Array.isArray(d.nodes) || !Array.isArray(d.samples) || !Array.isArray(d.timeDeltas)) throw new Error('not a .cpuprofile (needs nodes, samples, timeDeltas)');
  return d as CpuProfile;
}

const frameName = (f: CallFrame): string => {
  const file = f.url === '' ? '' : ` ${basename(f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${file}`;
};

interface ProfileRow {
  readonly name: string;
  readonly selfShare: number;
  readonly totalShare: number;
}

function summarise(p: CpuProfile, under: string | null): { rows: ProfileRow[]; keptMs: number } {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let kept = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // A sample's time is the gap to the next sample.
    const dt = p.timeDeltas[i + 1] ?? 0;
    const stack: string[] = [];
    let hit = under === null;
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node) break;
      if (node.callFrame.functionName === under) hit = true;
      stack.push(frameName(node.callFrame));
    }
    if (!hit) continue;
    kept += dt;
    self.set(stack[0], (self.get(stack[0]) ?? 0) + dt);
    for (const name of new Set(stack)) total.set(name, (total.get(name) ?? 0) + dt);
  }
  const rows = [...total.keys()].map((name) => ({ name, selfShare: (self.get(name) ?? 0) / kept, totalShare: (total.get(name) ?? 0) / kept }));
  rows.sort((a, b) => b.selfShare - a.selfShare);
  return { rows, keptMs: kept / 1000 };
}

function main(argv: readonly string[]): number {
  const file = argv[0];
  let under: string | null = null;
  let top = 25;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--under') under = argv[++i] ?? null;
    else if (argv[i] === '--top') top = Number(argv[++i]);
    else {
      process.stderr.write(`profile-summary: ${argv[i]}: unknown option\n`);
      return 2;
    }
  }
  if (file === undefined) {
    process.stderr.write('usage: profile-summary FILE.cpuprofile [--under NAME] [--top N]\n');
    return 2;
  }
  const { rows, keptMs } = summarise(asProfile(JSON.parse(readFileSync(file, 'utf8'))), under);
  const pct = (x: number): string => `${(100 * x).toFixed(1).padStart(5)}%`;
  process.stdout.write(`${keptMs.toFixed(0)} ms of samples${under ? ` under ${under}` : ''}\n  self  total  function\n`);
  for (const r of rows.slice(0, top)) process.stdout.write(`${pct(r.selfShare)} ${pct(r.totalShare)}  ${r.name}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
