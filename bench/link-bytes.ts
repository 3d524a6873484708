/**
 * `link_bytes_per_min` (issue #5, #6): a console session typed at 5
 * keystrokes per second for ten minutes (3000 keystrokes of shell commands,
 * each landing once the guest has settled, as a person types), recorded and
 * encoded as a share link. Target: the ten-minute link fits in 2 KB.
 */
import { Machine } from '../src/machine/machine.ts';
import { PRESETS } from '../src/scenario/presets.ts';
import { validateScenario } from '../src/scenario/scenario.ts';
import { encodeLink, decodeLink } from '../src/trace/link.ts';
import { makeRecording, recordingScenario } from '../src/trace/recording.ts';
import { figure, type Benchmark } from './benchmark.ts';

const KEYS_PER_SECOND = 5;
const MINUTES = 10;
/** Commands a student types in the console preset; `echo` lines get varied words so the text does not repeat. */
const COMMANDS = ['help', 'dmesg', 'devices', 'ifconfig', 'blk size'];
const WORDS =
  'the guest sends a buffer to its host with send dma and binds buffers with bind dma keys are guest physical addresses in the device page used len says how many bytes arrived an interrupt tells the guest to look the launcher handles the console block and network devices a bad address gets the guest killed with a reason while the rest keeps running'.split(
    ' ',
  );

/** A deterministic mix of shell commands and echo lines of 3 to 9 pseudo-random words. */
function typedSession(keystrokes: number): string {
  let s = '';
  let x = 12345;
  const next = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  while (s.length < keystrokes) {
    if (next(4) === 0) s += `${COMMANDS[next(COMMANDS.length)]}\r`;
    else {
      const words: string[] = [];
      const n = 3 + next(7);
      for (let k = 0; k < n; k++) words.push(WORDS[next(WORDS.length)]);
      s += `echo ${words.join(' ')}\r`;
    }
  }
  return s.slice(0, keystrokes);
}

export const linkBytes: Benchmark = {
  name: 'link_bytes',
  summary: 'share-link bytes per minute of typing at 5 keystrokes/s (a 10-minute session should fit in 2 KB)',
  targets: [],
  run(opts) {
    const minutes = MINUTES * Math.min(1, opts.scale ?? 1);
    const sc = validateScenario(PRESETS.console);
    if (!sc.ok) throw new Error(sc.error.message);
    const m = new Machine(sc.value, { alloc: (n) => new ArrayBuffer(n) });
    m.runUntilIdle();
    const keys = Array.from(typedSession(Math.max(20, Math.round(KEYS_PER_SECOND * 60 * minutes))));
    for (const key of keys) {
      m.typeInput(0, key);
      m.runUntilIdle();
    }
    const link = encodeLink(makeRecording({ preset: 'console' }, m.inputLog));
    // The link must replay to what was typed: same memory, same console.
    const back = decodeLink(link);
    if (!back.ok) throw new Error(back.error.message);
    const rs = recordingScenario(back.value);
    if (!rs.ok) throw new Error(rs.error.message);
    const r = new Machine(rs.value, { alloc: (n) => new ArrayBuffer(n) });
    r.runUntilIdle();
    if (r.hash() !== m.hash()) throw new Error('link_bytes: the link does not replay to the same state');
    const bytes = link.length;
    return {
      link_bytes_per_min: figure('bytes/min', [bytes / minutes]),
      link_bytes_10min: figure('bytes', [bytes]),
      link_workload: `${keys.length} keystrokes (${minutes} min at ${KEYS_PER_SECOND}/s) of shell commands into the console preset; the link replays to the same memory hash`,
    };
  },
};
