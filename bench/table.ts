/** The readable table `npm run bench -- --table` writes to stderr (the JSON stays alone on stdout). */
import { boundText, isFigure, targetMet, type FigureValue, type Target } from './benchmark.ts';

const fmt = (x: number): string => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(x));

export function renderTable(figures: Readonly<Record<string, FigureValue>>, targets: readonly Target[]): string {
  const rows: string[][] = [['figure', 'median', 'IQR', 'min..max', 'unit', 'target']];
  const notes: string[] = [];
  for (const [name, v] of Object.entries(figures)) {
    if (!isFigure(v)) {
      notes.push(`${name}: ${v}`);
      continue;
    }
    const t = targets.find((x) => x.figure === name);
    const target = t ? `${boundText(t)} ${targetMet(t, v.median) ? 'met' : 'NOT met'}` : '';
    rows.push([name, fmt(v.median), `${fmt(v.iqr[0])}..${fmt(v.iqr[1])}`, `${fmt(v.min)}..${fmt(v.max)}`, v.unit, target]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 || c >= 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ...notes.map((n) => `\n${n}`)].join('\n');
}
