import { describe, expect, it } from 'vitest';
import { HYPERCALL_NAMES, LHCALL_BIND_DMA, LHCALL_GET_WALLCLOCK, LHCALL_SEND_DMA, LHREQ_GETDMA } from '../abi/constants.ts';
import { EventKind, type SimEvent } from '../hw/events.ts';
import { eventToJson } from '../hw/event-json.ts';
import { EAX_UNCHANGED, HCALL_LABELS, eventWords, eventWordsText, hcallLabels } from './register-labels.ts';

const ev = (kind: EventKind, a = 0, b = 0, c = 0, d = 0, e = 0): SimEvent => ({ index: 3, kind, guest: 0, time: 9, a, b, c, d, e });

describe('register labels (spec §1.2)', () => {
  it('every hypercall number has labels, and only those', () => {
    expect(Object.keys(HCALL_LABELS).sort()).toEqual(Object.keys(HYPERCALL_NAMES).sort());
    for (const n of Object.keys(HYPERCALL_NAMES)) expect(hcallLabels(Number(n)).eax.length).toBeGreaterThan(0);
  });

  it('SEND_DMA reads key, struct lguest_dma, %eax unchanged', () => {
    const w = eventWords(ev(EventKind.HCALL, LHCALL_SEND_DMA, 0, 0x2000, 0, LHCALL_SEND_DMA), []);
    expect(eventWordsText(w)).toBe(`call=SEND_DMA key=0 struct lguest_dma=0x2000 ${EAX_UNCHANGED}`);
    expect(w.find((x) => x.label === 'key')?.term).toBe('key');
  });

  it('BIND_DMA splits %ecx into entries and irq, and says what %eax means', () => {
    const t = eventWordsText(eventWords(ev(EventKind.HCALL, LHCALL_BIND_DMA, 0x40000, 0x2000, (8 << 8) | 3, 1), []));
    expect(t).toBe('call=BIND_DMA key=0x40000 struct lguest_dma[]=0x2000 entries=8 irq=3 %eax=1 (bound)');
  });

  it('a call with a result shows it; an unknown call shows raw registers', () => {
    expect(eventWordsText(eventWords(ev(EventKind.HCALL, LHCALL_GET_WALLCLOCK, 0, 0, 0, 1191888000), []))).toBe('call=GET_WALLCLOCK %eax=1191888000');
    expect(eventWordsText(eventWords(ev(EventKind.HCALL, 99, 1, 2, 3, 99), []))).toBe(`call=99 edx=0x1 ebx=0x2 ecx=0x3 ${EAX_UNCHANGED}`);
  });

  it('/dev/lguest requests name their argument and result', () => {
    expect(eventWordsText(eventWords(ev(EventKind.LHREQ, LHREQ_GETDMA, 0, 0x2000), []))).toBe('request=LHREQ_GETDMA key=0 buffer=0x2000');
    expect(eventWordsText(eventWords(ev(EventKind.LHREQ, LHREQ_GETDMA, 0, -2 >>> 0), []))).toBe('request=LHREQ_GETDMA key=0 fails=ENOENT');
  });

  it('other kinds keep the trace values under readable names', () => {
    for (const kind of Object.values(EventKind)) {
      if (kind === EventKind.HCALL || kind === EventKind.LHREQ) continue;
      const e = ev(kind, 1, 0x40000, 0x2000, 0x3000, 5);
      const json = eventToJson(e, ['why']);
      const values = eventWords(e, ['why']).map((w) => w.value);
      const expected = Object.entries(json)
        .filter(([k]) => !['i', 't', 'kind', 'guest'].includes(k))
        .map(([, v]) => String(v));
      expect(values).toEqual(expected);
    }
  });
});
