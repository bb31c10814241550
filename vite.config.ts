/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';
import { smallDiskProfile } from './test/support/small-disk.ts';

// Multi-threaded WebAssembly (wllama) needs cross-origin isolation. A static host must send
// these two headers too (see README). `credentialless` rather than `require-corp`: it isolates
// just as well in Chromium, lets model hosts without CORP headers serve weights, and lets the
// endpoint engine tell a missing CORS header from a server that is down (its no-cors probe is
// blocked under require-corp).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig({
  plugins: [svelte()],
  // 'mpa' makes a missing file a real 404 instead of index.html (a missing model file would
  // otherwise surface as "Unexpected token '<'").
  appType: 'mpa',
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  optimizeDeps: {
    // web-llm stays a separate 6 MB module (worker only); wllama loads its own wasm.
    exclude: ['@mlc-ai/web-llm', '@wllama/wllama'],
    // Pre-bundled up front: a dependency first met in the middle of a browser test run makes
    // Vite re-optimise and reload the page, failing that run on a cold cache (a fresh CI clone).
    include: ['comlink', 'idb-keyval', 'yaml', 'fflate', 'hyparquet', 'pdfjs-dist', '@huggingface/transformers', 'dexie'],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          exclude: ['test/browser/full-disk/**'],
          globalSetup: ['test/support/browser-servers.ts'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      ...fullDiskProject(),
    ],
  },
});

/**
 * The full-disk tests run Chromium with its profile on a 48 MB filesystem, so IndexedDB meets a
 * real QuotaExceededError (see test/support/small-disk.ts). Only made when such a disk exists.
 */
function fullDiskProject() {
  if (!process.env.VITEST) return [];
  const profile = smallDiskProfile();
  if (!profile) {
    console.warn('[full-disk tests] no small filesystem: run as root (tmpfs is mounted for you) or set HUMPBACK_SMALL_DISK.');
    return [];
  }
  return [
    {
      extends: true as const,
      test: {
        name: 'browser-full-disk',
        include: ['test/browser/full-disk/**/*.test.ts'],
        testTimeout: 120_000,
        browser: {
          enabled: true,
          headless: true,
          provider: playwright({
            launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            persistentContext: profile,
          }),
          instances: [{ browser: 'chromium' as const }],
          screenshotFailures: false,
        },
      },
    },
  ];
}
