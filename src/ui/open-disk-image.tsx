/**
 * "disk…" in the control strip: pick a disk image file for the current
 * scenario's first block device (disk-image-actions.ts). Any bytes are a
 * disk; the limit (64 MiB) is checked before the file is read.
 */
import React, { useRef } from 'react';
import { attachDiskImage } from './disk-image-actions.ts';
import { useSimClient } from './use-shared-view.ts';

export function OpenDiskImage(): React.JSX.Element {
  const client = useSimClient();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" data-testid="open-disk" onClick={() => input.current?.click()} title="Open a disk image (at most 64 MiB) for this scenario's block device; the scenario restarts with it">
        disk…
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="disk-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void attachDiskImage(client, f);
        }}
      />
    </>
  );
}
