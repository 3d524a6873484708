/**
 * The block device of each guest: its struct lguest_block_page decoded (spec
 * §4.3), the requests the Launcher handled (LAUNCHER_OUTPUT events on the
 * block key), and a map of the disk's sectors showing reads and writes.
 */
import React from 'react';
import { LGUEST_DEVICE_T_BLOCK } from '../../../abi/constants.ts';
import type { BlockRequest } from '../../client/event-digest.ts';
import { type FrameViews, hex } from '../../client/frame-views.ts';
import { SectorMap } from './sector-map.tsx';
import type { SimClient } from '../../client/sim-client.ts';
import { usePickEvent } from '../events/use-pick-event.ts';
import { type BlockPageFields, decodeBlockPage } from '../../client/struct-decoders.ts';
import { useSharedView } from '../../client/use-shared-view.ts';

interface BlockDeviceView {
  readonly guest: number;
  readonly index: number;
  readonly gpa: number;
  readonly page: BlockPageFields | null;
  readonly requests: readonly BlockRequest[];
}

const decodeBlocks = (v: FrameViews, client: SimClient): BlockDeviceView[] =>
  v.info.guests.flatMap((g) =>
    g.devices
      .filter((d) => d.type === LGUEST_DEVICE_T_BLOCK)
      .map((d) => ({
        guest: g.index,
        index: d.index,
        gpa: d.gpa,
        page: decodeBlockPage(v, g.index, d.gpa),
        requests: client.digest.blockRequests.filter((r) => r.guest === g.index && r.device === d.index),
      })),
  );

/** result: 0 pending (or no request yet), 1 done, 2 done with an error (spec §7.35). */
export function resultName(result: number, anyRequest: boolean): string {
  if (result === 0) return anyRequest ? 'pending' : 'idle';
  if (result === 1) return 'done';
  return `error (${result})`;
}

export function BlockPage(): React.JSX.Element {
  const devices = useSharedView(decodeBlocks, []);
  if (devices.length === 0) return <div className="placeholder">No block device in this scenario.</div>;
  return (
    <div className="block-pages">
      {devices.map((d) => (
        <BlockDevice key={`${d.guest}:${d.index}`} dev={d} />
      ))}
    </div>
  );
}

function BlockDevice({ dev }: { dev: BlockDeviceView }): React.JSX.Element {
  const p = dev.page;
  const onPick = usePickEvent();
  // A request is in flight when the guest reset result to 0 after filling in the page.
  const inFlight = p !== null && p.result === 0 && p.bytes !== 0;
  const state = p === null ? 'unreadable' : resultName(p.result, inFlight || dev.requests.length > 0);
  return (
    <div className="block-page" data-testid="block-page" data-guest={dev.guest} data-result={p?.result ?? ''} data-state={state}>
      <div className="buffer-title mono">
        guest {dev.guest} device {dev.index}: struct lguest_block_page at {hex(dev.gpa)}
      </div>
      {p && (
        <dl className="fields">
          <dt>type</dt>
          <dd>{p.type === 0 ? 'read' : 'write'}</dd>
          <dt>sector</dt>
          <dd className="mono">{p.sector}</dd>
          <dt>bytes</dt>
          <dd className="mono">{p.bytes}</dd>
          <dt>result</dt>
          <dd>
            <span className={`tag result-${state.split(' ')[0]}`}>
              {p.result} · {state}
            </span>
          </dd>
          <dt>num_sectors</dt>
          <dd className="mono">{p.numSectors}</dd>
        </dl>
      )}
      <div className="block-split">
        <SectorMap requests={dev.requests} numSectors={p?.numSectors ?? 0} />
        <ol className="history" reversed>
          {dev.requests.length === 0 && <li className="dim">no request yet</li>}
          {dev.requests
            .slice(-8)
            .reverse()
            .map((r) => (
              <li key={r.index} onClick={() => onPick(r.index)} className={r.write ? 'w' : 'r'}>
                <span className="mono">#{r.index}</span> {r.write ? 'write' : 'read'} sector {r.sector} · {r.bytes} B · {resultName(r.result, true)}
              </li>
            ))}
        </ol>
      </div>
    </div>
  );
}
