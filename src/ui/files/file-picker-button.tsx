/** A button that opens the browser's file picker and hands the chosen file on (one per kind of file the page opens). */
import React, { useRef } from 'react';

export interface FilePickerButtonProps {
  readonly label: string;
  readonly title: string;
  readonly buttonTestId: string;
  readonly inputTestId: string;
  readonly accept?: string;
  readonly onFile: (file: File) => void;
}

export function FilePickerButton(p: FilePickerButtonProps): React.JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" data-testid={p.buttonTestId} onClick={() => input.current?.click()} title={p.title}>
        {p.label}
      </button>
      <input
        ref={input}
        type="file"
        accept={p.accept}
        hidden
        data-testid={p.inputTestId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          // Cleared so picking the same file again still fires a change.
          e.target.value = '';
          if (f) p.onFile(f);
        }}
      />
    </>
  );
}
