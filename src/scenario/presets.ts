/**
 * Built-in presets (issue #3): console, block, net, bad-dma, and the
 * examples. The four core presets are written in the form validation gives
 * (defaults spelled out: presets.test.ts checks validateScenario returns
 * each unchanged), so the worker boots them without the schema and zod
 * (issue #15: the first load); the examples are source text, compiled and
 * validated like any file a user opens.
 */
import { packBind, writeDma, hcall, wait, writeText, readU32 } from '../guest/script-builders.ts';
import type { Scenario, ScenarioInput } from './scenario.ts';
import { EXAMPLE_PRESETS } from './example-presets.ts';

/** The shared page the bad-dma guests both map (above their RAM and device pages). */
const BAD_DMA_SHARED = 0x40000;

export const CORE_PRESETS: Readonly<Record<string, Scenario>> = {
  console: {
    name: 'console',
    description: 'One guest with only its console: output is SEND_DMA to key 0, input lands in the buffer it bound on key 0.',
    arch: 'i386',
    guests: [{ kernel: 'lguest' }],
  },
  block: {
    name: 'block',
    description: 'One guest with a 1 MiB disk: try `blk read 0`, `blk write 5 abc`, `blk read 5`.',
    arch: 'i386',
    guests: [
      {
        kernel: 'lguest',
        devices: [{ type: 'block', size: 1024 * 1024, sectors: { '0': 'Hello from the lguest block device! This text is sector 0 of a 1 MiB disk.\n' } }],
      },
    ],
  },
  net: {
    name: 'net',
    description: 'Two guests on one --sharenet network: try `ping 1` on guest 0.',
    arch: 'i386',
    guests: [
      { kernel: 'lguest', devices: [{ type: 'net', network: 'lan' }] },
      { kernel: 'lguest', devices: [{ type: 'net', network: 'lan' }] },
    ],
  },
  'bad-dma': {
    name: 'bad-dma',
    description:
      'Guest 0 binds a receive buffer on a shared key; guest 1 sends it a section that crosses a page boundary, and the Host kills guest 1 ("bad DMA entry") while guest 0 keeps running (spec §2.4 step 3a).',
    arch: 'i386',
    guests: [
      {
        kernel: 'script',
        memory: 0x20000,
        script: [...writeDma(0x2000, [{ addr: 0x3000, len: 256 }]), hcall('BIND_DMA', BAD_DMA_SHARED, 0x2000, packBind(1, 3)), wait, readU32(0x2000)],
      },
      {
        kernel: 'script',
        memory: 0x20000,
        script: [
          writeText(0x3f80, 'this section runs over the end of its page'),
          // 256 bytes from 0x3f80 cross the 0x4000 boundary: check_dma_list kills the sender.
          ...writeDma(0x2000, [{ addr: 0x3f80, len: 256 }]),
          hcall('SEND_DMA', BAD_DMA_SHARED, 0x2000),
          readU32(0x2000),
        ],
      },
    ],
    shared: [{ pages: 1, map: [{ guest: 0, gpa: BAD_DMA_SHARED }, { guest: 1, gpa: BAD_DMA_SHARED }] }],
  },
};

export const PRESETS: Readonly<Record<string, ScenarioInput>> = {
  ...CORE_PRESETS,
  // examples/*.src.json: scripted guests written in the line syntax.
  ...(EXAMPLE_PRESETS as Readonly<Record<string, ScenarioInput>>),
};

export const PRESET_NAMES = Object.keys(PRESETS);
