/**
 * What the console area does for the script editor whether or not the
 * editor is open: keep its texts on the session shown, and open the
 * exercise a `?exercise=LESSON:STEP` URL names. The editor panel itself is
 * a chunk of its own, fetched when it is first shown (issue #15).
 */
import { useEffect } from 'react';
import { baseScenario } from '../../files/disk-image-actions.ts';
import type { FrameViews } from '../../client/frame-views.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useSharedView, useSimClient } from '../../client/use-shared-view.ts';
import { useEditor } from './editor-store.ts';

const decodeGeneration = (_v: FrameViews, c: SimClient): number => c.sessionGeneration;

/** Keep the editor's texts on the session shown: on each new session, read its scenario from the recording. */
export function useEditorSession(): void {
  const client = useSimClient();
  const generation = useSharedView(decodeGeneration, -1);
  useEffect(() => {
    if (generation < 0 || generation === useEditor.getState().generation) return;
    let live = true;
    client.api
      .recording()
      .then(async (rec) => {
        const base = await baseScenario(client, rec);
        // Only a scripted guest has a source to show; printing one is the editor's code, fetched for it (issue #15).
        const scripted = base?.guests.some((g) => g.kernel === 'script') ?? false;
        const loaded = base && scripted ? (await import('./script-session.ts')).loadedSources(base) : (base?.guests.map(() => null) ?? []);
        if (live) useEditor.getState().adoptSession(generation, base, rec.inputs, loaded);
      })
      .catch(() => undefined); // a worker with nothing loaded (being replaced): the next session will tell
    return () => {
      live = false;
    };
  }, [client, generation]);
}

/** `?exercise=LESSON:STEP`: open that exercise once the page starts (its actions load with it). */
export function useExerciseFromUrl(): void {
  const client = useSimClient();
  useEffect(() => {
    const want = new URLSearchParams(window.location.search).get('exercise');
    const m = want ? /^([\w-]{1,64}):(\d{1,3})$/.exec(want) : null;
    if (m) void import('./exercise-actions.ts').then((a) => a.openExercise(client, m[1], Number(m[2])));
  }, [client]);
}
