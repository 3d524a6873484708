/** The narration, rendered from say-markdown's data as React elements and text nodes (never innerHTML). */
import React from 'react';
import { parseSay, type Inline } from './say-markdown.ts';

function Inlines({ xs }: { xs: readonly Inline[] }): React.JSX.Element {
  return (
    <>
      {xs.map((x, i) => {
        switch (x.t) {
          case 'text':
            return <React.Fragment key={i}>{x.text}</React.Fragment>;
          case 'code':
            return <code key={i}>{x.text}</code>;
          case 'bold':
            return (
              <strong key={i}>
                <Inlines xs={x.children} />
              </strong>
            );
          case 'link':
            return (
              <a key={i} href={x.href} target={x.href.startsWith('#') ? undefined : '_blank'} rel="noopener noreferrer">
                <Inlines xs={x.children} />
              </a>
            );
        }
      })}
    </>
  );
}

export function LessonSay({ say }: { say: string }): React.JSX.Element {
  return (
    <div className="lesson-say" data-testid="lesson-say">
      {parseSay(say).map((b, i) =>
        b.t === 'p' ? (
          <p key={i}>
            <Inlines xs={b.inlines} />
          </p>
        ) : React.createElement(
            b.t,
            { key: i },
            b.items.map((it, j) => (
              <li key={j}>
                <Inlines xs={it} />
              </li>
            )),
          ),
      )}
    </div>
  );
}
