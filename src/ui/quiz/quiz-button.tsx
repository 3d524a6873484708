/**
 * The header's way into quiz mode (issue #14). The quiz panel, its actions
 * and the worker's generator are chunks of their own, fetched when the first
 * quiz starts (issue #15: the first load carries only the first screen).
 */
import React from 'react';
import { useSimClient } from '../client/use-shared-view.ts';
import { useQuiz } from '../store/quiz-store.ts';

export function QuizButton(): React.JSX.Element {
  const client = useSimClient();
  const open = useQuiz((s) => s.open);
  const start = async (): Promise<void> => {
    const { newSeed, startQuiz } = await import('./quiz-actions.ts');
    await startQuiz(client, newSeed());
  };
  return (
    <button type="button" data-testid="quiz-open" className={open ? 'active' : ''} onClick={() => void start()} title="Quiz mode: a generated question, graded by the simulator">
      quiz
    </button>
  );
}
