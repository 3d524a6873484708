/** Further CLI commands, registered by name. */
import type { CliIo } from './cli-io.ts';
import { lessonCommand } from './lesson-command.ts';
import { linkCommand, replayCommand } from './link-command.ts';
import { quizCommand } from './quiz-command.ts';

export const commandTable: Record<string, (args: readonly string[], io: CliIo) => number> = {
  link: linkCommand,
  replay: replayCommand,
  quiz: quizCommand,
  lesson: lessonCommand,
};
