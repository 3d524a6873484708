/**
 * The extension point of the lesson format: a step may carry fields beyond
 * say/do/show/expect, each owned by a registered extension that gives its
 * schema (validated at `steps[K].<field>`, one line naming the place) and,
 * optionally, a checker that `lesson check` runs after the step's own
 * expects. The exercise of issue #14 is one: registered here loosely (an
 * object) until its owner registers the real schema and checker with
 * `registerStepExtension`, which replaces an extension of the same field.
 */
import { z } from 'zod';
import type { Machine } from '../machine/machine.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Check, Lesson } from './schema.ts';

/** One proved (or failed) claim of a step. */
export interface CheckResult {
  /** The check as a report names it, e.g. `memory 0x2000 u32 [13]`. */
  readonly check: string;
  readonly ok: boolean;
  /** What the simulator showed, said when the check fails (and kept when it holds). */
  readonly saw: string;
}

/** What an extension's checker may use; the machine is the lesson's, right after the step's `do`. */
export interface StepContext {
  readonly lesson: Lesson;
  /** 0-based step index. */
  readonly step: number;
  /** The scenario the lesson starts from (validated). */
  readonly scenario: Scenario;
  /** The lesson's machine after this step: read it, do not run it (build your own from `scenario`). */
  readonly machine: Machine;
  /**
   * Evaluate a CHECK (as in `expect`) against a machine, e.g. one built from
   * an edited scenario and run: `event`/`seen` look at the events from
   * `since` (default 0) to now; the shown event is the latest one.
   */
  evaluate(check: Check, machine: Machine, since?: number): CheckResult;
}

export interface StepExtension<T = unknown> {
  /** The step field it owns, e.g. "exercise". */
  readonly field: string;
  readonly schema: z.ZodType<T>;
  check?(value: T, ctx: StepContext): readonly CheckResult[];
}

const registry = new Map<string, StepExtension>();

export function registerStepExtension<T>(ext: StepExtension<T>): void {
  if (['say', 'do', 'show', 'expect'].includes(ext.field)) throw new Error(`step field ${ext.field} is part of the lesson format`);
  registry.set(ext.field, ext as StepExtension);
}

export function stepExtensions(): readonly StepExtension[] {
  return [...registry.values()];
}

export function stepExtension(field: string): StepExtension | undefined {
  return registry.get(field);
}

/** Issue #14's exercise, validated loosely here: an object with at most these fields. */
registerStepExtension({
  field: 'exercise',
  schema: z.looseObject({
    guest: z.union([z.number(), z.string()]).optional(),
    source: z.string().max(65536).optional(),
    solution: z.string().max(65536).optional(),
    goal: z.array(z.unknown()).max(50).optional(),
  }),
});
