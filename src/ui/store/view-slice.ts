/**
 * The view slice of the UI store: theme, speed, which tab each area shows,
 * notices. Only the theme is persisted (localStorage); the URL carries the preset.
 */
import type { StateCreator } from 'zustand';

export type Theme = 'dark' | 'light';
/** The tabs of the inspector area (right of the console). */
export type InspectorTab = 'block' | 'net' | 'workbench' | 'bytes';

export interface ViewSlice {
  theme: Theme;
  /** Events per second; 0 = as fast as the worker goes. */
  speed: number;
  inspector: InspectorTab;
  /** Console tab when there are more guests than the split view shows. */
  consoleGuest: number;
  /** The event log keeps the newest event in view. */
  followLog: boolean;
  /** The last scenario load that failed (the session kept running what it had). */
  loadError: string | null;
  /** Name of the loaded preset, or of the scenario file. */
  sourceName: string;
  /** "no later interrupt": the last jump by kind found nothing (app/jump.ts); null once one lands. */
  jumpNotice: string | null;
  setTheme(t: Theme): void;
  setSpeed(s: number): void;
  setInspector(t: InspectorTab): void;
  setConsoleGuest(g: number): void;
  setFollowLog(f: boolean): void;
  setLoadError(e: string | null): void;
  setSourceName(n: string): void;
  setJumpNotice(n: string | null): void;
}

const prefersLight = (): boolean => typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches;

/** The theme a person picked is remembered across reloads (issue #10); storage may be unavailable (private mode). */
const THEME_KEY = 'lguest-lab.theme';
function storedTheme(): Theme | null {
  try {
    const t = globalThis.localStorage?.getItem(THEME_KEY);
    return t === 'dark' || t === 'light' ? t : null;
  } catch {
    return null;
  }
}
function storeTheme(t: Theme): void {
  try {
    globalThis.localStorage?.setItem(THEME_KEY, t);
  } catch {
    /* not remembered: the page still switches */
  }
}

export const createViewSlice: StateCreator<ViewSlice, [], [], ViewSlice> = (set) => ({
  theme: storedTheme() ?? (prefersLight() ? 'light' : 'dark'),
  speed: 0,
  inspector: 'bytes',
  consoleGuest: 0,
  followLog: true,
  loadError: null,
  sourceName: '',
  jumpNotice: null,
  setTheme: (theme) => {
    storeTheme(theme);
    set({ theme });
  },
  setSpeed: (speed) => set({ speed }),
  setInspector: (inspector) => set({ inspector }),
  setConsoleGuest: (consoleGuest) => set({ consoleGuest }),
  setFollowLog: (followLog) => set({ followLog }),
  setLoadError: (loadError) => set({ loadError }),
  setSourceName: (sourceName) => set({ sourceName }),
  setJumpNotice: (jumpNotice) => set({ jumpNotice }),
});
