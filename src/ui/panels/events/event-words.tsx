/** An event's fields in the log with readable names (views/register-labels.ts): `key=0 struct lguest_dma=0x2000 %eax unchanged`. */
import React from 'react';
import type { SimEvent } from '../../../hw/events.ts';
import { eventWords } from '../../../views/register-labels.ts';
import './event-words.css';

export function EventWords({ ev, strings }: { ev: SimEvent; strings: readonly string[] }): React.JSX.Element {
  return (
    <>
      {eventWords(ev, strings).map((w, i) => (
        <React.Fragment key={i}>
          {i > 0 && ' '}
          {w.value === '' ? (
            <span className="ev-l">{w.label}</span>
          ) : (
            <>
              <span className="ev-l">{w.label}=</span>
              {w.value}
            </>
          )}
        </React.Fragment>
      ))}
    </>
  );
}
