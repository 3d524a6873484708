/** Where a panel fetched on demand (issue #15) will be, for the few milliseconds its chunk takes. */
import React from 'react';

export function PanelLoading({ name, className = '' }: { name: string; className?: string }): React.JSX.Element {
  return (
    <section className={`panel panel-loading ${className}`} aria-busy="true">
      loading the {name}…
    </section>
  );
}
