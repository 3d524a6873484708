/**
 * The --sharenet network page(s): struct lguest_net MAC slots in the page
 * every guest on the network maps (spec §4.4), which guest owns each slot,
 * the promiscuous bit (low bit of byte 0, §5.4), and the latest transfers
 * between guests (DMA events on the network's keys, page + 4·slot).
 */
import React from 'react';
import { LGUEST_DEVICE_T_NET, PAGE_SIZE } from '../../../abi/constants.ts';
import { EV, EVENT_CHUNK, EVENT_WORDS, EventKind } from '../../../hw/events.ts';
import type { EventWindow } from '../../client/event-window.ts';
import { type FrameViews, hex, liveAt } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { usePickEvent } from '../events/use-pick-event.ts';
import { decodeNetSlots, macString, type NetSlot } from '../../client/struct-decoders.ts';
import { useSharedView } from '../../client/use-shared-view.ts';

/** How far back the transfer list looks (events), and how many it shows. */
const LOOK_BACK = 50_000;
const SHOWN = 10;

interface Transfer {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly key: number;
  readonly bytes: number;
}

interface NetworkView {
  readonly name: string;
  readonly object: number;
  readonly slots: readonly (NetSlot & { readonly owner: number | null })[];
  readonly transfers: readonly Transfer[];
}

function decodeNetworks(v: FrameViews, client: SimClient): NetworkView[] {
  const out: NetworkView[] = [];
  for (const o of v.info.sharedObjects) {
    if (!o.name.startsWith('net:')) continue;
    const name = o.name.slice(4);
    const owners = new Map<number, number>();
    // Each guest's net device page on this network: its keys are page + 4·slot.
    const pages = new Map<number, number>();
    for (const g of v.info.guests)
      for (const d of g.devices)
        if (d.type === LGUEST_DEVICE_T_NET && d.network === name) {
          if (d.slot !== undefined) owners.set(d.slot, g.index);
          pages.set(g.index, d.gpa);
        }
    const all = decodeNetSlots(v, o.id, 64);
    let shown = 2;
    all.forEach((s) => {
      if (!s.empty || owners.has(s.slot)) shown = Math.max(shown, s.slot + 2);
    });
    const slots = all.slice(0, Math.min(all.length, shown)).map((s) => ({ ...s, owner: owners.get(s.slot) ?? null }));
    out.push({ name, object: o.id, slots, transfers: recentTransfers(client.events, liveAt(v, 'view'), pages) });
  }
  return out;
}

/** The latest transfers before the shown count, among the events in memory (the look back stops at the first one not kept). */
function recentTransfers(events: EventWindow, view: number, pages: ReadonlyMap<number, number>): Transfer[] {
  const out: Transfer[] = [];
  const bottom = Math.max(view - LOOK_BACK, events.keptFrom(view));
  for (let i = view - 1; i >= bottom && out.length < SHOWN; i--) {
    const w = events.words(events.slotOf(i));
    const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
    if (w[at + EV.kind] !== EventKind.DMA) continue;
    const from = w[at + EV.guest];
    const page = pages.get(from);
    const key = w[at + EV.b];
    if (page === undefined || key < page || key >= page + PAGE_SIZE) continue;
    out.push({ index: i, from, to: w[at + EV.a], key, bytes: w[at + EV.e] });
  }
  return out;
}

export function NetPage(): React.JSX.Element {
  const nets = useSharedView(decodeNetworks, []);
  const selectEvent = usePickEvent();
  if (nets.length === 0) return <div className="placeholder">No network in this scenario.</div>;
  return (
    <div className="net-pages">
      {nets.map((n) => (
        <div className="net-page" data-testid="net-page" data-network={n.name} key={n.object}>
          <div className="buffer-title mono">network “{n.name}”: struct lguest_net slots of the shared page</div>
          <table className="grid slots">
            <thead>
              <tr>
                <th className="num">slot</th>
                <th>MAC</th>
                <th>owner</th>
                <th>promisc</th>
                <th>rx key</th>
              </tr>
            </thead>
            <tbody>
              {n.slots.map((s) => (
                <tr key={s.slot} data-testid="net-slot" data-slot={s.slot} className={s.empty && s.owner === null ? 'empty' : ''}>
                  <td className="num">{s.slot}</td>
                  <td className="mono">{macString(s.mac)}</td>
                  <td>{s.owner === null ? '—' : `guest ${s.owner}`}</td>
                  <td>{s.empty ? '' : s.promisc ? <span className="tag shared">promisc</span> : 'no'}</td>
                  <td className="mono">+{hex(4 * s.slot)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="sub-title">latest transfers</div>
          <ol className="transfers">
            {n.transfers.length === 0 && <li className="dim">none yet: try `ping 1` on guest 0</li>}
            {n.transfers.map((t) => (
              <li key={t.index} data-testid="net-transfer" onClick={() => selectEvent(t.index)}>
                <span className="mono">#{t.index}</span> guest {t.from} → guest {t.to} <span className="mono">key {hex(t.key)}</span> · {t.bytes} bytes
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}
