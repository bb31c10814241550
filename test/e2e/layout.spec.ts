/**
 * Every screen at the three window sizes people use most (1280×800, 1440×900, 1920×1080), with
 * real data the app made itself: seed pairs, a Debian Reference chapter, instructions written and
 * rated by a real OpenAI-compatible server started here. On every step it saves a screenshot
 * (test-results/layout/, an artifact, never committed), asserts that the main panels do not
 * overlap and nothing spills sideways, runs axe (no serious or critical violation), and walks the
 * step with Tab to check that every control can be reached by keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRatedProject, step, useHumpbackServer } from './app-steps.ts';
import { layoutProblems, unreachableControls } from './layout-checks.ts';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;
const STEPS = ['1 Seed', '2 Corpus', '3 Generate instructions', '4 Rate', '5 Review', '6 Export / Train'] as const;
const SHOTS = fileURLToPath(new URL('../../test-results/layout/', import.meta.url));

const env = useHumpbackServer();
test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

/** Layout, accessibility and keyboard checks on the screen as it is now; the screenshot is saved first. */
async function checkScreen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect.soft(await layoutProblems(page), `${name}: layout`).toEqual([]);
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(serious, `${name}: axe`).toEqual([]);
}

test('every step fits at 1280×800, 1440×900 and 1920×1080, passes axe and is keyboard-reachable', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await checkScreen(page, 'home-empty');
  await createRatedProject(page, 'Layout', env.seedFile, env.server.url);

  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const title of STEPS) {
      await step(page, title);
      await expect(page.getByRole('link', { name: title })).toHaveAttribute('aria-current', 'step');
      if (title === '5 Review') {
        await expect(page.getByTestId('review-count')).toHaveText('20 pairs shown.');
        await page.getByTestId('review-row').first().click();
        await expect(page.getByTestId('pair-detail')).toBeVisible();
      }
      const name = `${size.width}x${size.height}-${title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
      await checkScreen(page, name);
      if (size.width === 1280) expect.soft(await unreachableControls(page), `${name}: keyboard`).toEqual([]);
    }
    await page.goto('/');
    await expect(page.getByTestId('project-link')).toHaveText(['Layout']);
    await checkScreen(page, `${size.width}x${size.height}-home`);
    if (size.width === 1280) expect.soft(await unreachableControls(page), 'home: keyboard').toEqual([]);
    await page.getByTestId('project-link').click();
  }
});
