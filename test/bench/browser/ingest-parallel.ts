/**
 * Corpus ingest as the user runs it, in Chromium: `IngestService` with its pool of parse
 * workers (one per core: two here) reading dropped files, segmenting, filtering, deduplicating
 * and writing the segments to IndexedDB — beside the same service with one in-process parser
 * (one thread does everything), and LangChain's RecursiveCharacterTextSplitter on the same
 * text in this page. Wall-clock from the ingest call to its summary, over a fresh project each
 * time; MB is 10^6 bytes of input. The corpora: the real Debian Reference (HTML chapters and
 * the text edition), three times over, and the generated ~200 MB mix of the node bench.
 */
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { IngestService } from '../../../src/adapters/ingest/ingest-service.ts';
import { inProcessParser, workerParser, type TextParser } from '../../../src/adapters/ingest/parse-pool.ts';
import { DEFAULT_CORPUS_SETTINGS, type CorpusSettings } from '../../../src/core/corpus/pipeline.ts';
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

async function ingestOnce(files: File[], parsers: () => TextParser[], settings: Partial<CorpusSettings>): Promise<Run> {
  const project = newProject('ingest bench');
  await catalog.putProject(project);
  const service = new IngestService(undefined, parsers);
  try {
    const t = performance.now();
    const summary = await service.ingest(project.id, files.map((file) => ({ file, path: file.name })), settings);
    const seconds = (performance.now() - t) / 1000;
    return { bytes: files.reduce((n, f) => n + f.size, 0), seconds, segments: summary.segments };
  } finally {
    service.dispose();
    await catalog.deleteProject(project.id);
  }
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
  const cores = navigator.hardwareConcurrency;
  const pool = () => Array.from({ length: Math.max(1, Math.min(4, cores)) }, () => workerParser(parseWorker()));
  const alone = () => [inProcessParser()];
  const exact: Partial<CorpusSettings> = { ...DEFAULT_CORPUS_SETTINGS, nearDedup: false };
  const near: Partial<CorpusSettings> = { ...DEFAULT_CORPUS_SETTINGS, nearDedup: true };

  const real = input.real.map((f) => new File([f.text], f.name));
  const generated = Array.from(generateCorpus(input.generatedChars), (g) => new File([...g.pieces()], g.path.replace('/', '-')));
  const realMb = `${(real.reduce((n, f) => n + f.size, 0) / MB).toFixed(1)} MB`;
  const genMb = `${(generated.reduce((n, f) => n + f.size, 0) / MB).toFixed(0)} MB, ${generated.length} files`;

  // Warm-up: compiles the pipeline in the page and in the workers' first run.
  await ingestOnce(real, pool, near);
  const repeat = async (files: File[], parsers: () => TextParser[], s: Partial<CorpusSettings>, n: number) => {
    const runs: Run[] = [];
    for (let i = 0; i < n; i++) runs.push(await ingestOnce(files, parsers, s));
    return sum(runs);
  };
  const realPool = await repeat(real, pool, exact, 3);
  const realPoolNear = await repeat(real, pool, near, 3);
  const realAlone = await repeat(real, alone, exact, 3);
  const realLangchain = sum([await langchain(real), await langchain(real), await langchain(real)]);
  const genPool = await ingestOnce(generated, pool, exact);
  const genPoolNear = await ingestOnce(generated, pool, near);
  const genAlone = await ingestOnce(generated, alone, exact);
  const genAloneNear = await ingestOnce(generated, alone, near);
  const genLangchain = await langchain(generated);

  const lc = (r: Run) => ({ name: 'LangChain RecursiveCharacterTextSplitter (one thread, split only)', value: mbps(r) });
  const workers = `${Math.max(1, Math.min(4, cores))} parse workers`;
  return [
    { name: 'ingest.browser.real.exact_dedup.mbps', value: mbps(realPool), unit: `MB/s, dropped files → segments in IndexedDB, ${workers}, exact dedup, Debian Reference HTML+txt (${realMb}) ×3`, better: 'higher', vs: lc(realLangchain), target: '≥ 30 MB/s, ≥ 3× LangChain' },
    { name: 'ingest.browser.real.near_dedup.mbps', value: mbps(realPoolNear), unit: `MB/s, same with near-dup on`, better: 'higher', target: '≥ 10 MB/s' },
    { name: 'ingest.browser.real.one_thread.mbps', value: mbps(realAlone), unit: 'MB/s, same as the first, one in-process parser (one thread does everything)', better: 'higher' },
    { name: 'ingest.browser.generated.exact_dedup.mbps', value: mbps(genPool), unit: `MB/s, ${workers}, exact dedup, generated (${genMb}; ${genPool.segments.toLocaleString('en-US')} segments stored)`, better: 'higher', vs: lc(genLangchain), target: '≥ 30 MB/s, ≥ 3× LangChain' },
    { name: 'ingest.browser.generated.near_dedup.mbps', value: mbps(genPoolNear), unit: `MB/s, same with near-dup on (${genPoolNear.segments.toLocaleString('en-US')} segments stored)`, better: 'higher', target: '≥ 10 MB/s' },
    { name: 'ingest.browser.generated.one_thread.mbps', value: mbps(genAlone), unit: 'MB/s, exact dedup, one in-process parser', better: 'higher' },
    { name: 'ingest.browser.generated.one_thread_near.mbps', value: mbps(genAloneNear), unit: 'MB/s, near-dup on, one in-process parser', better: 'higher' },
  ];
}
