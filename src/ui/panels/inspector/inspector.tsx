/**
 * The inspector area: block page, network page, hypercall workbench, bytes of
 * a section. Every tab stays mounted (hidden when not shown), so its test ids
 * and state are there whichever tab is in front.
 */
import React from 'react';
import { BlockPage } from './block-page.tsx';
import { HexView } from './hex-view.tsx';
import { NetPage } from './net-page.tsx';
import { useUi } from '../../store/store.ts';
import type { InspectorTab } from '../../store/view-slice.ts';
import { Workbench } from './workbench.tsx';
import './inspector.css';

const TABS: readonly (readonly [InspectorTab, string])[] = [
  ['block', 'Block page'],
  ['net', 'Network page'],
  ['workbench', 'Workbench'],
  ['bytes', 'Bytes'],
];

export function Inspector(): React.JSX.Element {
  const tab = useUi((s) => s.inspector);
  const setTab = useUi((s) => s.setInspector);
  return (
    <section className="panel inspector" aria-label="Inspector">
      <h2 className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button type="button" role="tab" key={id} aria-selected={tab === id} className={tab === id ? 'active' : ''} data-testid={`tab-${id}`} onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </h2>
      <div className="panel-body" hidden={tab !== 'block'} role="tabpanel" tabIndex={0}>
        <BlockPage />
      </div>
      <div className="panel-body" hidden={tab !== 'net'} role="tabpanel" tabIndex={0}>
        <NetPage />
      </div>
      <div className="panel-body" hidden={tab !== 'workbench'} role="tabpanel" tabIndex={0}>
        <Workbench />
      </div>
      <div className="panel-body" hidden={tab !== 'bytes'} role="tabpanel" tabIndex={0}>
        <HexView />
      </div>
    </section>
  );
}
