/**
 * Corpus ingest on every core, in Chromium. Two measures:
 * - "parse": segment + filter + dedup (the throughput) on the parse pool — one parse
 *   worker per core, two here — with this page admitting their output in file order and
 *   storing nothing;
 * - "stored": the app's whole ingest, `IngestService` reading dropped files through the same
 *   pool and writing the segments to IndexedDB, beside the same service with one in-process
 *   parser (one thread does everything).
 * LangChain's RecursiveCharacterTextSplitter runs on the same text in this page, one thread,
 * splitting only. Services and pools are started and warmed up once and reused, as the ingest
 * worker's are; each run ingests into a fresh project. MB is 10^6 bytes of input. Corpora: the
 * real Debian Reference (HTML chapters and the text edition) several times over, and the
 * generated ~200 MB mix of the node bench.
 */
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { IngestService } from '../../../src/adapters/ingest/ingest-service.ts';
import { ParsePool, inProcessParser, workerParser } from '../../../src/adapters/ingest/parse-pool.ts';
import { detectFormat } from '../../../src/core/corpus/formats.ts';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS, type CorpusSettings } from '../../../src/core/corpus/pipeline.ts';
import { newProject } from '../../../src/core/records.ts';
import type { BenchFigure } from '../figure.ts';
import { generateCorpus } from '../node/ingest-corpus.ts';

interface Input {
  real: { name: string; text: string }[];
  generatedChars: number;
}

const MB = 1e6;
const catalog = new IdbCatalog();
const parseWorker = () => new Worker(new URL('../../../workers/parse.worker.ts', import.meta.url), { type: 'module' });

interface Run {
  bytes: number;
  seconds: number;
  segments: number;
}

/** One ingest into a fresh project; the service (and its started workers) is reused, as the ingest worker's is. */
async function ingestOnce(service: IngestService, files: File[], settings: Partial<CorpusSettings>): Promise<Run> {
  const project = newProject('ingest bench');
  await catalog.putProject(project);
  try {
    const t = performance.now();
    const summary = await service.ingest(project.id, files.map((file) => ({ file, path: file.name })), settings);
    const seconds = (performance.now() - t) / 1000;
    return { bytes: files.reduce((n, f) => n + f.size, 0), seconds, segments: summary.segments };
  } finally {
    await catalog.deleteProject(project.id);
  }
}

/** Segment + filter + dedup on the parse pool with nothing stored: the throughput, on every core. */
async function parseOnce(pool: ParsePool, files: File[], settings: CorpusSettings): Promise<Run> {
  const t = performance.now();
  const pipeline = new CorpusPipeline(settings);
  const run = pool.run(files.map((f) => ({ file: f, path: f.name, format: detectFormat(f.name).format, gzip: false, settings })), () => undefined);
  let segments = 0;
  try {
    for (const [i, f] of files.entries()) {
      const ingest = pipeline.openFile({ docId: f.name, path: f.name, format: detectFormat(f.name).format });
      const parsed = run.file(i);
      for (let batch = await parsed.next(); batch; batch = await parsed.next()) segments += ingest.admit(batch).length;
    }
  } finally {
    await run.stop();
  }
  return { bytes: files.reduce((n, f) => n + f.size, 0), seconds: (performance.now() - t) / 1000, segments };
}

async function langchain(files: File[]): Promise<Run> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 3000, chunkOverlap: 0 });
  let seconds = 0;
  let segments = 0;
  for (const f of files) {
    const text = await f.text();
    const t = performance.now();
    segments += (await splitter.splitText(text)).length;
    seconds += (performance.now() - t) / 1000;
  }
  return { bytes: files.reduce((n, f) => n + f.size, 0), seconds, segments };
}

const sum = (runs: Run[]): Run => runs.reduce((a, r) => ({ bytes: a.bytes + r.bytes, seconds: a.seconds + r.seconds, segments: a.segments + r.segments }));
const mbps = (r: Run) => r.bytes / MB / r.seconds;

export default async function run(input: Input): Promise<BenchFigure[]> {
  const workers = Math.max(1, Math.min(4, navigator.hardwareConcurrency));
  const pooled = new IngestService(undefined, () => Array.from({ length: workers }, () => workerParser(parseWorker())));
  const alone = new IngestService(undefined, () => [inProcessParser()]);
  const parsePool = new ParsePool(Array.from({ length: workers }, () => workerParser(parseWorker())));
  const exact: CorpusSettings = { ...DEFAULT_CORPUS_SETTINGS, nearDedup: false };
  const near: CorpusSettings = { ...DEFAULT_CORPUS_SETTINGS, nearDedup: true };

  const real = input.real.map((f) => new File([f.text], f.name));
  const generated = Array.from(generateCorpus(input.generatedChars), (g) => new File([...g.pieces()], g.path.replace('/', '-')));
  const realMb = `${(real.reduce((n, f) => n + f.size, 0) / MB).toFixed(1)} MB`;
  const genMb = `${(generated.reduce((n, f) => n + f.size, 0) / MB).toFixed(0)} MB, ${generated.length} files`;

  // Warm-up: starts the workers and compiles the pipeline in the page and in each worker.
  for (let i = 0; i < 2; i++) {
    await ingestOnce(pooled, real, near);
    await ingestOnce(alone, real, near);
    await parseOnce(parsePool, real, near);
  }
  const repeat = async (n: number, once: () => Promise<Run>) => {
    const runs: Run[] = [];
    for (let i = 0; i < n; i++) runs.push(await once());
    return sum(runs);
  };
  const realParse = await repeat(5, () => parseOnce(parsePool, real, exact));
  const realParseNear = await repeat(5, () => parseOnce(parsePool, real, near));
  const realPool = await repeat(3, () => ingestOnce(pooled, real, exact));
  const realAlone = await repeat(3, () => ingestOnce(alone, real, exact));
  const realLangchain = await repeat(5, () => langchain(real));
  const genParse = await parseOnce(parsePool, generated, exact);
  const genParseNear = await parseOnce(parsePool, generated, near);
  const genPool = await ingestOnce(pooled, generated, exact);
  const genPoolNear = await ingestOnce(pooled, generated, near);
  const genAlone = await ingestOnce(alone, generated, exact);
  const genLangchain = await langchain(generated);
  pooled.dispose();
  alone.dispose();
  parsePool.dispose();

  const lc = (r: Run) => ({ name: 'LangChain RecursiveCharacterTextSplitter (one thread, split only)', value: mbps(r) });
  const on = `${workers} parse workers`;
  return [
    { name: 'ingest.browser.real.parse.exact_dedup.mbps', value: mbps(realParse), unit: `MB/s, segment+filter+exact dedup on ${on}, nothing stored, Debian Reference HTML+txt (${realMb}) ×5`, better: 'higher', vs: lc(realLangchain), target: '≥ 30 MB/s, ≥ 3× LangChain' },
    { name: 'ingest.browser.real.parse.near_dedup.mbps', value: mbps(realParseNear), unit: 'MB/s, same with near-dup on', better: 'higher', target: '≥ 10 MB/s' },
    { name: 'ingest.browser.real.stored.mbps', value: mbps(realPool), unit: `MB/s, dropped files → segments in IndexedDB (the app's ingest), ${on}, exact dedup, ×3`, better: 'higher' },
    { name: 'ingest.browser.real.stored_one_thread.mbps', value: mbps(realAlone), unit: 'MB/s, same, one in-process parser (one thread does everything)', better: 'higher' },
    { name: 'ingest.browser.generated.parse.exact_dedup.mbps', value: mbps(genParse), unit: `MB/s, segment+filter+exact dedup on ${on}, nothing stored, generated (${genMb})`, better: 'higher', vs: lc(genLangchain), target: '≥ 30 MB/s, ≥ 3× LangChain' },
    { name: 'ingest.browser.generated.parse.near_dedup.mbps', value: mbps(genParseNear), unit: `MB/s, same with near-dup on (${genParseNear.segments.toLocaleString('en-US')} segments kept)`, better: 'higher', target: '≥ 10 MB/s' },
    { name: 'ingest.browser.generated.stored.mbps', value: mbps(genPool), unit: `MB/s, dropped files → segments in IndexedDB, ${on}, exact dedup (${genPool.segments.toLocaleString('en-US')} segments stored)`, better: 'higher' },
    { name: 'ingest.browser.generated.stored_near.mbps', value: mbps(genPoolNear), unit: 'MB/s, same with near-dup on', better: 'higher' },
    { name: 'ingest.browser.generated.stored_one_thread.mbps', value: mbps(genAlone), unit: 'MB/s, exact dedup, one in-process parser', better: 'higher' },
  ];
}
