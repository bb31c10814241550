/**
 * Text files parsed by two real parse workers at once must give exactly the corpus one thread
 * gives: the same segments, in the same order with the same numbers, the same dedup across
 * files (first occurrence wins, in the order the files were given), the same per-file issues
 * and counts. Both ingests run the real IngestService in this page against real IndexedDB.
 */
import { describe, expect, it } from 'vitest';
import chapterHtml from '../../fixtures/corpus/debian-ch08.en.html?raw';
import chapterTxt from '../../fixtures/corpus/debian-ch08.en.txt?raw';
import { IngestService, type IngestSummary } from '../../../src/adapters/ingest/ingest-service.ts';
import { inProcessParser, workerParser, type TextParser } from '../../../src/adapters/ingest/parse-pool.ts';
import type { Segment } from '../../../src/core/records.ts';
import { note } from '../../support/prose-notes.ts';
import { gzip } from '../../support/gzip.ts';
import { catalog, testProjects } from './projects.ts';

const project = testProjects('parse pool test');

/** A parse worker that remembers the paths it was given. */
function recorded(parser: TextParser, paths: string[]): TextParser {
  return { ...parser, parse: (req) => (paths.push(req.path), parser.parse(req)) };
}

const parseWorker = () => new Worker(new URL('../../../workers/parse.worker.ts', import.meta.url), { type: 'module' });

async function stored(id: string): Promise<{ segments: Omit<Segment, 'provenance' | 'id'>[]; where: unknown[]; docs: unknown[] }> {
  const store = await catalog.openProject(id);
  try {
    const segments: Segment[] = [];
    await store.scan<Segment>('segments', (chunk) => void segments.push(...chunk));
    const docs = await store.listDocs();
    const pathOf = new Map(docs.map((d) => [d.id, d.path]));
    return {
      // Document ids are random per project; compare by path.
      segments: segments.map(({ provenance: _p, id: _i, ...rest }) => rest),
      where: segments.map((s) => ({ ...s.provenance, docId: pathOf.get(s.provenance.docId) })),
      docs: docs.map((d) => [d.path, d.status, d.produced, d.firstSeq, d.issues, d.message]).sort(),
    };
  } finally {
    await store.close();
  }
}

describe('parse workers', () => {
  it('two workers at once store exactly what one thread stores', async () => {
    const notes = (from: number, n: number) => Array.from({ length: n }, (_, i) => note(from + i)).join('\n\n');
    const nearCopy = notes(0, 6).replace(/\bkernel\b/, 'kernels');
    const files = [
      new File([chapterHtml], 'ch08.en.html'),
      new File([notes(0, 6)], 'notes/a.md'),
      new File([await gzip(chapterTxt)], 'book/ch08.txt.gz'),
      new File([nearCopy], 'notes/a-edited.md'),
      new File([[JSON.stringify({ text: note(50) }), '{"text": broken', JSON.stringify({ text: note(0) }), JSON.stringify({ text: note(51) })].join('\n')], 'notes.jsonl'),
      new File([notes(20, 5)], 'notes/b.txt'),
      new File([note(50)], 'notes/again.txt'),
      new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])], 'picture.txt'),
      new File([chapterHtml], 'copy-of-ch08.html'),
      new File([notes(30, 40)], 'notes/long.md'),
      new File([], 'empty.md'),
    ];
    const inputs = files.map((file) => ({ file, path: file.name }));

    const one = await project();
    const alone = new IngestService(undefined, () => [inProcessParser()]);
    const a: IngestSummary = await alone.ingest(one, inputs);

    const two = await project();
    const seen: string[][] = [[], []];
    const pool = new IngestService(undefined, () => [recorded(workerParser(parseWorker()), seen[0] as string[]), recorded(workerParser(parseWorker()), seen[1] as string[])]);
    const b: IngestSummary = await pool.ingest(two, inputs);
    pool.dispose();

    // Both workers took files, and between them every text file exactly once, in order per worker.
    expect(seen[0]?.length).toBeGreaterThan(0);
    expect(seen[1]?.length).toBeGreaterThan(0);
    expect([...(seen[0] as string[]), ...(seen[1] as string[])].sort()).toEqual(files.map((f) => f.name).sort());

    expect(b.segments).toBe(a.segments);
    expect(b.counts).toEqual(a.counts);
    const [sa, sb] = [await stored(one), await stored(two)];
    expect(sb.docs).toEqual(sa.docs);
    expect(sb.segments).toEqual(sa.segments);
    expect(sb.where).toEqual(sa.where);

    // What the corpus must hold either way: the copies and near-copy are gone, the bad files say why.
    const docs = Object.fromEntries(b.docs.map((d) => [d.path, d]));
    expect(docs['copy-of-ch08.html']).toMatchObject({ status: 'done', produced: 0 });
    expect(docs['notes/a-edited.md']).toMatchObject({ status: 'done', produced: 0 });
    expect(docs['notes.jsonl']).toMatchObject({ status: 'done', produced: 3 });
    expect(docs['notes/again.txt']).toMatchObject({ status: 'done', produced: 0 });
    expect(docs['notes.jsonl']?.issues).toEqual({ 'malformed-line': 1 });
    expect(docs['picture.txt']).toMatchObject({ status: 'skipped' });
    expect(docs['empty.md']).toMatchObject({ status: 'skipped' });
    // About three 900-character notes fit one 3,000-character segment.
    expect(docs['notes/long.md']).toMatchObject({ status: 'done', produced: 14 });
    expect(b.counts.find((c) => c.step === 'exact-duplicate')?.after).toBeLessThan(b.counts.find((c) => c.step === 'exact-duplicate')?.before ?? 0);
  });

  it('a parse worker that dies fails its files with a message; the other worker reads the rest', async () => {
    const id = await project();
    const dying = URL.createObjectURL(new Blob(['throw new Error("boom: out of memory")'], { type: 'text/javascript' }));
    const service = new IngestService(undefined, () => [workerParser(parseWorker()), workerParser(new Worker(dying))]);
    const files = Array.from({ length: 6 }, (_, i) => new File([note(200 + i)], `n${i}.txt`));
    const summary = await service.ingest(id, files.map((file) => ({ file, path: file.name })));
    service.dispose();
    const docs = Object.fromEntries(summary.docs.map((d) => [d.path, d]));
    // The first file always goes to the first (working) parser.
    expect(docs['n0.txt']).toMatchObject({ status: 'done', produced: 1 });
    const failed = summary.docs.filter((d) => d.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const d of failed) expect(d.message).toMatch(/^A background reader stopped \(.*boom: out of memory.*\)\. Reload the page/);
    for (const d of summary.docs) expect(['done', 'failed']).toContain(d.status);
    expect(summary.segments).toBe(summary.docs.filter((d) => d.status === 'done').length);
  });
});
