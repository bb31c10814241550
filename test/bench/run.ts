/**
 * `npm run bench [-- --filter NAME]`: runs every benchmark whose group or name contains NAME,
 * node ones in this process and browser ones in headless Chromium (test/bench/page.html served
 * by Vite), then prints a table and one `BENCH {...}` line per figure.
 * Benchmarks measure; nothing here passes or fails on a number.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { assertChromium, chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { benchLine, table, type BenchFigure } from './figure.ts';
import { benchStages } from './stages.ts';
import { benchEndpoint } from './node/engines-endpoint.ts';
import { benchReviewQuery } from './node/review-query.ts';
import { benchIngest } from './node/ingest.ts';

const root = resolve(import.meta.dirname, '../..');
export const sharedCorpus = resolve(root, '../shared/corpora/debian-reference');

interface Entry {
  group: string;
  name: string;
  where: 'node' | 'browser';
  /** Node benches: the function. Browser benches: the input handed to test/bench/browser/<name>.ts. */
  run?: () => Promise<BenchFigure[]>;
  input?: () => unknown;
}

/** The Debian Reference HTML chapters and text edition, as the ingest benches read them (the PDF's cost is pdf.js). */
const realCorpusFiles = () =>
  readdirSync(sharedCorpus)
    .filter((name) => /\.(html|txt)$/.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(resolve(sharedCorpus, name), 'utf8') }));
const corpusText = () => readFileSync(resolve(sharedCorpus, 'debian-reference.en.txt'), 'utf8');

const entries: Entry[] = [
  { group: 'storage', name: 'storage', where: 'browser', input: () => ({ corpus: corpusText(), count: 500_000 }) },
  { group: 'ingest', name: 'ingest', where: 'node', run: () => benchIngest() },
  { group: 'ingest', name: 'ingest-parallel', where: 'browser', input: () => ({ real: realCorpusFiles(), generatedChars: 200e6 }) },
  { group: 'stages', name: 'stages', where: 'node', run: () => benchStages() },
  { group: 'engines', name: 'engines-endpoint', where: 'node', run: () => benchEndpoint() },
  { group: 'engines', name: 'engines-wllama', where: 'browser', input: () => ({}) },
  { group: 'export', name: 'export', where: 'browser', input: () => ({ corpus: corpusText(), count: 500_000 }) },
  { group: 'export', name: 'review-query', where: 'node', run: () => benchReviewQuery() },
  { group: 'export', name: 'review-table', where: 'browser', input: () => ({ corpus: corpusText(), count: 500_000 }) },
  { group: 'tokens', name: 'tokens', where: 'browser', input: () => ({ corpus: corpusText() }) },
];

function parseArgs(argv: string[]): { filter: string } {
  const i = argv.indexOf('--filter');
  const eq = argv.find((a) => a.startsWith('--filter='));
  return { filter: (eq ? eq.slice('--filter='.length) : i >= 0 ? argv[i + 1] : '') ?? '' };
}

async function main(): Promise<void> {
  const { filter } = parseArgs(process.argv.slice(2));
  const chosen = entries.filter((e) => !filter || e.group.includes(filter) || e.name.includes(filter));
  if (chosen.length === 0) {
    console.error(`No benchmark matches "${filter}". Groups: ${[...new Set(entries.map((e) => e.group))].join(', ')}`);
    process.exit(2);
  }
  const figures: BenchFigure[] = [];
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    for (const e of chosen) {
      console.error(`… ${e.name} (${e.where})`);
      if (e.where === 'node' && e.run) {
        figures.push(...(await e.run()));
        continue;
      }
      if (!browser || !server) {
        assertChromium();
        // No HMR or file watching: an edit elsewhere must not reload the page mid-benchmark.
        server = await createServer({ root, logLevel: 'error', server: { port: 5199, strictPort: false, hmr: false, watch: null } });
        await server.listen();
        browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--js-flags=--max-old-space-size=8192'] });
      }
      const page = await browser.newPage();
      page.setDefaultTimeout(0);
      page.on('console', (m) => { if (m.type() === 'error') console.error(`[page] ${m.text()}`); });
      const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5199/';
      await page.goto(new URL('test/bench/page.html', url).href);
      await page.waitForFunction(() => typeof window.runBench === 'function');
      const input = e.input?.();
      figures.push(...(await page.evaluate(([n, i]) => window.runBench(n as string, i), [e.name, input] as const)));
      await page.close();
    }
  } finally {
    await browser?.close();
    await server?.close();
  }
  console.log(table(figures));
  for (const f of figures) console.log(benchLine(f));
}

await main();
