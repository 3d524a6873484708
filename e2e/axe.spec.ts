/**
 * Accessibility (issue #10, WCAG 2.1 AA): axe-core, injected into the page,
 * on every preset in both themes reports no critical and no serious
 * violation (contrast, names, focusable scrollable regions, landmarks, …).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { PRESET_NAMES } from '../src/scenario/presets.ts';
import { waitIdle } from './page-helpers.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugger protocol: the page's CSP (script-src 'self') stays as it is.
  await page.evaluate(await readFile(AXE, 'utf8'));
  const r = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return r.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n  ')}`);
}

for (const theme of ['dark', 'light'] as const) {
  for (const preset of PRESET_NAMES) {
    test(`axe: ${preset}, ${theme} theme: no critical or serious violation`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('lguest-lab.theme', t), theme);
      await page.goto(`/?preset=${preset}`);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await waitIdle(page);
      // A selection on, so the selected-row and buffer styles are checked too.
      await page.locator('.ev-row').last().click();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}
