/**
 * Quiz mode (issue #14): the question beside the loaded scenario, which is
 * paused just before the events that decide it. Choosing grades at once;
 * then those events play and are highlighted in the event log, with the
 * explanation. "Another question" draws a new seed; the score is the session's.
 */
import React, { useEffect } from 'react';
import { usePickEvent } from '../panels/events/use-pick-event.ts';
import { useUi } from '../store/store.ts';
import { useSimClient } from '../client/use-shared-view.ts';
import type { QuizKind, QuizLevel } from '../../worker/api.ts';
import { answerLabel, QUIZ_KINDS, QUIZ_LEVELS } from './quiz-format.ts';
import { answerQuiz, closeQuiz, newSeed, sameAnswer, startQuiz } from './quiz-actions.ts';
import { useQuiz } from '../store/quiz-store.ts';
import './quiz.css';

export function QuizPanel(): React.JSX.Element {
  const client = useSimClient();
  const pick = usePickEvent();
  const { plan, chosen, loading, error, asked, right, playing, filter } = useQuiz();
  const sourceName = useUi((s) => s.sourceName);

  // Another session was loaded (a preset, a file, a link): quiz mode ends.
  useEffect(() => {
    if (plan && !loading && sourceName !== `quiz ${plan.quiz.seed}`) closeQuiz();
  }, [plan, loading, sourceName]);

  const q = plan?.quiz;
  const answered = chosen !== null && q !== undefined;
  const correct = answered && sameAnswer(q.choices[chosen], q.answer);
  return (
    <section className="panel quiz-panel" data-testid="quiz" data-seed={q?.seed ?? ''} data-kind={q?.kind ?? ''} aria-label="Quiz" aria-busy={loading}>
      <h2>
        Quiz
        {q && (
          <span className="sub">
            {q.kind} · {plan.level} · seed {q.seed}
          </span>
        )}
        <span className="quiz-score" data-testid="quiz-score" title="right answers / questions answered this session">
          score {right}/{asked}
        </span>
        <button type="button" className="small" onClick={closeQuiz} aria-label="Close the quiz">
          ✕
        </button>
      </h2>
      <div className="quiz-body">
        {error !== null && (
          <p className="quiz-error" role="alert">
            {error}
          </p>
        )}
        {loading && <p className="quiz-loading">drawing a question…</p>}
        {q && !loading && (
          <>
            <p className="quiz-question" data-testid="quiz-question">
              {q.question}
            </p>
            <div className="quiz-choices" role="group" aria-label="Choices">
              {q.choices.map((c, k) => {
                const isAnswer = sameAnswer(c, q.answer);
                const cls = !answered ? '' : isAnswer ? 'right' : k === chosen ? 'wrong' : 'dim';
                return (
                  <button
                    type="button"
                    key={k}
                    className={`quiz-choice ${cls}`}
                    data-testid="quiz-choice"
                    data-index={k}
                    aria-pressed={chosen === k}
                    disabled={answered}
                    onClick={() => void answerQuiz(client, k)}
                  >
                    <span className="quiz-letter">{String.fromCharCode(97 + k)}</span> {answerLabel(c, q.ask.field)}
                  </button>
                );
              })}
            </div>
            {answered && (
              <div className={`quiz-result ${correct ? 'right' : 'wrong'}`} data-testid="quiz-result" data-correct={String(correct)} role="status">
                <strong>{correct ? '✓ Right.' : '✗ Not this time.'}</strong> The simulator’s answer for guest {q.ask.guest}, step {q.ask.step}: <b>{answerLabel(q.answer, q.ask.field)}</b>
                {playing ? ' — playing the events that decided it…' : '.'}
                <p className="quiz-explain" data-testid="quiz-explain">
                  {q.explain}
                </p>
                <p className="quiz-events">
                  Deciding events:{' '}
                  {plan.decisive.map((i) => (
                    <button type="button" className="small" key={i} data-testid="quiz-event" onClick={() => pick(i)}>
                      {i}
                    </button>
                  ))}
                </p>
              </div>
            )}
          </>
        )}
      </div>
      <div className="quiz-actions">
        <label>
          kind{' '}
          <select data-testid="quiz-kind" value={filter.kind ?? ''} onChange={(e) => useQuiz.setState({ filter: { ...filter, kind: (e.target.value || undefined) as QuizKind | undefined } })}>
            <option value="">any</option>
            {QUIZ_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          level{' '}
          <select data-testid="quiz-level" value={filter.level ?? ''} onChange={(e) => useQuiz.setState({ filter: { ...filter, level: (e.target.value || undefined) as QuizLevel | undefined } })}>
            <option value="">any</option>
            {QUIZ_LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="quiz-next" disabled={loading} onClick={() => void startQuiz(client, newSeed(), filter)}>
          Another question
        </button>
      </div>
    </section>
  );
}
