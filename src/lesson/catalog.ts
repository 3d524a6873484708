/**
 * The built-in lessons, in the journey's order (issue #13). Each is a JSON
 * file in public/lessons/, served as a static file so the page fetches a
 * lesson only when it is opened (never in the initial bundle); the CLI reads
 * the same files from disk. A test keeps this list and the folder in step.
 */
export interface CatalogEntry {
  readonly id: string;
  /** File name in public/lessons/ (the page fetches `lessons/<file>` under its base URL). */
  readonly file: string;
}

export const LESSON_CATALOG: readonly CatalogEntry[] = [
  { id: 'lguest-bus', file: '01-lguest-bus.json' },
  { id: 'console-output', file: '02-console-output.json' },
  { id: 'console-input', file: '03-console-input.json' },
  { id: 'block-device', file: '04-block-device.json' },
  { id: 'network', file: '05-network.json' },
  { id: 'receivers-full', file: '06-receivers-full.json' },
  { id: 'breaking-the-rules', file: '07-breaking-the-rules.json' },
  { id: 'workbench', file: '08-workbench.json' },
];

export const lessonEntry = (id: string): CatalogEntry | undefined => LESSON_CATALOG.find((e) => e.id === id);
