/**
 * What the first page costs to download: the production build's main chunk (the entry script
 * index.html loads), minified, before and after gzip, and everything the first page loads with
 * it (its static imports). Engines, trainers and each step's screen load when first used.
 * Built here with the project's own vite.config.ts into a temporary folder.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Manifest } from 'vite';
import type { BenchFigure } from '../figure.ts';

const root = resolve(import.meta.dirname, '../../..');

export async function benchBundle(): Promise<BenchFigure[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'humpback-bundle-'));
  try {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true, manifest: true } });
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
    const entry = manifest['index.html'];
    if (!entry) throw new Error('The build has no index.html entry in its manifest.');
    const size = (file: string) => statSync(join(outDir, file)).size;
    // The entry and the chunks it imports statically: what the first page downloads.
    const first = new Set<string>();
    const walk = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || first.has(chunk.file)) return;
      first.add(chunk.file);
      for (const i of chunk.imports ?? []) walk(i);
    };
    walk('index.html');
    return [
      { name: 'bundle.main_chunk.kb', value: size(entry.file) / 1000, unit: 'kB minified (the entry script)', better: 'lower', target: '≤ 300 kB' },
      { name: 'bundle.main_chunk.gzip_kb', value: gzipSync(readFileSync(join(outDir, entry.file))).length / 1000, unit: 'kB gzip', better: 'lower' },
      { name: 'bundle.first_page_js.kb', value: [...first].reduce((n, f) => n + size(f), 0) / 1000, unit: `kB minified, ${first.size} script(s) the first page loads`, better: 'lower' },
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
