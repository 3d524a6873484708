/**
 * The examples/ scenarios in the script line syntax, offered as presets
 * (issue #14: "the examples are in the preset picker, no file chooser
 * needed"; `run --preset bind-and-send` too). The files are the single
 * copy: examples.test.ts checks each against its JSON twin.
 */
import badKey from '../../examples/bad-key.src.json' with { type: 'json' };
import bindAndSend from '../../examples/bind-and-send.src.json' with { type: 'json' };
import getdmaQuirk from '../../examples/getdma-quirk.src.json' with { type: 'json' };
import irqOrder from '../../examples/irq-order.src.json' with { type: 'json' };
import pingEmptyDma from '../../examples/ping-empty-dma.src.json' with { type: 'json' };
import receiverFull from '../../examples/receiver-full.src.json' with { type: 'json' };

/** Name → the example's scenario as a plain JSON value (validated like any file, by whoever loads it). */
export const EXAMPLE_PRESETS: Readonly<Record<string, { readonly name: string; readonly description: string }>> = Object.fromEntries(
  [bindAndSend, receiverFull, pingEmptyDma, getdmaQuirk, badKey, irqOrder].map((e) => [e.name, e]),
);
