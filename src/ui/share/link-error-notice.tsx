/** A share link that could not be opened (share.ts): what was wrong and what the page shows instead. */
import React from 'react';
import { useUi } from '../store/store.ts';

export function LinkErrorNotice(): React.JSX.Element | null {
  const e = useUi((s) => s.linkError);
  const set = useUi((s) => s.setLinkError);
  if (e === null) return null;
  // decodeLink's messages start "link: "; the sentence around them says that already.
  const what = e.message.replace(/^link: /, '').replace(/\.$/, '');
  return (
    <div className="load-error link-error" role="alert" data-testid="link-error">
      <span>
        <strong>This share link could not be opened:</strong> {what}. {e.instead}
      </span>
      <button type="button" className="small" onClick={() => set(null)} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
