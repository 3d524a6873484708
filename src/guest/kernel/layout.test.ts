import { describe, expect, it } from 'vitest';
import { ARCHES, PAGE_SIZE } from '../../abi/index.ts';
import { MIN_GUEST_MEMORY } from '../../scenario/scenario.ts';
import { KERNEL_END, KERNEL_LIMIT, NET_BUF_BYTES, NET_RX_BUFFERS, NET_RX_BUFS, kernelLayouts, kernelRegions } from './layout.ts';

describe('kernel memory layout', () => {
  for (const arch of ARCHES) {
    it(`${arch}: regions do not overlap and end by KERNEL_END`, () => {
      const rs = [...kernelRegions(arch)].sort((a, b) => a.gpa - b.gpa);
      for (let i = 1; i < rs.length; i++) expect(rs[i].gpa, `${rs[i - 1].name} runs into ${rs[i].name}`).toBeGreaterThanOrEqual(rs[i - 1].gpa + rs[i - 1].bytes);
      const last = rs[rs.length - 1];
      expect(last.gpa + last.bytes).toBeLessThanOrEqual(KERNEL_END);
    });

    it(`${arch}: one-section buffers stay inside one page`, () => {
      for (const r of kernelRegions(arch).filter((x) => x.onePage)) expect(Math.floor(r.gpa / PAGE_SIZE), r.name).toBe(Math.floor((r.gpa + r.bytes - 1) / PAGE_SIZE));
    });
  }

  it('fits the smallest scenario guest and the brief bound', () => {
    expect(KERNEL_END).toBeLessThanOrEqual(MIN_GUEST_MEMORY);
    expect(KERNEL_END).toBeLessThanOrEqual(KERNEL_LIMIT);
  });

  it('has receive buffers that cross a page (the two-section case of spec §5.4)', () => {
    let crossing = 0;
    for (let i = 0; i < NET_RX_BUFFERS; i++) {
      const a = NET_RX_BUFS + i * NET_BUF_BYTES;
      if (Math.floor(a / PAGE_SIZE) !== Math.floor((a + NET_BUF_BYTES - 1) / PAGE_SIZE)) crossing++;
    }
    expect(crossing).toBeGreaterThan(0);
  });

  it('lays out the private records from the table', () => {
    const L = kernelLayouts('i386');
    expect(L.line.size).toBe(260);
    expect(L.stats.size).toBe(24);
    expect(L.dma.size).toBe(100);
    expect(kernelLayouts('x86_64').dma.size).toBe(168);
  });
});
