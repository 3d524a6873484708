/**
 * lguest-lab's headless CLI: the same Machine the page runs, in Node.
 *   run     run a preset or scenario file (issue #3)
 *   abi     print the computed struct layouts (issue #3)
 *   quiz    one generated question, answered by running its scenario (issue #14)
 */
import { abiCommand } from './abi-command.ts';
import { EXIT_USAGE } from './cli-io.ts';
import { nodeIo as io } from './node-io.ts';
import { runCommand } from './run-command.ts';
import { commandTable } from './commands.ts';

function main(argv: readonly string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'abi') {
    const r = abiCommand(rest);
    io.stdout(r.stdout);
    io.stderr(r.stderr);
    return r.code;
  }
  if (cmd === 'run') return runCommand(rest, io);
  const extra = commandTable[cmd ?? ''];
  if (extra) return extra(rest, io);
  io.stderr(`usage: cli (run | abi${Object.keys(commandTable).map((k) => ` | ${k}`).join('')}) ...\n`);
  return EXIT_USAGE;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // Never a stack trace (issue #11): one line; the commands name their input problems themselves.
  io.stderr(`lguest-lab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
