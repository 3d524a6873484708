/**
 * The bytes of the selected section, 16 to a line, hex and ASCII, read from
 * the guest's memory (through its page map: shared pages read the object).
 */
import React, { useCallback } from 'react';
import { hexPad } from '../../../base/printf.ts';
import { type FrameViews, hex, readBytes } from '../../client/frame-views.ts';
import { useUi } from '../../store/store.ts';
import { useSharedView } from '../../client/use-shared-view.ts';

/** The most bytes shown (a section is at most a page, but a bad one may claim 64 KiB). */
const MAX_BYTES = 4096;

export function hexLines(bytes: Uint8Array, base: number): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    let h = '';
    let a = '';
    for (let k = 0; k < 16; k++) {
      if (k < row.length) {
        h += hexPad(row[k], 2) + (k === 7 ? '  ' : ' ');
        a += row[k] >= 0x20 && row[k] < 0x7f ? String.fromCharCode(row[k]) : '.';
      } else h += k === 7 ? '    ' : '   ';
    }
    lines.push(`${hexPad(base + off, 8)}  ${h} |${a}|`);
  }
  return lines;
}

export function HexView(): React.JSX.Element {
  const sel = useUi((s) => s.selSection);
  const decode = useCallback(
    (v: FrameViews): { lines: string[]; got: number } => {
      if (!sel) return { lines: [], got: 0 };
      const bytes = readBytes(v, sel.guest, sel.gpa, Math.min(sel.len, MAX_BYTES));
      return { lines: hexLines(bytes, sel.gpa), got: bytes.length };
    },
    [sel],
  );
  const { lines, got } = useSharedView(decode, { lines: [], got: 0 });
  if (!sel) return <div className="hex-view placeholder">Click a section of a struct lguest_dma to see its bytes.</div>;
  return (
    <div className="hex-view" data-testid="hex-view">
      <div className="buffer-title mono">
        guest {sel.guest}: {sel.len} bytes at {hex(sel.gpa)}
        {got < Math.min(sel.len, MAX_BYTES) && <span className="tag bad">only {got} bytes are inside guest memory</span>}
        {sel.len > MAX_BYTES && <span className="dim"> (first {MAX_BYTES} shown)</span>}
      </div>
      <pre className="hex mono">{lines.join('\n')}</pre>
    </div>
  );
}
