/**
 * Corpus ingest throughput, in node, on the same code the ingest worker runs
 * (src/core/corpus/pipeline.ts): segment + filter + exact dedup, then the same with near-dup on,
 * beside LangChain's RecursiveCharacterTextSplitter (chunkSize 3000, overlap 0) on the same
 * text, and peak memory. Two corpora: the real Debian Reference (HTML chapters and the text
 * edition; the PDF is left out because its cost is pdf.js, not segmenting) and a generated
 * ~200 MB mix of web pages, Markdown and plain text with boilerplate, copies and near-copies.
 *
 * Files are read from disk in 64 KB pieces and decoded as the worker does; only the pipeline
 * calls are timed (and only `splitText` for LangChain). The generated corpus is written to a
 * temporary folder first, one file at a time, and removed afterwards, so no step ever holds it
 * whole. MB here is 10^6 bytes of UTF-8 input. On a shared machine the load average and a
 * plain-loop calibration are reported too, so a slow figure can be read against how busy the
 * machine was. Dedup memory per kept segment is measured on the dedup structures alone.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { detectFormat } from '../../../src/core/corpus/formats.ts';
import { CorpusPipeline, DEFAULT_CORPUS_SETTINGS, type CorpusSettings } from '../../../src/core/corpus/pipeline.ts';
import type { DocumentFormat } from '../../../src/core/records.ts';
import type { BenchFigure } from '../figure.ts';
import { generateCorpus } from './ingest-corpus.ts';
import { DEFAULT_NEAR_DUP, ExactDedup, NearDedup, seededRandom } from '../../../src/core/corpus/dedup.ts';

const realCorpus = resolve(import.meta.dirname, '../../../../shared/corpora/debian-reference');
const PIECE_BYTES = 64 * 1024;
const MB = 1e6;

interface CorpusFile {
  path: string;
  format: DocumentFormat;
  bytes: number;
}

interface Pass {
  bytes: number;
  seconds: number;
  segments: number;
  peakHeap: number;
  peakRss: number;
  /** Most heap still live after a full collection, checked every 16 MB of input and after each file. */
  retained: number;
  /** Live heap added while inside the largest file (its pieces, the packer's window, dedup state for its segments). */
  largestFileGrowth: number;
}

// Live heap needs a full collection on demand; the flag can be set after start-up, and a fresh
// context then carries the `gc` function (heapUsed alone mostly shows how lazily V8 collects).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const RETAIN_EVERY = 16 * MB;

/** Live JS heap plus typed-array memory (where the dedup state lives), after a full collection. */
function liveHeap(): number {
  collect();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const EXACT_ONLY: CorpusSettings = { ...DEFAULT_CORPUS_SETTINGS, nearDedup: false };
const WITH_NEAR: CorpusSettings = { ...DEFAULT_CORPUS_SETTINGS, nearDedup: true };

function realFiles(): CorpusFile[] {
  return readdirSync(realCorpus)
    .filter((name) => /\.(html|txt)$/.test(name))
    .sort()
    .map((name) => {
      const path = join(realCorpus, name);
      return { path, format: detectFormat(name).format, bytes: statSync(path).size };
    });
}

/** Writes the generated corpus to `dir`, a piece at a time; returns its files. */
function writeGenerated(dir: string, chars: number): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const g of generateCorpus(chars)) {
    const path = join(dir, g.path.replace('/', '-'));
    const fd = openSync(path, 'w');
    let bytes = 0;
    try {
      for (const piece of g.pieces()) bytes += writeSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    files.push({ path, format: g.format, bytes });
  }
  return files;
}

/** Reads a file in 64 KB pieces, decoding UTF-8 across piece boundaries as the worker does. */
function* readPieces(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(PIECE_BYTES);
  const decoder = new TextDecoder();
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) yield decoder.decode(buf.subarray(0, n), { stream: true });
    const tail = decoder.decode();
    if (tail !== '') yield tail;
  } finally {
    closeSync(fd);
  }
}

/**
 * One pass of the pipeline over `files`. With `measureMemory`, it also forces full collections
 * to read the live memory (every 16 MB of input and around big files). Those collections are not
 * timed, yet a pass with them runs about a third slower (V8 throws away warmed-up state), and the
 * app never forces one: throughput comes from passes without them.
 */
function ingestPass(files: readonly CorpusFile[], settings: CorpusSettings, measureMemory = false): Pass {
  const pipeline = new CorpusPipeline(settings);
  const pass: Pass = { bytes: 0, seconds: 0, segments: 0, peakHeap: 0, peakRss: 0, retained: 0, largestFileGrowth: 0 };
  const largest = files.reduce((a, f) => (f.bytes > a.bytes ? f : a));
  let ms = 0;
  let sinceCheck = 0;
  const retain = () => {
    if (!measureMemory) return 0;
    const live = liveHeap();
    pass.retained = Math.max(pass.retained, live);
    sinceCheck = 0;
    return live;
  };
  const sample = () => {
    const m = process.memoryUsage();
    pass.peakHeap = Math.max(pass.peakHeap, m.heapUsed);
    pass.peakRss = Math.max(pass.peakRss, m.rss);
  };
  for (const f of files) {
    const before = f === largest ? retain() : 0;
    const t0 = performance.now();
    const file = pipeline.openFile({ docId: f.path, path: f.path, format: f.format });
    ms += performance.now() - t0;
    for (const piece of readPieces(f.path)) {
      const t = performance.now();
      pass.segments += file.pushText(piece).length;
      ms += performance.now() - t;
      sample();
      sinceCheck += piece.length;
      if (sinceCheck >= RETAIN_EVERY) {
        const live = retain();
        if (f === largest) pass.largestFileGrowth = Math.max(pass.largestFileGrowth, live - before);
      }
    }
    const t = performance.now();
    pass.segments += file.end().length;
    ms += performance.now() - t;
    pass.bytes += f.bytes;
    if (f.bytes >= MB || f === largest) {
      const live = retain();
      if (f === largest) pass.largestFileGrowth = Math.max(pass.largestFileGrowth, live - before);
    }
  }
  sample();
  retain();
  pass.seconds = ms / 1000;
  return pass;
}

async function langchainPass(files: readonly CorpusFile[]): Promise<Pass> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 3000, chunkOverlap: 0 });
  const pass: Pass = { bytes: 0, seconds: 0, segments: 0, peakHeap: 0, peakRss: 0, retained: 0, largestFileGrowth: 0 };
  let ms = 0;
  for (const f of files) {
    // LangChain splits whole strings; the biggest generated file is 48 MB.
    const text = readFileSync(f.path, 'utf8');
    const t = performance.now();
    pass.segments += (await splitter.splitText(text)).length;
    ms += performance.now() - t;
    pass.bytes += f.bytes;
  }
  pass.seconds = ms / 1000;
  return pass;
}

/**
 * Bytes of dedup state each kept segment adds (live heap and typed arrays after a full GC): what
 * a corpus of N segments costs in memory, whatever its file sizes. Measured on the dedup
 * structures themselves, fed distinct hashes and signatures, so nothing else's garbage blurs it.
 */
function dedupBytesPerSegment(): { exact: number; near: number } {
  const rand = seededRandom(7);
  const word = () => Math.floor(rand() * 0x100000000);
  const hex = () => word().toString(16).padStart(8, '0');
  const exactCount = 1_000_000;
  const hashes = Array.from({ length: exactCount }, () => hex() + hex());
  // Reading a concatenated string makes V8 flatten it, which shrinks it; do that before measuring.
  for (const h of hashes) /^[0-9a-f]{16}$/.test(h);
  let before = liveHeap();
  const exact = new ExactDedup();
  for (const h of hashes) exact.add(h);
  // The hashes stay alive through the second reading: only the table's growth is counted.
  dedupSink = [exact, hashes];
  const exactBytes = (liveHeap() - before) / exactCount;
  const nearCount = 300_000;
  const { bands, rows } = DEFAULT_NEAR_DUP;
  const sig = new Uint32Array(bands * rows);
  before = liveHeap();
  const near = new NearDedup();
  for (let i = 0; i < nearCount; i++) {
    for (let k = 0; k < sig.length; k++) sig[k] = word();
    near.addSignature(sig);
  }
  const nearBytes = (liveHeap() - before) / nearCount;
  dedupSink = near;
  dedupSink = null;
  return { exact: exactBytes, near: nearBytes };
}
/** Keeps a measured structure alive until its memory is read. */
export let dedupSink: unknown = null;

/** Nanoseconds per step of a plain integer loop: about 1 on these machines when idle, more when shared. */
function loopNanos(): number {
  const steps = 2e7;
  let s = 0;
  const t = performance.now();
  for (let i = 0; i < steps; i++) s = (s + i * 7) | 0;
  loopSink = s;
  return ((performance.now() - t) * 1e6) / steps;
}
/** Keeps the calibration loop's result alive so it cannot be optimised away. */
export let loopSink = 0;

/**
 * How much more plain-loop work two threads get done than one, on this machine now: 2 on two
 * free cores. A virtual machine's second core may be much less than a core, which bounds what
 * the parse workers can gain here.
 */
async function parallelSpeedup(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); let s = 0; const t = performance.now(); for (let i = 0; i < 2e8; i++) s = (s + i * 7) | 0; parentPort.postMessage([performance.now() - t, s]);`;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const w = new Worker(code, { eval: true });
      w.once('message', (m: [number, number]) => {
        resolve(m[0]);
        void w.terminate();
      });
      w.once('error', reject);
    });
  const alone = await one();
  const t = performance.now();
  await Promise.all([one(), one()]);
  const together = performance.now() - t;
  return (2 * alone) / together;
}

const mbps = (p: Pass) => p.bytes / MB / p.seconds;

/** Several passes over a small corpus, summed, so its figure is not one noisy blink. */
function sum(passes: Pass[]): Pass {
  return passes.reduce((a, p) => ({
    bytes: a.bytes + p.bytes,
    seconds: a.seconds + p.seconds,
    segments: a.segments + p.segments,
    peakHeap: Math.max(a.peakHeap, p.peakHeap),
    peakRss: Math.max(a.peakRss, p.peakRss),
    retained: Math.max(a.retained, p.retained),
    largestFileGrowth: Math.max(a.largestFileGrowth, p.largestFileGrowth),
  }));
}

export async function benchIngest(generatedChars = 200 * MB, realRepeats = 3): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const load = loadavg()[0] ?? 0;
  const loop = loopNanos();
  const speedup = await parallelSpeedup();
  const real = realFiles();
  if (real.length === 0) throw new Error(`No .html or .txt files in ${realCorpus}; the shared Debian Reference corpus is missing.`);
  const runs = Array.from({ length: realRepeats }, () => 0);
  // Warm-up: the first passes pay for compiling the pipeline, which the worker pays once per session.
  ingestPass(real, WITH_NEAR);
  ingestPass(real, EXACT_ONLY);
  const realExact = sum(runs.map(() => ingestPass(real, EXACT_ONLY)));
  const realNear = sum(runs.map(() => ingestPass(real, WITH_NEAR)));
  const realMemory = ingestPass(real, WITH_NEAR, true);
  await langchainPass(real);
  const realLangchain = sum(await sequential(realRepeats, () => langchainPass(real)));

  const dir = mkdtempSync(join(tmpdir(), 'humpback-ingest-bench-'));
  let genExact: Pass;
  let genNear: Pass;
  let genExactMemory: Pass;
  let genNearMemory: Pass;
  let genLangchain: Pass;
  let largest = 0;
  try {
    const generated = writeGenerated(dir, generatedChars);
    largest = Math.max(...generated.map((f) => f.bytes));
    genExact = ingestPass(generated, EXACT_ONLY);
    genNear = ingestPass(generated, WITH_NEAR);
    genExactMemory = ingestPass(generated, EXACT_ONLY, true);
    genNearMemory = ingestPass(generated, WITH_NEAR, true);
    genLangchain = await langchainPass(generated);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const perSegment = dedupBytesPerSegment();

  const realMb = `${(realExact.bytes / realRepeats / MB).toFixed(1)} MB`;
  const genMb = `${(genExact.bytes / MB).toFixed(0)} MB`;
  const lc = (p: Pass) => ({ name: 'LangChain RecursiveCharacterTextSplitter', value: mbps(p) });
  figures.push(
    { name: 'ingest.real.exact_dedup.mbps', value: mbps(realExact), unit: `MB/s, segment+filter+exact dedup, Debian Reference HTML+txt (${realMb}) ×${realRepeats}`, better: 'higher', vs: lc(realLangchain), target: '≥ 30 MB/s, ≥ 3× LangChain' },
    { name: 'ingest.real.near_dedup.mbps', value: mbps(realNear), unit: 'MB/s, with near-dup on, same text', better: 'higher', target: '≥ 10 MB/s' },
    { name: 'ingest.generated.exact_dedup.mbps', value: mbps(genExact), unit: `MB/s, segment+filter+exact dedup, generated ${genMb}`, better: 'higher', vs: lc(genLangchain), target: '≥ 30 MB/s, ≥ 3× LangChain' },
    { name: 'ingest.generated.near_dedup.mbps', value: mbps(genNear), unit: `MB/s, with near-dup on, generated ${genMb} (${genNear.segments.toLocaleString('en-US')} segments kept)`, better: 'higher', target: '≥ 10 MB/s' },
    { name: 'ingest.real.peak_heap.mb', value: Math.max(realExact.peakHeap, realNear.peakHeap) / MB, unit: `MB heap used at peak, real corpus (${realMb})`, better: 'lower' },
    { name: 'ingest.generated.peak_heap.mb', value: Math.max(genExact.peakHeap, genNear.peakHeap) / MB, unit: `MB heap used at peak, generated ${genMb} (largest file ${(largest / MB).toFixed(1)} MB; includes dedup state)`, better: 'lower', target: 'bounded regardless of file size' },
    { name: 'ingest.dedup.exact_bytes_per_segment', value: perSegment.exact, unit: 'bytes of exact-dedup state per kept segment (1,000,000 hashes; live heap + typed arrays)', better: 'lower' },
    { name: 'ingest.dedup.near_bytes_per_segment', value: perSegment.near, unit: 'bytes more per kept segment with near-dup on (MinHash signature + LSH tables; 300,000 signatures): 2 million segments ≈ 2 × this many MB', better: 'lower' },
    { name: 'ingest.real.live_heap.mb', value: realMemory.retained / MB, unit: 'MB live after a full GC (heap + typed arrays), at most, real corpus with near-dup (includes the bench and LangChain code)', better: 'lower' },
    { name: 'ingest.generated.live_heap.mb', value: genNearMemory.retained / MB, unit: `MB live after a full GC (heap + typed arrays), at most, generated ${genMb} with near-dup (dedup state for ${genNear.segments.toLocaleString('en-US')} segments)`, better: 'lower', target: 'bounded regardless of file size' },
    { name: 'ingest.generated.largest_file_growth.exact.mb', value: genExactMemory.largestFileGrowth / MB, unit: `MB of live memory (heap + typed arrays) added while reading the largest file (${(largest / MB).toFixed(1)} MB), exact dedup: its segments' hashes`, better: 'lower', target: 'far below the file size' },
    { name: 'ingest.generated.largest_file_growth.near.mb', value: genNearMemory.largestFileGrowth / MB, unit: 'MB of live memory (heap + typed arrays) added while reading the same file with near-dup on: its segments\' signatures and LSH entries too', better: 'lower' },
    { name: 'ingest.real.peak_rss.mb', value: Math.max(realExact.peakRss, realNear.peakRss) / MB, unit: 'MB resident at peak, real corpus', better: 'lower' },
    { name: 'ingest.generated.peak_rss.mb', value: Math.max(genExact.peakRss, genNear.peakRss) / MB, unit: `MB resident at peak, generated ${genMb}`, better: 'lower' },
    { name: 'ingest.machine.load_average', value: load, unit: `1-minute load average at start (${(loadavg()[0] ?? 0).toFixed(1)} at end), 2 cores shared`, better: 'lower' },
    { name: 'ingest.machine.parallel_speedup', value: speedup, unit: '× the plain-loop work two threads do at once compared with one (2 on two free cores): what parallel parse workers can gain here', better: 'higher' },
    { name: 'ingest.machine.loop_ns', value: loop, unit: 'ns per plain loop step (about 1 on this machine when idle): how busy the machine was', better: 'lower' },
  );
  return figures;
}

async function sequential<T>(n: number, run: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await run());
  return out;
}
