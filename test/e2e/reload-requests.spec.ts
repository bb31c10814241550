/**
 * A reload in the middle of a run costs the engine at most the requests that were in flight:
 * every finished item is stored at once (not when a batch fills), so after Resume the server
 * sees each segment's request again only if it was being answered when the page went away.
 * Four requests at a time against a real OpenAI-compatible server started here.
 */
import { expect, test } from '@playwright/test';
import { type ChatBody } from '../support/chat-server.ts';
import { isCapabilityProbe } from '../support/server-flavors.ts';
import { createProject, isRating, step, useEndpoint, useHumpbackServer } from './app-steps.ts';

const CONCURRENCY = 4;
const env = useHumpbackServer();

test(`a reload mid-run re-asks at most the ${CONCURRENCY} requests in flight`, async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  const server = env.server;
  await createProject(page, 'Reload', env.seedFile);
  await step(page, '3 Generate instructions');
  await useEndpoint(page, 'backward', server.url, CONCURRENCY);
  server.setMode({ latencyMs: 400 });
  await page.getByRole('button', { name: 'Generate instructions' }).click();
  const runs = page.getByTestId('augment-runs');
  await expect(runs.getByTestId('augment-live')).toContainText(/\b([89]|1[0-4]) \/ 20 segments/, { timeout: 30_000 });
  await page.reload();

  server.setMode({ latencyMs: 0 });
  await expect(runs.getByTestId('run-status')).toHaveText('interrupted');
  const before = server.stats().chatRequests.filter((r) => !isRating(r.body as ChatBody) && !isCapabilityProbe(r.body)).length;
  expect(before).toBeGreaterThanOrEqual(8);
  await runs.getByTestId('augment-interrupted').getByRole('button', { name: 'Resume' }).click();
  await expect(runs.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(runs.locator('tbody td').nth(5)).toHaveText('20 / 20');

  // Every request the server saw for the run, and how many asked for a segment already asked for.
  const writing = server.stats().chatRequests.filter((r) => r.body !== undefined && !isRating(r.body as ChatBody) && !isCapabilityProbe(r.body));
  const distinct = new Set(writing.map((r) => JSON.stringify(r.body))).size;
  expect(distinct).toBe(20);
  expect(writing.length - distinct).toBeLessThanOrEqual(CONCURRENCY);
});
