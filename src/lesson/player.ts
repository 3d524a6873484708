/**
 * The headless lesson player (issue #13): DOM-free and deterministic, the
 * same for `lesson check` and the page. Opening a lesson builds the Machine
 * from `start` as `run` does; `goTo(k)` leaves the machine in the state after
 * steps 0..k have each performed their `do`, in order, and returns step k's
 * report: its `show` resolved and every `expect` (and extension check)
 * evaluated. Going back to an earlier step replays from the start, so the
 * state of step k never depends on how it was reached.
 */
import type { Machine } from '../machine/machine.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { evaluateCheck, resolveShow, shownEvent } from './checks.ts';
import { stepExtension, type CheckResult, type StepContext } from './extensions.ts';
import { showMatch } from './match.ts';
import { startScenario, type Action, type Check, type Lesson } from './schema.ts';
import { makeRecording, type Recording } from '../trace/recording.ts';
import { LessonMachine, MoveError } from './timeline.ts';

export interface StepReport {
  /** 0-based step index. */
  readonly step: number;
  readonly ok: boolean;
  /** A failed `do` action first (if any), then the show, the expects in order, then extension checks. */
  readonly results: readonly CheckResult[];
  /** Events after the step: the machine shows the state after event #(count-1). */
  readonly count: number;
  /** The event the step shows (#index), -1 when none. */
  readonly shown: number;
}

export interface LessonPlayer {
  readonly lesson: Lesson;
  readonly scenario: Scenario;
  readonly steps: number;
  /** The step whose state the machine holds (-1 before the first goTo). */
  readonly step: number;
  /** The lesson's machine (read it; move it only through the player). */
  readonly machine: Machine;
  goTo(k: number): StepReport;
  /** Step k's checks (goes to step k). */
  checks(k: number): readonly CheckResult[];
  /**
   * Step k's state as a recording (the start scenario, the inputs typed so
   * far, `view` = the step's event count unless the machine settled at the
   * end): the page's session, a share link or `replay` reaches the very
   * state the player shows (goes to step k).
   */
  recording(k: number): Recording;
}

export function describeAction(a: Action): string {
  if ('type' in a) return `type ${JSON.stringify(a.type)} into guest ${a.guest}`;
  if ('run' in a) return a.run === 'idle' ? 'run idle' : `run until ${showMatch(a.run.until)}`;
  if ('step' in a) return `step ${a.step}`;
  return `back ${a.back}`;
}

function perform(lm: LessonMachine, a: Action): void {
  if ('type' in a) lm.type(a.guest, a.type);
  else if ('run' in a) {
    if (a.run === 'idle') lm.runIdle();
    else lm.runUntil(a.run.until);
  } else if ('step' in a) lm.step(a.step);
  else lm.back(a.back);
}

class Player implements LessonPlayer {
  readonly scenario: Scenario;
  private lm: LessonMachine;
  step = -1;

  constructor(readonly lesson: Lesson) {
    const s = startScenario(lesson);
    if (!s.ok) throw new Error(s.error.message);
    this.scenario = s.value;
    this.lm = new LessonMachine(this.scenario);
  }

  get steps(): number {
    return this.lesson.steps.length;
  }

  get machine(): Machine {
    return this.lm.m;
  }

  goTo(k: number): StepReport {
    if (!Number.isInteger(k) || k < 0 || k >= this.steps) throw new RangeError(`step ${k}: the lesson has steps 0..${this.steps - 1}`);
    if (k <= this.step) {
      this.lm = new LessonMachine(this.scenario);
      this.step = -1;
    }
    let report: StepReport | undefined;
    while (this.step < k) report = this.play(++this.step);
    return report!;
  }

  checks(k: number): readonly CheckResult[] {
    return this.goTo(k).results;
  }

  recording(k: number): Recording {
    const r = this.goTo(k);
    const source = 'preset' in this.lesson.start ? { preset: this.lesson.start.preset } : { scenario: this.scenario };
    // As the session records it: no event count when the timeline has settled at its end.
    return makeRecording(source, this.machine.inputLog, this.lm.settled ? undefined : r.count);
  }

  private play(k: number): StepReport {
    const step = this.lesson.steps[k];
    const lm = this.lm;
    const results: CheckResult[] = [];
    // `seen` covers the events this step passed over: from where it began, or from as far back as it went.
    let since = lm.count;
    for (const [j, a] of step.do.entries()) {
      try {
        perform(lm, a);
        since = Math.min(since, lm.count);
      } catch (e) {
        if (!(e instanceof MoveError)) throw e;
        results.push({ check: `do[${j}] ${describeAction(a)}`, ok: false, saw: e.message });
        break;
      }
    }
    lm.canonical();
    const m = lm.m;
    const shown = shownEvent(m, step.show);
    if (step.show) results.push(resolveShow(m, step.show));
    for (const c of step.expect) results.push(evaluateCheck(c, { m, since, shown }));
    const ctx: StepContext = {
      lesson: this.lesson,
      step: k,
      scenario: this.scenario,
      machine: m,
      evaluate: (c: Check, other: Machine, from = 0) => evaluateCheck(c, { m: other, since: from, shown: other.events.count - 1 }),
    };
    for (const [field, value] of Object.entries(step.extra)) {
      const ext = stepExtension(field);
      if (ext?.check) results.push(...ext.check(value, ctx));
    }
    return { step: k, ok: results.every((r) => r.ok), results, count: lm.count, shown };
  }
}

export function openLesson(lesson: Lesson): LessonPlayer {
  return new Player(lesson);
}
