/**
 * `npm run bench [-- --filter NAME]`: runs every benchmark whose group or name contains NAME,
 * node ones in this process and browser ones in headless Chromium (test/bench/page.html served
 * by Vite), then prints a table and one `BENCH {...}` line per figure.
 * Benchmarks measure; nothing here passes or fails on a number.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { assertChromium, chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { benchLine, table, type BenchFigure } from './figure.ts';
import { benchStages } from './stages.ts';
import { benchRewrite } from './rewrite.ts';
import { benchBundle } from './node/bundle.ts';
import { benchEndpoint } from './node/engines-endpoint.ts';
import { benchReviewQuery } from './node/review-query.ts';
import { benchIngest } from './node/ingest.ts';
import { benchExtract } from './node/extract.ts';
import { writeBigJsonl } from './node/big-jsonl.ts';
import { writeTinyGguf } from '../fixtures/tiny-gguf.ts';
import { findProcess, sampleTree } from './node/process-memory.ts';

const root = resolve(import.meta.dirname, '../..');
/** A switch only the benchmark's browser has, so its processes can be found for memory figures. */
const BROWSER_MARK = `--humpback-bench=${process.pid}`;
const BIG_JSONL_BYTES = Number(process.env.BENCH_BIG_JSONL_BYTES ?? 2e9);
/**
 * The prefix bench's model context. The tiny model's ~400-token vocabulary spends about one token
 * per character, so a prompted-mode prompt with three 1,200-character examples (~1,500 tokens for
 * a real tokenizer) is ~5,500 tokens here: 4,096 holds the rating prompts but not that one.
 */
const PREFIX_CONTEXT = 8192;
export const sharedCorpus = resolve(root, '../shared/corpora/debian-reference');

interface Entry {
  group: string;
  name: string;
  where: 'node' | 'browser';
  /** Node benches: the function. Browser benches: the input handed to test/bench/browser/<name>.ts. */
  run?: () => Promise<BenchFigure[]>;
  input?: () => unknown;
  /** Browser benches: files written to disk first and given to the page as disk-backed `File`s (#bench-files); removed afterwards. */
  files?: (dir: string) => string[];
  /** Browser benches: sample the browser's resident memory (all its processes) during the run and report it under this name. */
  memory?: { name: string; what: string };
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
  {
    group: 'ingest',
    name: 'ingest-2gb',
    where: 'browser',
    // BENCH_BIG_JSONL_BYTES makes the file smaller (or larger) for a quick look; the size is 2 GB.
    files: (dir) => {
      const path = join(dir, 'big.jsonl');
      writeBigJsonl(path, BIG_JSONL_BYTES);
      return [path];
    },
    memory: { name: 'ingest.big_jsonl', what: `reading the ${(BIG_JSONL_BYTES / 1e9).toFixed(2)} GB JSONL` },
  },
  { group: 'stages', name: 'stages', where: 'node', run: () => benchStages() },
  { group: 'stages', name: 'rewrite', where: 'node', run: () => benchRewrite() },
  { group: 'extract', name: 'extract', where: 'node', run: () => benchExtract() },
  { group: 'engines', name: 'engines-endpoint', where: 'node', run: () => benchEndpoint() },
  { group: 'engines', name: 'engines-wllama', where: 'browser', input: () => ({}) },
  { group: 'export', name: 'export', where: 'browser', input: () => ({ corpus: corpusText(), count: 500_000 }) },
  { group: 'export', name: 'review-query', where: 'node', run: () => benchReviewQuery() },
  { group: 'export', name: 'review-table', where: 'browser', input: () => ({ corpus: corpusText(), count: 500_000 }) },
  { group: 'tokens', name: 'tokens', where: 'browser', input: () => ({ corpus: corpusText() }) },
  {
    group: 'prefix',
    name: 'prefix',
    where: 'browser',
    input: () => ({ corpus: corpusText(), contextSize: PREFIX_CONTEXT }),
    // The tiny GGUF, declaring a context the real templates fit in (the committed fixture says 512).
    files: (dir) => {
      const path = join(dir, 'tiny-llama-8k.gguf');
      writeFileSync(path, writeTinyGguf(undefined, PREFIX_CONTEXT));
      return [path];
    },
  },
  { group: 'bundle', name: 'bundle', where: 'node', run: () => benchBundle() },
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
      if (!server) {
        assertChromium();
        // No HMR or file watching: an edit elsewhere must not reload the page mid-benchmark.
        server = await createServer({ root, logLevel: 'error', server: { port: 5199, strictPort: false, hmr: false, watch: null } });
        await server.listen();
      }
      // A memory bench gets a browser of its own with the default heap limits (a larger limit
      // lets V8 collect later, which would show as memory), and nothing else running in it.
      const launch = (flag: string) => chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, flag] });
      const own = e.memory ? await launch(BROWSER_MARK) : undefined;
      if (!own) browser ??= await launch('--js-flags=--max-old-space-size=8192');
      const page = await (own ?? (browser as Browser)).newPage();
      page.setDefaultTimeout(0);
      page.on('console', (m) => { if (m.type() === 'error') console.error(`[page] ${m.text()}`); });
      const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5199/';
      await page.goto(new URL('test/bench/page.html', url).href);
      await page.waitForFunction(() => typeof window.runBench === 'function');
      const input = e.input?.();
      const dir = e.files ? mkdtempSync(join(tmpdir(), 'humpback-bench-')) : '';
      try {
        if (e.files) await page.setInputFiles('#bench-files', e.files(dir));
        const pid = e.memory ? findProcess(BROWSER_MARK) : null;
        const memory = pid !== null ? sampleTree(pid) : null;
        figures.push(...(await page.evaluate(([n, i]) => window.runBench(n as string, i), [e.name, input] as const)));
        const rss = memory?.stop();
        if (e.memory && rss) {
          figures.push(
            { name: `${e.memory.name}.rss_growth.mb`, value: (rss.peak - rss.start) / 1e6, unit: `MB resident added at peak, all browser processes (page, workers, IndexedDB), ${e.memory.what}`, better: 'lower', target: 'bounded regardless of file size' },
            { name: `${e.memory.name}.rss_peak.mb`, value: rss.peak / 1e6, unit: `MB resident at peak, all browser processes (${(rss.start / 1e6).toFixed(0)} MB before)`, better: 'lower' },
            ...[...rss.growthByKind].filter(([, grew]) => grew >= 1e6).map(([kind, grew]): BenchFigure => ({ name: `${e.memory?.name}.rss_growth.${kind.replace(/[^\w]+/g, '_')}.mb`, value: grew / 1e6, unit: `MB resident added at most in the ${kind} process(es)`, better: 'lower' })),
          );
        }
      } finally {
        await page.close();
        await own?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser?.close();
    await server?.close();
  }
  console.log(table(figures));
  for (const f of figures) console.log(benchLine(f));
}

await main();
