import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HYPERCALL_NAMES, LHCALL_BIND_DMA, LHCALL_SEND_DMA, LHREQ_BREAK, LHREQ_GETDMA, LHREQ_IRQ } from '../abi/constants.ts';
import { EVENT_KIND_NAMES, EventKind, IrqSource, type SimEvent } from '../hw/events.ts';
import type { CaptionContext, Delivery } from './caption-types.ts';
import { captionOf } from './event-caption.ts';

const ev = (kind: EventKind, guest: number, a = 0, b = 0, c = 0, d = 0, e = 0): SimEvent => ({ index: 0, kind, guest, time: 0, a, b, c, d, e });
const send = (guest: number, key: number, dma: number): SimEvent => ev(EventKind.HCALL, guest, LHCALL_SEND_DMA, key, dma, 0, LHCALL_SEND_DMA);

describe('a caption for every event kind', () => {
  const kinds = Object.values(EventKind);
  it.each(kinds.map((k) => [EVENT_KIND_NAMES[k], k] as const))('%s', (_name, kind) => {
    const c = captionOf(ev(kind, 0, 1, 0x2000, 13, 0, 1), ['a reason']);
    expect(c.text.length).toBeGreaterThan(10);
    expect(c.text).not.toMatch(/\n/);
    expect(c.spec.length).toBeGreaterThan(0);
    for (const s of c.spec) expect(s).toMatch(/^(§\d+(\.\d+)?|conventions)/);
    expect(c.source?.url).toMatch(/^https:\/\/elixir\.bootlin\.com\/linux\/v2\.6\.23\//);
  });

  it('covers every kind name the trace writes', () => {
    expect(kinds.map((k) => EVENT_KIND_NAMES[k]).sort()).toEqual(Object.values(EVENT_KIND_NAMES).sort());
  });

  it('says which hypercall it is for every call number, each with its own words', () => {
    const texts = new Set<string>();
    for (const [n, name] of Object.entries(HYPERCALL_NAMES)) {
      const c = captionOf(ev(EventKind.HCALL, 0, Number(n), 0x1000, 2, 0, 0), [], { killedFor: null, keyPage: 'private' });
      expect(c.text).toContain(name);
      texts.add(c.text);
    }
    expect(texts.size).toBe(Object.keys(HYPERCALL_NAMES).length);
  });
});

describe('SEND_DMA: private and shared keys take different paths (spec §2.4)', () => {
  it('a private key goes to the Launcher, as the issue words it', () => {
    const c = captionOf(send(0, 0, 0x2000), [], { keyPage: 'private', killedFor: null });
    expect(c.text).toBe("guest 0 SEND_DMA to key 0x0, a private key: the Host stops the guest and its Launcher's read() returns the lguest_dma at 0x2000");
    expect(c.spec).toContain('§7.2');
    expect(c.source?.fn).toBe('send_dma');
  });

  const shared = (delivery?: Delivery): string => captionOf(send(1, 0x40000, 0x2000), [], { keyPage: 'shared', killedFor: null, ...(delivery ? { delivery } : {}) }).text;

  it('a shared key never mentions the Launcher, and says what the Host did', () => {
    const texts = [
      shared({ kind: 'copied', to: 0, bytes: 18, entry: 0x2000 }),
      shared({ kind: 'full', to: 0, tries: 2 }),
      shared({ kind: 'nobody' }),
      shared({ kind: 'receiver-killed', to: 0, reason: 'bad address in registered DMA struct' }),
      shared(),
    ];
    for (const t of texts) {
      expect(t).toContain('a shared key');
      expect(t).not.toMatch(/Launcher/);
    }
    expect(texts[0]).toContain("copied 18 bytes into guest 0's buffer");
    expect(texts[1]).toMatch(/tried once more.*gave up/);
    expect(texts[2]).toContain('no other guest has bound it');
    expect(texts[2]).toContain('used_len stays 0');
    expect(texts[3]).toContain('killed the receiver, guest 0');
    expect(texts[4]).toContain('if there is one');
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('without the key page it claims neither path', () => {
    const t = captionOf(send(0, 0, 0x2000), []).text;
    expect(t).toContain('if the key is in a private page');
    expect(t).toContain('if it is in a shared one');
  });

  it('an unaligned key is a kill, whatever page it is in', () => {
    for (const keyPage of ['private', 'shared'] as const) expect(captionOf(send(0, 0x4001, 0x2000), [], { keyPage }).text).toContain('bad sending DMA key');
  });

  it('a kill recorded during the call comes first', () => {
    const c = captionOf(send(1, 0x40000, 0x2000), [], { keyPage: 'shared', killedFor: 'bad DMA entry: 256@0x3f80' });
    expect(c.text).toContain('the Host killed the guest ("bad DMA entry: 256@0x3f80")');
    expect(c.spec).toContain('§7.15');
    expect(c.source?.fn).toBe('check_dma_list');
  });
});

describe('BIND_DMA', () => {
  const bind = (key: number, ecx: number, ret: number, ctx: CaptionContext): string => captionOf(ev(EventKind.HCALL, 0, LHCALL_BIND_DMA, key, 0x2000, ecx, ret), [], ctx).text;
  it('decodes (num << 8) | irq and says who can fill a private or a shared binding', () => {
    expect(bind(0, (1 << 8) | 1, 1, { keyPage: 'private', killedFor: null })).toMatch(/binds 1 lguest_dma at 0x2000 on key 0x0 with irq 1: only its Launcher can fill them/);
    expect(bind(0x40000, (8 << 8) | 3, 1, { keyPage: 'shared', killedFor: null })).toMatch(/binds 8 lguest_dma .* another guest's SEND_DMA/);
  });
  it('tells the failures apart', () => {
    expect(bind(0, (1 << 8) | 32, 0, { killedFor: null })).toContain('irq 32 is not below 32');
    expect(bind(0, 0, 1, { killedFor: null })).toContain('removes its binding');
    expect(bind(0, 0, 0, { killedFor: null })).toContain('nothing is removed');
    expect(bind(0, (1 << 8) | 3, 0, { killedFor: null, keyPage: 'private' })).toContain('all 32 binding slots are in use');
    // Not known whether the call killed: it does not claim the slots were full.
    expect(bind(0, (1 << 8) | 3, 0, { keyPage: 'private' })).not.toContain('slots');
  });
});

describe('other kinds have their own wording', () => {
  it('a truncated DMA, a ping and a full copy differ', () => {
    const dma = (bytes: number, ctx: CaptionContext): string => captionOf(ev(EventKind.DMA, 1, 0, 0x40000, 0x2000, 0x3000, bytes), [], ctx).text;
    expect(dma(0, {})).toContain('a ping');
    expect(dma(100, { sentBytes: 300 })).toContain('only 100 of the 300 bytes sent fit');
    expect(dma(100, { sentBytes: 100 })).toContain('copied 100 bytes');
  });
  it('a full receiver: first try, the retry', () => {
    const full = (attempt: number): string => captionOf(ev(EventKind.DMA_FULL, 1, 0, 0x40000, 0x2000), [], { attempt }).text;
    expect(full(1)).toContain('tries once more');
    expect(full(2)).toContain('gives up');
  });
  it('an irq raised by a DMA or by the Launcher', () => {
    expect(captionOf(ev(EventKind.IRQ_RAISE, 0, 1, IrqSource.LAUNCHER), []).text).toContain('LHREQ_IRQ');
    expect(captionOf(ev(EventKind.IRQ_RAISE, 0, 3, IrqSource.DMA), []).text).toContain('after a send to one of its bindings');
  });
  it('a kill quotes the reason on one line and cites its rule', () => {
    const c = captionOf(ev(EventKind.KILL, 0, 0), ['Bad hypercall 99\n']);
    expect(c.text).toContain('"Bad hypercall 99\\n"');
    expect(c.source?.fn).toBe('do_hcall');
  });
  it('/dev/lguest requests', () => {
    const req = (a: number, b: number, ret: number): string => captionOf(ev(EventKind.LHREQ, 0, a, b, ret >>> 0), [], { guestDead: false }).text;
    expect(req(LHREQ_GETDMA, 0, 0x2000)).toContain('returns the entry at 0x2000');
    expect(req(LHREQ_GETDMA, 0, -2)).toContain('ENOENT');
    expect(req(LHREQ_IRQ, 40, -22)).toContain('EINVAL');
    expect(req(LHREQ_BREAK, 1, 0)).toContain('Waker');
    expect(req(LHREQ_BREAK, 0, 0)).toContain('released');
    const killed = captionOf(ev(EventKind.LHREQ, 0, LHREQ_GETDMA, 3, -2 >>> 0), [], { killedFor: 'bad registered DMA buffer' });
    expect(killed.text).toContain('writes LHREQ_GETDMA: the Host killed the guest ("bad registered DMA buffer")');
    expect(killed.source?.fn).toBe('get_dma_buffer');
  });
  it('status: the step reached', () => {
    expect(captionOf(ev(EventKind.STATUS, 0, 0, 0, 1), [], { deviceType: 'console' }).text).toContain('ACKNOWLEDGE in device 0 (console)');
    expect(captionOf(ev(EventKind.STATUS, 0, 0, 3, 7), []).text).toContain("the driver's probe succeeded");
  });
});

describe('captions never throw', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const small = fc.oneof(fc.integer({ min: 0, max: 40 }), u32);
  const delivery: fc.Arbitrary<Delivery> = fc.oneof(
    fc.record({ kind: fc.constant('copied' as const), to: small, bytes: u32, entry: u32 }),
    fc.record({ kind: fc.constant('full' as const), to: small, tries: small }),
    fc.record({ kind: fc.constant('receiver-killed' as const), to: small, reason: fc.string({ unit: 'binary' }) }),
    fc.constant({ kind: 'nobody' as const }),
  );
  const ctx: fc.Arbitrary<CaptionContext> = fc.record(
    {
      keyPage: fc.constantFrom('private' as const, 'shared' as const, 'unmapped' as const),
      killedFor: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
      delivery,
      sentBytes: u32,
      attempt: small,
      deviceType: fc.string({ unit: 'binary' }),
      guestDead: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  it('for random fields, kinds (known or not), strings and contexts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 }), u32, small, small, u32, u32, u32, fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), ctx, (kind, guest, a, b, c, d, e, strings, cx) => {
        const cap = captionOf({ index: 0, kind: kind as EventKind, guest, time: 0, a, b, c, d, e }, strings, cx);
        expect(cap.text.length).toBeGreaterThan(0);
        expect(cap.text).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
      { numRuns: 3000 },
    );
  });
});
