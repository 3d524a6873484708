/** DMA keys (every binding in the Host) above the selected key's lguest_dma array. */
import React from 'react';
import { DmaBuffer } from './dma-buffer.tsx';
import { DmaKeys } from './dma-keys.tsx';

export function KeysPanel(): React.JSX.Element {
  return (
    <section className="panel keys-panel" aria-label="DMA keys and buffers">
      <h2>
        DMA keys <span className="sub">bindings in the Host → struct lguest_dma[]</span>
      </h2>
      <div className="panel-body keys-split">
        <DmaKeys />
        <DmaBuffer />
      </div>
    </section>
  );
}
