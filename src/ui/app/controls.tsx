/**
 * The control strip: preset picker, run / pause / step / step back, speed,
 * reset, open a scenario file, theme.
 */
import React, { useEffect, useState } from 'react';
import { type FrameViews, liveAt } from '../client/frame-views.ts';
import { FilePickerButton } from '../files/file-picker-button.tsx';
import { OpenDiskImage } from '../files/open-disk-image.tsx';
import { loadPreset, resetSession } from '../client/session-actions.ts';
import { openSessionFile } from '../share/share.ts';
import { useUi } from '../store/store.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';

/** Speeds offered (events per second; 0 = as fast as the worker goes). */
const SPEEDS: readonly (readonly [number, string])[] = [
  [0, 'max'],
  [100_000, '100k ev/s'],
  [10_000, '10k ev/s'],
  [1_000, '1k ev/s'],
  [100, '100 ev/s'],
  [10, '10 ev/s'],
  [2, '2 ev/s'],
];

const decodeRunning = (v: FrameViews): boolean => liveAt(v, 'running') !== 0;

export function Controls(): React.JSX.Element {
  const client = useSimClient();
  const running = useSharedView(decodeRunning, false);
  const [presets, setPresets] = useState<{ name: string; description: string }[]>([]);
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
      <span className="brand">lguest-lab</span>
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
      <button type="button" data-testid="step-back" onClick={() => void client.api.stepBack()} title="Step back one event (, or ←)">
        ◂ back
      </button>
      <button type="button" data-testid="step" onClick={() => void client.api.step()} title="Step one event (. or →)">
        step ▸
      </button>
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
