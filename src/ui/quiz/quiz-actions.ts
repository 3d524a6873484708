/**
 * Quiz mode's actions: draw a question in the worker, load its scenario
 * paused just before the events that decide it, grade an answer, then play
 * those events one by one (issue #14).
 */
import type { Answer, QuizOptions, QuizPlan } from '../../worker/api.ts';
import { adopt } from '../client/session-actions.ts';
import type { SimClient } from '../client/sim-client.ts';
import { useUi } from '../store/store.ts';
import { useQuiz } from '../store/quiz-store.ts';
import { quizSearch } from './quiz-format.ts';

export { quizFromUrl } from './quiz-format.ts';

/** Pause between the events played after an answer (ms), so each can be seen arriving. */
const PLAY_MS = 250;

export const sameAnswer = (a: Answer, b: Answer): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A fresh seed for "Another question" (the page may use the browser's randomness; the simulation never does). */
export function newSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000;
}

let token = 0;

/** Open question `seed`: load its scenario and show the state just before its first deciding event. */
export async function startQuiz(client: SimClient, seed: number, opts: QuizOptions = {}): Promise<boolean> {
  const mine = ++token;
  useQuiz.setState({ open: true, loading: true, error: null, chosen: null, playing: false, highlight: [], filter: opts });
  let plan: QuizPlan;
  try {
    plan = await client.api.quiz(seed, opts);
  } catch (e) {
    useQuiz.setState({ loading: false, error: `could not make quiz ${seed}: ${(e as Error).message}` });
    return false;
  }
  if (mine !== token) return false;
  const r = await client.load({ kind: 'scenario', text: JSON.stringify(plan.quiz.scenario), fileName: `quiz ${seed}` });
  if (!(await adopt(client, r, `quiz ${seed}`, { run: false }))) {
    useQuiz.setState({ loading: false, error: r.ok ? 'could not load the quiz scenario' : r.error });
    return false;
  }
  await client.api.seek(plan.pauseAt);
  if (mine !== token) return false;
  useQuiz.setState({ plan, loading: false });
  const url = new URL(window.location.href);
  url.search = quizSearch(seed, opts);
  window.history.replaceState(null, '', url);
  return true;
}

/** Grade choice `k` at once, then play the deciding events one at a time and highlight them. */
export async function answerQuiz(client: SimClient, k: number): Promise<void> {
  const { plan, chosen } = useQuiz.getState();
  if (!plan || chosen !== null) return;
  const correct = sameAnswer(plan.quiz.choices[k], plan.quiz.answer);
  const mine = token;
  useQuiz.setState((s) => ({ chosen: k, asked: s.asked + 1, right: s.right + (correct ? 1 : 0), playing: true, highlight: plan.decisive }));
  const last = plan.decisive.length > 0 ? plan.decisive[plan.decisive.length - 1] : plan.pauseAt;
  for (let shown = plan.pauseAt; shown <= last; shown++) {
    await new Promise((res) => setTimeout(res, PLAY_MS));
    if (mine !== token) return;
    await client.api.seek(shown + 1);
  }
  useUi.getState().selectEvent(plan.decisive[0] ?? null);
  useQuiz.setState({ playing: false });
}

export function closeQuiz(): void {
  token++;
  useQuiz.setState({ open: false, plan: null, chosen: null, playing: false, highlight: [], error: null, loading: false });
  const url = new URL(window.location.href);
  for (const k of ['quiz', 'kind', 'level']) url.searchParams.delete(k);
  window.history.replaceState(null, '', url);
}
