/**
 * Answer a quiz by running its scenario: the same steps as `run --scenario
 * FILE --json` with no --type (validate, build a Machine, step until idle,
 * summarize), so what the quiz calls the answer is what that command prints.
 */
import { Machine } from '../machine/machine.ts';
import { validateScenario, type ScenarioInput } from '../scenario/scenario.ts';
import { summarize, type MachineSummary } from '../machine/summary.ts';
import { eventToJson } from '../hw/event-json.ts';
import type { Answer, Ask, EventRecord } from './quiz-types.ts';

/** Quiz scenarios are a few dozen steps; this many quanta means a generator built a scenario that never settles. */
const MAX_QUANTA = 100_000;

export interface QuizRun {
  readonly summary: MachineSummary;
  readonly events: EventRecord[];
}

export function runScenario(input: ScenarioInput): QuizRun {
  // A JSON round trip first: the scenario is judged exactly as a file holding it would be.
  const r = validateScenario(JSON.parse(JSON.stringify(input)));
  if (!r.ok) throw new Error(`quiz scenario is invalid: ${r.error.message}`);
  const m = new Machine(r.value);
  let q = 0;
  while (m.step()) if (++q > MAX_QUANTA) throw new Error(`quiz scenario still running after ${MAX_QUANTA} quanta`);
  const events: EventRecord[] = [];
  for (let i = 0; i < m.events.count; i++) events.push(eventToJson(m.events.get(i), m.events.strings));
  return { summary: summarize(m), events };
}

/** guests[G].script[S][field] of a `--json` summary; "killed" is the step's kill reason, null when the guest lived through it. */
export function answerAt(summary: MachineSummary, ask: Ask): Answer {
  const step = summary.guests[ask.guest]?.script?.[ask.step];
  if (step === undefined) throw new Error(`the summary has no guests[${ask.guest}].script[${ask.step}]`);
  const v = step[ask.field];
  if (ask.field === 'killed') return typeof v === 'string' ? v : null;
  if (v === undefined) throw new Error(`guests[${ask.guest}].script[${ask.step}] has no ${ask.field} (${JSON.stringify(step)})`);
  return v as Answer;
}
