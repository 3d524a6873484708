/**
 * The device descriptor table of each guest: LGUEST_MAX_DEVICES rows of
 * struct lguest_device_desc read from the descriptor page (spec §1.3, §5.1),
 * empty slots dimmed, status bits as chips. Rows change live during probe.
 */
import React, { useCallback } from 'react';
import { DEVICE_STATUS_BITS, PAGE_SIZE } from '../../../abi/constants.ts';
import { overlaps, useAddressFocus } from '../../store/address-focus.ts';
import { type FrameViews, hex } from '../../client/frame-views.ts';
import { useUi } from '../../store/store.ts';
import { type DescriptorRow, decodeDescriptors, decodeLive } from '../../client/struct-decoders.ts';
import { useSharedView } from '../../client/use-shared-view.ts';
import { Term } from '../../glossary/term.tsx';
import './devices.css';

const CHIP_LABEL: Readonly<Record<string, string>> = {
  ACKNOWLEDGE: 'ACK',
  DRIVER: 'DRV',
  DRIVER_OK: 'OK',
  REMOVED: 'REM',
  REMOVED_ACK: 'RACK',
  FAILED: 'FAIL',
};

const decodeTables = (v: FrameViews): { guest: number; kernel: string; state: string; rows: DescriptorRow[] }[] => {
  const live = decodeLive(v);
  return v.info.guests.map((g) => ({ guest: g.index, kernel: g.kernel, state: live.runStates[g.index] ?? 'running', rows: decodeDescriptors(v, g.index) }));
};

function featureText(r: DescriptorRow): string {
  const parts = [...r.featureNames];
  if (r.featureRest !== 0 || parts.length === 0) parts.push(hex(r.featureRest));
  return parts.join(' ');
}

export function DeviceTable(): React.JSX.Element {
  const tables = useSharedView(decodeTables, []);
  return (
    <section className="panel device-table" data-testid="device-table" aria-label="Device descriptor table">
      <h2>
        Device descriptors{' '}
        <span className="sub">
          struct lguest_device_desc[16] at the <Term id="descriptor-page">descriptor page</Term>
        </span>
      </h2>
      <div className="panel-body" tabIndex={0} aria-label="Device descriptor table">
        {tables.map((t) => (
          <GuestDevices key={t.guest} guest={t.guest} kernel={t.kernel} state={t.state} rows={t.rows} />
        ))}
      </div>
    </section>
  );
}

function GuestDevices(props: { guest: number; kernel: string; state: string; rows: DescriptorRow[] }): React.JSX.Element {
  const focus = useAddressFocus();
  const selDevice = useUi((s) => s.selDevice);
  const selectDevice = useUi((s) => s.selectDevice);
  const setHover = useUi((s) => s.setHover);
  const onLeave = useCallback(() => setHover(null), [setHover]);
  return (
    <table className="grid devices">
      <caption>
        guest {props.guest} <span className="dim">· {props.kernel} ·</span> <span className={`run-state rs-${props.state}`}>{props.state}</span>
      </caption>
      <thead>
        <tr>
          <th className="num">#</th>
          <th>type</th>
          <th>features</th>
          <th>status</th>
          <th className="num">pages</th>
          <th>pfn</th>
          <th>gpa</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => {
          const empty = r.type === 0;
          const hot = !empty && overlaps(focus, props.guest, r.gpa, r.numPages * PAGE_SIZE);
          const selected = selDevice?.guest === props.guest && selDevice.index === r.index;
          return (
            <tr
              key={r.index}
              data-testid="device-row"
              data-guest={props.guest}
              data-index={r.index}
              data-type={r.type}
              data-status={r.status}
              className={`${empty ? 'empty' : ''} ${hot ? 'hot' : ''} ${selected ? 'selected' : ''}`}
              onClick={empty ? undefined : () => selectDevice({ guest: props.guest, index: r.index })}
              onMouseEnter={empty || r.numPages === 0 ? undefined : () => setHover({ guest: props.guest, gpa: r.gpa, len: r.numPages * PAGE_SIZE })}
              onMouseLeave={empty ? undefined : onLeave}
            >
              <td className="num">{r.index}</td>
              <td>{empty ? '—' : r.typeName}</td>
              <td title={hex(r.features)}>{empty ? '' : featureText(r)}</td>
              <td className="chips" title={`status ${r.status}`}>
                {empty
                  ? ''
                  : DEVICE_STATUS_BITS.map(([bit, name]) => (
                      <span key={bit} className={`chip ${(r.status & bit) !== 0 ? `on st-${name}` : ''}`} title={name}>
                        {CHIP_LABEL[name]}
                      </span>
                    ))}
              </td>
              <td className="num">{empty ? '' : r.numPages}</td>
              <td className="mono">{empty ? '' : hex(r.pfn)}</td>
              <td className="mono">{empty ? '' : r.numPages === 0 ? '—' : hex(r.gpa)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
