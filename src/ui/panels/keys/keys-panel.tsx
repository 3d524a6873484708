/** DMA keys (every binding in the Host) above the selected key's lguest_dma array. */
import React from 'react';
import { DmaBuffer } from './dma-buffer.tsx';
import { DmaKeys } from './dma-keys.tsx';
import { Term } from '../../glossary/term.tsx';
import './keys.css';

export function KeysPanel(): React.JSX.Element {
  return (
    <section className="panel keys-panel" aria-label="DMA keys and buffers">
      <h2>
        DMA <Term id="key">keys</Term>{' '}
        <span className="sub">
          <Term id="binding">bindings</Term> in the Host → struct <Term id="lguest-dma">lguest_dma</Term>[]
        </span>
      </h2>
      <div className="panel-body keys-split">
        <DmaKeys />
        <DmaBuffer />
      </div>
    </section>
  );
}
