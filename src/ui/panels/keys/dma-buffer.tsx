/**
 * The selected key's array of struct lguest_dma, each decoded (spec §1.3,
 * §2.4): used_len (0: free for the sender; else filled with N bytes) and the
 * 16 addr/len sections, where a zero len ends the list. A transfer into an
 * entry flashes it. Click a section to see its bytes.
 */
import React, { useCallback } from 'react';
import { LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE } from '../../../abi/constants.ts';
import { overlaps, useAddressFocus } from '../../store/address-focus.ts';
import { type FrameViews, hex } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useUi } from '../../store/store.ts';
import { type DmaRow, decodeBindings, decodeDma, decodeDmaArray } from '../../client/struct-decoders.ts';
import { useSharedView } from '../../client/use-shared-view.ts';

/** A flash lasts this long after the page saw the transfer (ms; the CSS animation matches). */
const FLASH_MS = 1200;
const MAX_ROWS = 64;

interface ShownDma extends DmaRow {
  readonly guest: number;
  /** Event index of the last transfer into this entry (its parity picks one of two identical animations, so a new transfer restarts the flash). */
  readonly lastDma: number;
  readonly fresh: boolean;
}

interface BufferView {
  readonly title: string;
  readonly guest: number;
  readonly rows: readonly ShownDma[];
  readonly next: number;
  readonly more: number;
  readonly note: string;
}

const EMPTY: BufferView = { title: '', guest: 0, rows: [], next: -1, more: 0, note: '' };

function withFlash(client: SimClient, guest: number, rows: DmaRow[]): ShownDma[] {
  const now = performance.now();
  return rows.map((r) => {
    const f = client.digest.flashOf(guest, r.gpa);
    return { ...r, guest, lastDma: f?.event ?? -1, fresh: f !== undefined && now - f.at < FLASH_MS };
  });
}

export function DmaBuffer(): React.JSX.Element {
  const selKey = useUi((s) => s.selKey);
  const selDma = useUi((s) => s.selDma);
  const selNote = useUi((s) => s.selNote);
  const decode = useCallback(
    (v: FrameViews, client: SimClient): BufferView => {
      if (selKey) {
        const b = decodeBindings(v, selKey.guest).find((x) => x.key === selKey.key && x.dmas === selKey.dmas);
        const num = b?.num ?? 0;
        const rows = withFlash(client, selKey.guest, b ? decodeDmaArray(v, selKey.guest, selKey.dmas, num, MAX_ROWS) : []);
        const inArray = selDma && selDma.guest === selKey.guest && selDma.gpa >= selKey.dmas && selDma.gpa < selKey.dmas + num * v.dma.size;
        // A struct outside the array (a sender's) is shown after it.
        if (selDma && !inArray) rows.push(...withFlash(client, selDma.guest, [decodeDma(v, selDma.guest, selDma.gpa, -1)]));
        return {
          title: `guest ${selKey.guest} key ${hex(selKey.key)}: lguest_dma[${num}] at ${hex(selKey.dmas)}`,
          guest: selKey.guest,
          rows,
          next: b?.next ?? -1,
          more: Math.max(0, num - MAX_ROWS),
          note: b ? '' : 'this binding is gone (unbound, or the guest died)',
        };
      }
      if (selDma) {
        return { title: `guest ${selDma.guest}: struct lguest_dma at ${hex(selDma.gpa)}`, guest: selDma.guest, rows: withFlash(client, selDma.guest, [decodeDma(v, selDma.guest, selDma.gpa, -1)]), next: -1, more: 0, note: '' };
      }
      return EMPTY;
    },
    [selKey, selDma],
  );
  const view = useSharedView(decode, EMPTY);
  if (view.rows.length === 0 && view.title === '') {
    return (
      <div className="dma-buffer placeholder" data-testid="dma-buffer">
        Select a key to see its struct lguest_dma array.
      </div>
    );
  }
  return (
    <div className="dma-buffer" data-testid="dma-buffer">
      {selNote !== null && (
        <div className="route" data-testid="dma-route">
          {selNote}
        </div>
      )}
      <div className="buffer-title mono">{view.title}</div>
      {view.note && <div className="note">{view.note}</div>}
      {view.rows.map((r) => (
        <DmaEntry key={`${r.guest}:${r.gpa}`} guest={r.guest} row={r} isNext={r.guest === view.guest && r.index === view.next} label={r.guest === view.guest ? '' : `guest ${r.guest} `} />
      ))}
      {view.more > 0 && <div className="note">… and {view.more} more entries</div>}
    </div>
  );
}

function DmaEntry(props: { guest: number; row: ShownDma; isNext: boolean; label: string }): React.JSX.Element {
  const { row, guest } = props;
  const focus = useAddressFocus();
  const selSection = useUi((s) => s.selSection);
  const selectSection = useUi((s) => s.selectSection);
  const selectDma = useUi((s) => s.selectDma);
  const setInspector = useUi((s) => s.setInspector);
  const setHover = useUi((s) => s.setHover);
  // check_dma_list walks up to the first zero len (spec §2.4 step 3a): later sections are ignored.
  const end = row.sections.findIndex((s) => s.len === 0);
  const live = end < 0 ? LGUEST_MAX_DMA_SECTIONS : end;
  return (
    <div
      className={`dma-entry ${row.fresh ? `flash-${row.lastDma & 1}` : ''}`}
      data-testid="dma-entry"
      data-gpa={hex(row.gpa)}
      data-used-len={row.usedLen ?? ''}
      onClick={() => selectDma({ guest, gpa: row.gpa })}
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
        e.preventDefault();
        e.stopPropagation();
        selectDma({ guest, gpa: row.gpa });
      }}
    >
      <div className="dma-head">
        <span className="mono idx">{row.index >= 0 ? `[${row.index}]` : `${props.label}struct`}</span>
        <span className="mono">@{hex(row.gpa)}</span>
        {row.usedLen === null ? (
          <span className="tag bad">outside guest memory</span>
        ) : row.usedLen === 0 ? (
          <span className="tag free">used_len 0 · free</span>
        ) : (
          <span className="tag filled">used_len {row.usedLen} · filled {row.usedLen} bytes</span>
        )}
        {props.isNext && <span className="tag">next_dma</span>}
      </div>
      <div className="sections">
        {row.sections.map((s, i) => {
          const used = i < live;
          const selected = selSection?.guest === guest && selSection.gpa === s.addr && selSection.len === s.len && used;
          const hot = used && !selected && overlaps(focus, guest, s.addr, s.len);
          // check_dma_list (spec §2.4 step 3a): at most a page, not crossing one; else the Host kills.
          const bad = used && (s.len > PAGE_SIZE || (s.addr % PAGE_SIZE) + s.len > PAGE_SIZE);
          return (
            <button
              type="button"
              key={i}
              className={`section ${used ? '' : 'unused'} ${selected ? 'selected' : ''} ${hot ? 'hot' : ''} ${bad ? 'bad' : ''}`}
              disabled={!used}
              title={used ? `section ${i}: ${s.len} bytes at ${hex(s.addr)}${bad ? ' (crosses a page boundary: check_dma_list kills the guest)' : ''}` : `section ${i}: ${i === live ? 'len 0 ends the list' : 'ignored'}`}
              onClick={(e) => {
                e.stopPropagation();
                selectSection({ guest, gpa: s.addr, len: s.len });
                setInspector('bytes');
              }}
              onMouseEnter={used ? () => setHover({ guest, gpa: s.addr, len: s.len }) : undefined}
              onMouseLeave={used ? () => setHover(null) : undefined}
            >
              {used ? `${hex(s.addr)}+${s.len}` : '·'}
            </button>
          );
        })}
      </div>
    </div>
  );
}
