/**
 * The page (DESIGN.md sketch): controls and status on top; descriptor table
 * and DMA keys; console and inspector; the event log across the bottom.
 * Loads `?preset=NAME` (default console) at start and runs it, or the share
 * link in the URL's fragment (share.ts) when there is one.
 */
import React, { lazy, Suspense, useEffect, useState } from 'react';
import { ConsoleArea } from '../panels/editor/console-area.tsx';
import { Controls } from './controls.tsx';
import { DeviceTable } from '../panels/devices/device-table.tsx';
import { EventCaptionBar } from '../panels/caption/event-caption-bar.tsx';
import { EventLog } from '../panels/events/event-log.tsx';
import { FaultBanner } from './fault-banner.tsx';
import { HelpButton } from './help-button.tsx';
import { Inspector } from '../panels/inspector/inspector.tsx';
import { KeysPanel } from '../panels/keys/keys-panel.tsx';
import { KillBanner } from './kill-banner.tsx';
import { LinkErrorNotice } from '../share/link-error-notice.tsx';
import { ReplayProgressBar } from '../share/replay-progress.tsx';
import { useKeyboardShortcuts } from './keyboard-shortcuts.ts';
import { loadPreset } from '../client/session-actions.ts';
import { hashFragment, openLink, openSessionFile } from '../share/share.ts';
import { ShareButton } from '../share/share-button.tsx';
import type { SimClient } from '../client/sim-client.ts';
import { StatusBar } from './status-bar.tsx';
import { useUi } from '../store/store.ts';
import { Timeline } from '../timeline/timeline.tsx';
import { useLinkHash } from '../share/use-link-hash.ts';
import { SimClientContext } from '../client/use-shared-view.ts';
import { QuizButton } from '../quiz/quiz-button.tsx';
import { quizFromUrl } from '../quiz/quiz-format.ts';
import { useQuiz } from '../store/quiz-store.ts';
import { LessonPicker, PresenterControls } from '../lesson/lesson-controls.tsx';
import { lessonFromUrl } from '../lesson/lesson-source.ts';
import { useLesson } from '../lesson/lesson-store.ts';
import { usePresenter } from '../store/presenter-store.ts';
import { PanelLoading } from '../widgets/panel-loading.tsx';

// Issue #15: what the first screen does not show is fetched when it is first shown
// (the panels of a lesson or a quiz, the help overlay), so the first load stays small.
const LessonPanel = lazy(() => import('../lesson/lesson-panel.tsx').then((m) => ({ default: m.LessonPanel })));
const QuizPanel = lazy(() => import('../quiz/quiz-panel.tsx').then((m) => ({ default: m.QuizPanel })));
const HelpOverlay = lazy(() => import('./help-overlay.tsx').then((m) => ({ default: m.HelpOverlay })));

export function App({ client }: { client: SimClient }): React.JSX.Element {
  const [ready, setReady] = useState(false);
  const theme = useUi((s) => s.theme);
  const quizOpen = useQuiz((s) => s.open);
  const lessonOpen = useLesson((s) => s.lesson !== null);
  const presenter = usePresenter((s) => s.presenter);
  const helpOpen = useUi((s) => s.helpOpen);
  const scale = usePresenter((s) => s.scale);
  useKeyboardShortcuts(client);
  useLinkHash(client);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // The font scale (issue #13) is the root font size: every panel's text is in rem.
  useEffect(() => {
    document.documentElement.style.fontSize = scale === 1 ? '' : `${scale * 100}%`;
  }, [scale]);

  useEffect(() => {
    let live = true;
    const preset = new URLSearchParams(window.location.search).get('preset') ?? 'console';
    void (async () => {
      // `?quiz=SEED`: quiz mode (issue #14), its scenario paused before the asked step.
      const quiz = quizFromUrl(window.location.search);
      if (quiz && (await (await import('../quiz/quiz-actions.ts')).startQuiz(client, quiz.seed, quiz.opts))) {
        if (live) setReady(true);
        return;
      }
      // `?lesson=ID&step=K`: that lesson at that step (issue #13).
      const lesson = lessonFromUrl(window.location.search);
      if (lesson && (await (await import('../lesson/lesson-actions.ts')).openLessonById(client, lesson.id, lesson.step))) {
        if (live) setReady(true);
        return;
      }
      // A share link: replay it; a bad one is reported and the default session starts as usual.
      const fragment = hashFragment();
      if (fragment !== '' && (await openLink(client, fragment, preset === 'console' ? 'Showing the default console session instead.' : `Showing the ${preset} preset instead.`)) === 'opened') {
        if (live) setReady(true);
        return;
      }
      let ok = await loadPreset(client, preset);
      if (!ok && preset !== 'console') {
        const err = useUi.getState().loadError;
        ok = await loadPreset(client, 'console');
        useUi.getState().setLoadError(err);
      }
      if (live) setReady(ok);
    })();
    return () => {
      live = false;
    };
  }, [client]);

  return (
    <SimClientContext.Provider value={client}>
      <div className={`app ${presenter ? 'presenter' : ''}`} data-font-scale={scale} style={{ '--font-scale': scale } as React.CSSProperties}>
        <header>
          <Controls />
          <LessonPicker />
          <QuizButton />
          <ShareButton />
          <HelpButton />
          <PresenterControls />
          <StatusBar />
        </header>
        <Notices />
        {ready ? (
          <main className={`workspace ${lessonOpen && !quizOpen ? 'with-lesson' : ''}`}>
            {lessonOpen && !quizOpen && (
              <Suspense fallback={<PanelLoading name="lesson" className="lesson-panel" />}>
                <LessonPanel />
              </Suspense>
            )}
            {!quizOpen && <DeviceTable />}
            <KeysPanel />
            {quizOpen ? (
              <Suspense fallback={<PanelLoading name="quiz" className="quiz-panel" />}>
                <QuizPanel />
              </Suspense>
            ) : (
              <ConsoleArea />
            )}
            <Inspector />
            <Timeline />
            <EventLog />
          </main>
        ) : (
          <main className="loading">starting the simulated host…</main>
        )}
        {ready && <EventCaptionBar />}
        {helpOpen && (
          <Suspense fallback={null}>
            <HelpOverlay />
          </Suspense>
        )}
        <DropZone client={client} />
      </div>
    </SimClientContext.Provider>
  );
}

function Notices(): React.JSX.Element {
  const loadError = useUi((s) => s.loadError);
  const setLoadError = useUi((s) => s.setLoadError);
  return (
    <div className="notices">
      <FaultBanner />
      <LinkErrorNotice />
      <ReplayProgressBar />
      {loadError !== null && (
        <div className="load-error" role="alert" data-testid="load-error">
          <span>Could not load: {loadError}</span>
          <button type="button" className="small" onClick={() => setLoadError(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <KillBanner />
    </div>
  );
}

/** Drop a scenario JSON or a recording (.lguest.json) anywhere on the page. */
function DropZone({ client }: { client: SimClient }): React.JSX.Element | null {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') ?? false;
    const onOver = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = (e: DragEvent): void => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setOver(false);
      const f = e.dataTransfer?.files[0];
      if (f) void openSessionFile(client, f);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [client]);
  return over ? <div className="drop-overlay">drop a scenario JSON, a recording or a lesson to load it</div> : null;
}
