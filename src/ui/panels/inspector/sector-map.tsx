/**
 * A map of the disk: one cell per group of sectors, coloured by what the
 * requests so far did to it (read, written, both); the latest request is
 * outlined. Drawn on a canvas so a 64 MiB disk costs the same as a small one.
 */
import React, { useEffect, useRef } from 'react';
import { SECTOR_SIZE } from '../../../abi/constants.ts';
import type { BlockRequest } from '../../client/event-digest.ts';
import { useUi } from '../../store/store.ts';

const COLS = 64;
const MAX_CELLS = 2048;
const CELL = 3;
const GAP = 1;

export function SectorMap(props: { requests: readonly BlockRequest[]; numSectors: number }): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useUi((s) => s.theme);
  const { requests, numSectors } = props;
  const cells = Math.min(MAX_CELLS, Math.max(1, numSectors));
  const per = Math.max(1, Math.ceil(numSectors / cells));
  const rows = Math.ceil(cells / COLS);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const css = getComputedStyle(c);
    const color = (name: string): string => css.getPropertyValue(name).trim() || '#888';
    const marks = new Uint8Array(cells);
    for (const r of requests) {
      const n = Math.max(1, Math.ceil(r.bytes / SECTOR_SIZE));
      for (let s = r.sector; s < r.sector + n && s < numSectors; s += 1) marks[Math.floor(s / per)] |= r.write ? 2 : 1;
    }
    const fill = [color('--sector-empty'), color('--sector-read'), color('--sector-write'), color('--sector-both')];
    ctx.clearRect(0, 0, c.width, c.height);
    for (let i = 0; i < cells; i++) {
      ctx.fillStyle = fill[marks[i]];
      ctx.fillRect((i % COLS) * (CELL + GAP), Math.floor(i / COLS) * (CELL + GAP), CELL, CELL);
    }
    const last = requests[requests.length - 1];
    if (last && last.sector < numSectors) {
      const i = Math.floor(last.sector / per);
      ctx.strokeStyle = color('--fg');
      ctx.lineWidth = 1;
      ctx.strokeRect((i % COLS) * (CELL + GAP) - 0.5, Math.floor(i / COLS) * (CELL + GAP) - 0.5, CELL + 1, CELL + 1);
    }
  }, [requests, numSectors, cells, per, theme]);
  return (
    <figure className="sector-map">
      <canvas ref={ref} width={COLS * (CELL + GAP)} height={rows * (CELL + GAP)} data-testid="sector-map" />
      <figcaption>
        {numSectors} sectors{per > 1 ? `, ${per} per cell` : ''} · <span className="key-read">■</span> read <span className="key-write">■</span> written <span className="key-both">■</span> both
      </figcaption>
    </figure>
  );
}
