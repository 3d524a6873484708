/**
 * lguest-lab's headless CLI: the same Machine the page runs, in Node.
 *   run     run a preset or scenario file (issue #3)
 *   abi     print the computed struct layouts (issue #3)
 *   quiz    one generated question, answered by running its scenario (issue #14)
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { abiCommand } from './abi-command.ts';
import { EXIT_USAGE, type CliIo } from './cli-io.ts';
import { runCommand } from './run-command.ts';
import { commandTable } from './commands.ts';

const io: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readFile: (p) => new Uint8Array(readFileSync(p)),
  writeFile: (p, d) => {
    if (typeof d === 'string' || d instanceof Uint8Array) return writeFileSync(p, d);
    const fd = openSync(p, 'w');
    try {
      for (const part of d) writeSync(fd, part);
    } finally {
      closeSync(fd);
    }
  },
};

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

process.exitCode = main(process.argv.slice(2));
