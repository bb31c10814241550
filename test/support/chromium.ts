/**
 * Where the tests find Chromium and how they start it. Playwright cannot download its own
 * browsers on our machines, so every layer (Vitest browser, Playwright e2e, bench) launches the
 * system Chromium: `/usr/bin/chromium` unless `CHROMIUM_PATH` points elsewhere.
 */
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless flags that work as root on a closed network; the last one gives a (software) WebGPU adapter. */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chrome/Chromium binary.`,
    );
  }
}
