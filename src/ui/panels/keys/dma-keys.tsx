/**
 * Every bound key, straight from each guest's binding table in the Host
 * (SIM_BINDING, spec §2.3): owner, key address, shared or private identity
 * (the futex key, §2.2), irq, number of lguest_dma entries. Click a key to
 * see its array.
 */
import React from 'react';
import { overlaps, useAddressFocus } from '../../store/address-focus.ts';
import { type FrameViews, hex } from '../../client/frame-views.ts';
import { useUi } from '../../store/store.ts';
import { type BindingRow, decodeAllBindings } from '../../client/struct-decoders.ts';
import { useSharedView } from '../../client/use-shared-view.ts';

const decodeKeys = (v: FrameViews): { rows: BindingRow[]; objects: string[]; dmaSize: number } => ({
  rows: decodeAllBindings(v),
  objects: v.info.sharedObjects.map((o) => o.name),
  dmaSize: v.dma.size,
});

export function DmaKeys(): React.JSX.Element {
  const { rows, objects, dmaSize } = useSharedView(decodeKeys, { rows: [], objects: [], dmaSize: 0 });
  const selKey = useUi((s) => s.selKey);
  const selectKey = useUi((s) => s.selectKey);
  const setHover = useUi((s) => s.setHover);
  const focus = useAddressFocus();
  return (
    <div className="dma-keys" data-testid="dma-keys">
      <table className="grid keys">
        <thead>
          <tr>
            <th className="num">guest</th>
            <th>key</th>
            <th>identity</th>
            <th className="num">irq</th>
            <th className="num">bufs</th>
            <th className="num">next</th>
            <th>array</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr className="empty">
              <td colSpan={7}>no key bound yet</td>
            </tr>
          )}
          {rows.map((b) => {
            const selected = selKey?.guest === b.guest && selKey.key === b.key && selKey.dmas === b.dmas;
            const hot = !selected && (overlaps(focus, b.guest, b.key, 1) || overlaps(focus, b.guest, b.dmas, b.num * dmaSize));
            return (
              <tr
                key={`${b.guest}:${b.slot}`}
                data-testid="dma-key"
                data-key={hex(b.key)}
                data-guest={b.guest}
                className={`${selected ? 'selected' : ''} ${hot ? 'hot' : ''}`}
                onClick={() => selectKey({ guest: b.guest, key: b.key, dmas: b.dmas })}
                tabIndex={0}
                aria-selected={selected}
                onKeyDown={(e) => {
                  // Operable by keyboard (WCAG 2.1.1): Enter or space selects the key, as a click does.
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault();
                  e.stopPropagation();
                  selectKey({ guest: b.guest, key: b.key, dmas: b.dmas });
                }}
                onMouseEnter={() => setHover({ guest: b.guest, gpa: b.key, len: 1 })}
                onMouseLeave={() => setHover(null)}
              >
                <td className="num">{b.guest}</td>
                <td className="mono">{hex(b.key)}</td>
                <td>{b.shared === 0 ? <span className="tag private">private</span> : <span className="tag shared" title={`futex key: object ${objects[b.shared - 1] ?? b.shared - 1}, offset ${hex(b.ident)}`}>shared {objects[b.shared - 1] ?? ''} +{hex(b.ident)}</span>}</td>
                <td className="num">{b.irq}</td>
                <td className="num">{b.num}</td>
                <td className="num">{b.next}</td>
                <td className="mono">{hex(b.dmas)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
