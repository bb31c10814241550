/**
 * Server-side Vitest browser commands: things a page cannot do to itself but a real user's
 * browser can suffer, done through the Chrome DevTools Protocol on the real Chromium.
 */
import type { BrowserCommand } from 'vitest/node';

interface PlaywrightCtx {
  page: import('playwright').Page;
}

/** Shrinks (or restores, with `null`) the origin's storage quota so a real QuotaExceededError can happen. */
export const overrideQuota: BrowserCommand<[quotaBytes: number | null]> = async (ctx, quotaBytes) => {
  const { page } = ctx as unknown as PlaywrightCtx; // the playwright provider's context carries `page`
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', quotaBytes === null ? { origin } : { origin, quotaSize: quotaBytes });
  await cdp.detach();
};
