/**
 * One xterm.js terminal per guest, bound to LGUEST_CONSOLE_DMA_KEY: it shows
 * exactly the bytes the guest sent to key 0 (the Launcher's stdout, fetched
 * with api.console by the client loop), and what is typed goes to the
 * Launcher's console input path (api.typeInput). Fits its box on resize.
 *
 * Tab, Shift+Tab and Esc go to the guest (a shell needs them), so the way out
 * is telnet's escape: Ctrl+] moves focus to the next panel (WCAG 2.1.2, no
 * keyboard trap), as the terminal's label says.
 */
import { FitAddon } from '@xterm/addon-fit';
import { type ITheme, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import React, { useEffect, useRef } from 'react';
import { ConsoleInputStatus } from './console-input-status.tsx';
import type { FrameViews } from '../../client/frame-views.ts';
import { useUi } from '../../store/store.ts';
import type { Theme } from '../../store/view-slice.ts';
import { TERM_FONT_PX, usePresenter } from '../../store/presenter-store.ts';
import { useSharedView, useSimClient } from '../../client/use-shared-view.ts';
import './console.css';

/** Up to this many guests the consoles sit side by side; more get tabs. */
const SPLIT_MAX = 2;

const THEMES: Readonly<Record<Theme, ITheme>> = {
  dark: { background: '#0d1117', foreground: '#d6dde6', cursor: '#7ee787', selectionBackground: '#264f78' },
  light: { background: '#fbfbf8', foreground: '#1f2328', cursor: '#1a7f37', selectionBackground: '#b6d7ff' },
};

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focus the first focusable element after `from` (outside it) in document order, wrapping around. */
export function focusAfter(from: Element): void {
  const all = [...document.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => !from.contains(e) && e.offsetParent !== null);
  const next = all.find((e) => (from.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0) ?? all[0];
  next?.focus();
}

const consoleLabel = (guest: number): string => `guest ${guest} console: keys go to the guest, Tab and Esc included; press Ctrl+] to leave to the next panel`;

const decodeGuests = (v: FrameViews): { index: number; kernel: string }[] => v.info.guests.map((g) => ({ index: g.index, kernel: g.kernel }));

export function ConsolePanel(): React.JSX.Element {
  const guests = useSharedView(decodeGuests, []);
  const tab = useUi((s) => s.consoleGuest);
  const setTab = useUi((s) => s.setConsoleGuest);
  const split = guests.length <= SPLIT_MAX;
  const shown = Math.min(tab, Math.max(0, guests.length - 1));
  return (
    <section className="panel console-panel" aria-label="Consoles">
      <h2>
        Console <span className="sub">key 0 (LGUEST_CONSOLE_DMA_KEY)</span>
        {!split && (
          <span className="tabs" role="tablist">
            {guests.map((g) => (
              <button type="button" role="tab" key={g.index} aria-selected={g.index === shown} className={g.index === shown ? 'active' : ''} onClick={() => setTab(g.index)}>
                guest {g.index}
              </button>
            ))}
          </span>
        )}
      </h2>
      <div className={`panel-body consoles ${split ? 'split' : 'tabbed'}`}>
        {guests.map((g) => (
          <div key={g.index} className={`console-cell ${split || g.index === shown ? '' : 'hidden'} ${g.kernel === 'script' ? 'scripted' : ''}`}>
            {split && guests.length > 1 && <div className="console-label">guest {g.index}</div>}
            {g.kernel === 'script' && <div className="console-label dim">guest {g.index} is scripted: it prints nothing</div>}
            <GuestTerminal guest={g.index} />
            <ConsoleInputStatus guest={g.index} />
          </div>
        ))}
      </div>
    </section>
  );
}

function GuestTerminal({ guest }: { guest: number }): React.JSX.Element {
  const client = useSimClient();
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fits = useRef<() => void>(() => {});
  const theme = useUi((s) => s.theme);
  const scale = usePresenter((s) => s.scale);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const t = new Terminal({
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      // xterm sizes in pixels: the page's font scale (presenter mode) by hand.
      fontSize: TERM_FONT_PX * usePresenter.getState().scale,
      scrollback: 5000,
      cursorBlink: false,
      theme: THEMES[useUi.getState().theme],
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(el);
    term.current = t;
    fits.current = () => {
      if (el.offsetWidth > 0 && el.offsetHeight > 0) fit.fit();
    };
    t.textarea?.setAttribute('aria-label', consoleLabel(guest));
    t.attachCustomKeyEventHandler((e) => {
      if (e.type === 'keydown' && e.ctrlKey && !e.altKey && !e.metaKey && (e.key === ']' || e.code === 'BracketRight')) {
        e.preventDefault();
        focusAfter(el);
        return false;
      }
      return true;
    });
    const refit = (): void => {
      if (el.offsetWidth > 0 && el.offsetHeight > 0) fit.fit();
    };
    refit();
    const ro = new ResizeObserver(refit);
    ro.observe(el);
    const input = t.onData((data) => client.typeInput(guest, data));
    const detach = client.attachConsole(guest, { write: (b) => t.write(b), clear: () => t.reset() });
    return () => {
      detach();
      input.dispose();
      ro.disconnect();
      term.current = null;
      t.dispose();
    };
  }, [client, guest]);
  useEffect(() => {
    if (term.current) term.current.options.theme = THEMES[theme];
  }, [theme]);
  useEffect(() => {
    const t = term.current;
    if (!t || t.options.fontSize === TERM_FONT_PX * scale) return;
    t.options.fontSize = TERM_FONT_PX * scale;
    fits.current();
  }, [scale]);
  return <div className="term-box" ref={box} data-testid="console" data-guest={guest} role="group" aria-label={consoleLabel(guest)} />;
}
