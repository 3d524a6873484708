/**
 * The control strip: preset picker, run / pause / step / step back, speed,
 * reset, open a scenario file, theme.
 */
import React, { useEffect, useState } from 'react';
import type { FrameViews } from '../client/frame-views.ts';
import { decodeLive } from '../client/struct-decoders.ts';
import { FilePickerButton } from '../files/file-picker-button.tsx';
import { OpenDiskImage } from '../files/open-disk-image.tsx';
import { loadPreset, resetSession } from '../client/session-actions.ts';
import { openSessionFile } from '../share/share.ts';
import { useUi } from '../store/store.ts';
import { jumpTo } from './jump.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';
import type { EventFilter } from '../../worker/api.ts';

/** Speeds offered (events per second; 0 = as fast as the worker goes). */
const SPEEDS: readonly (readonly [number, string])[] = [
  [0, 'max'],
  [10_000, '10k ev/s'],
  [1_000, '1k ev/s'],
  [100, '100 ev/s'],
  [10, '10 ev/s'],
  [5, '5 ev/s'],
  [2, '2 ev/s'],
  [1, '1 ev/s'],
];

/** The grains the ◂ / ▸ jump buttons step by: filters on the JSON-lines fields (api.goToMatch); `key` is its shortcut (Shift: back). */
export function jumpGrains(guests: number): { id: string; label: string; key?: string; filter: EventFilter }[] {
  return [
    { id: 'hcall', label: 'hypercall', key: 'h', filter: { kind: 'hcall' } },
    { id: 'dma', label: 'DMA transfer', key: 'd', filter: { kind: 'dma' } },
    { id: 'irq', label: 'interrupt', key: 'i', filter: { kind: 'irq_deliver' } },
    ...Array.from({ length: guests }, (_, g) => ({ id: `guest${g}`, label: `guest ${g} event`, filter: { guest: g } })),
  ];
}

/**
 * Where the shown state is, for the time-travel buttons' disabled states: at
 * the start (view = info.start, nothing earlier can be shown) back is
 * disabled; at the latest event forward is, unless the run can still go on
 * (running, or not idle: a step there runs the next event).
 */
/** How long "no later interrupt" stays up (ms). */
const JUMP_NOTICE_MS = 4000;

const decodeNav = (v: FrameViews): { running: boolean; atStart: boolean; atEnd: boolean; canRunOn: boolean } => {
  const live = decodeLive(v);
  const atEnd = live.view >= live.recorded;
  return { running: live.running, atStart: live.view <= v.info.start, atEnd, canRunOn: !atEnd || !live.idle };
};

export function Controls(): React.JSX.Element {
  const client = useSimClient();
  const { running, atStart, atEnd, canRunOn } = useSharedView(decodeNav, { running: false, atStart: false, atEnd: false, canRunOn: true });
  const [presets, setPresets] = useState<{ name: string; description: string }[]>([]);
  const [grain, setGrain] = useState('hcall');
  const grains = jumpGrains(client.info?.guests.length ?? 1);
  const chosen = grains.find((x) => x.id === grain) ?? grains[0];
  const jump = (direction: 'next' | 'prev'): void => void jumpTo(client, chosen.filter, direction, chosen.label);
  const jumpNotice = useUi((s) => s.jumpNotice);
  const setJumpNotice = useUi((s) => s.setJumpNotice);
  // The notice says what the last jump did: it goes when a jump lands, or after a few seconds.
  useEffect(() => {
    if (jumpNotice === null) return;
    const t = setTimeout(() => setJumpNotice(null), JUMP_NOTICE_MS);
    return () => clearTimeout(t);
  }, [jumpNotice, setJumpNotice]);
  const sourceName = useUi((s) => s.sourceName);
  const speed = useUi((s) => s.speed);
  const setSpeed = useUi((s) => s.setSpeed);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);

  useEffect(() => {
    let live = true;
    void client.api.presets().then((p) => live && setPresets(p));
    return () => {
      live = false;
    };
  }, [client]);

  const isPreset = presets.some((p) => p.name === sourceName);
  const description = presets.find((p) => p.name === sourceName)?.description ?? client.info?.description ?? '';
  return (
    <div className="controls" role="toolbar" aria-label="Simulation controls">
      <h1 className="brand">lguest-lab</h1>
      <select
        data-testid="preset-picker"
        aria-label="Preset"
        value={isPreset ? sourceName : ''}
        title={description}
        onChange={(e) => {
          if (e.target.value) void loadPreset(client, e.target.value);
        }}
      >
        {!isPreset && <option value="">{sourceName || '…'}</option>}
        {presets.map((p) => (
          <option key={p.name} value={p.name} title={p.description}>
            {p.name}
          </option>
        ))}
      </select>
      <button type="button" data-testid="run" className={running ? 'active' : ''} onClick={() => void client.api.run()} title="Run (space)">
        ▶ run
      </button>
      <button type="button" data-testid="pause" className={running ? '' : 'active'} onClick={() => void client.api.pause()} title="Pause (space)">
        ❚❚ pause
      </button>
      <span className="nav" role="group" aria-label="Time travel">
        <button type="button" data-testid="go-start" disabled={atStart} onClick={() => void client.api.goToStart()} title="Go to the start (Home)" aria-label="Go to the start">
          |◂
        </button>
        <button type="button" data-testid="step-back" disabled={atStart} onClick={() => void client.api.stepBack()} title="Step back one event (, or ←)">
          ◂ back
        </button>
        <button type="button" data-testid="step" disabled={!canRunOn} onClick={() => void client.api.step()} title="Step forward one event (. or →)">
          step ▸
        </button>
        <button type="button" data-testid="go-end" disabled={atEnd} onClick={() => void client.api.goToEnd()} title="Go to the latest event (End)" aria-label="Go to the latest event">
          ▸|
        </button>
        <button
          type="button"
          data-testid="jump-prev"
          disabled={atStart}
          onClick={() => jump('prev')}
          title={`Previous ${chosen.label}${chosen.key ? ` (${chosen.key.toUpperCase()}, i.e. Shift+${chosen.key})` : ''}`}
          aria-label={`Previous ${chosen.label}`}
        >
          ◂
        </button>
        <select data-testid="jump-kind" aria-label="Jump by" title="What ◂ and ▸ jump to (keys: h / H hypercall, d / D DMA transfer, i / I interrupt)" value={grain} onChange={(e) => setGrain(e.target.value)}>
          {grains.map((g) => (
            <option key={g.id} value={g.id}>
              {g.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="jump-next"
          disabled={!canRunOn}
          onClick={() => jump('next')}
          title={`Next ${chosen.label}${chosen.key ? ` (${chosen.key})` : ''}`}
          aria-label={`Next ${chosen.label}`}
        >
          ▸
        </button>
        <span className="dim" role="status" data-testid="jump-notice">
          {jumpNotice}
        </span>
      </span>
      <select
        data-testid="speed"
        aria-label="Speed"
        value={speed}
        onChange={(e) => {
          const s = Number(e.target.value);
          setSpeed(s);
          void client.api.setSpeed(s);
        }}
      >
        {SPEEDS.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" data-testid="reset" onClick={() => void resetSession(client)} title="Reload the scenario from the start">
        ↺ reset
      </button>
      <FilePickerButton
        label="open…"
        title="Open a scenario JSON or a recording .lguest.json (or drop one on the page)"
        buttonTestId="open-scenario"
        inputTestId="scenario-file"
        accept=".json,application/json"
        onFile={(f) => void openSessionFile(client, f)}
      />
      <OpenDiskImage />
      <button type="button" className="theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} title="Dark / light theme">
        {theme === 'dark' ? '☾' : '☀'}
      </button>
    </div>
  );
}
