/**
 * "disk…" in the control strip: pick a disk image file for the current
 * scenario's first block device (disk-image-actions.ts). Any bytes are a
 * disk; the limit (64 MiB) is checked before the file is read.
 */
import React from 'react';
import { attachDiskImage } from './disk-image-actions.ts';
import { FilePickerButton } from './file-picker-button.tsx';
import { useSimClient } from '../client/use-shared-view.ts';

export function OpenDiskImage(): React.JSX.Element {
  const client = useSimClient();
  return (
    <FilePickerButton
      label="disk…"
      title="Open a disk image (at most 64 MiB) for this scenario's block device; the scenario restarts with it"
      buttonTestId="open-disk"
      inputTestId="disk-file"
      onFile={(f) => void attachDiskImage(client, f)}
    />
  );
}
