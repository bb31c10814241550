/**
 * Corpus ingest through the real worker (comlink) into real IndexedDB in Chromium: good files
 * among bad ones, gzip, PDF text layer, progress and per-file events, a re-drop that must not
 * duplicate, and a crash in the middle of a file that must roll back cleanly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import chapterHtml from '../../fixtures/corpus/debian-ch08.en.html?raw';
import chapterTxt from '../../fixtures/corpus/debian-ch08.en.txt?raw';
import { IngestClient } from '../../../src/adapters/ingest/ingest-client.ts';
import type { IngestEvent } from '../../../src/adapters/ingest/ingest-service.ts';
import type { Segment } from '../../../src/core/records.ts';
import { tinyPdf } from './tiny-pdf.ts';
import { note } from '../../support/prose-notes.ts';
import { gzip } from '../../support/gzip.ts';
import { catalog, testProjects } from './projects.ts';

const project = testProjects('ingest test');
const client = new IngestClient();
afterAll(() => client.terminate());

describe('ingest worker', () => {
  it('ingests good files among bad ones, reporting each file', async () => {
    const id = await project();
    const prose = note(1).length;
    expect(prose).toBeGreaterThan(600);
    const jsonl = [JSON.stringify({ text: note(1) }), '{"text": broken', JSON.stringify({ text: note(2) })].join('\n');
    const events: IngestEvent[] = [];
    const files = [
      new File([chapterHtml], 'ch08.en.html'),
      new File([await gzip(chapterTxt)], 'book/ch08.txt.gz'),
      new File([jsonl], 'notes.jsonl'),
      new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3])], 'picture.txt'),
      new File([], 'empty.md'),
      new File(['whatever'], 'data.xyz'),
      new File([tinyPdf([[note(3)], [note(4)]])], 'notes.pdf'),
      new File([tinyPdf([[]])], 'scan.pdf'),
    ];
    const summary = await client.ingest(id, files.map((file) => ({ file, path: file.name })), {}, (e) => events.push(e));

    const byPath = Object.fromEntries(summary.docs.map((d) => [d.path, d]));
    expect(Object.fromEntries(summary.docs.map((d) => [d.path, d.status]))).toEqual({
      'ch08.en.html': 'done',
      'book/ch08.txt.gz': 'done',
      'notes.jsonl': 'done',
      'picture.txt': 'skipped',
      'empty.md': 'skipped',
      'data.xyz': 'skipped',
      'notes.pdf': 'done',
      'scan.pdf': 'skipped',
    });
    expect(byPath['ch08.en.html']?.produced).toBe(9);
    expect(byPath['notes.jsonl']?.produced).toBe(2);
    expect(byPath['notes.jsonl']?.issues).toEqual({ 'malformed-line': 1 });
    expect(byPath['notes.jsonl']?.message).toBe('1 × malformed-line (line 2)');
    expect(byPath['picture.txt']?.message).toContain('binary');
    expect(byPath['empty.md']?.message).toBe('"empty.md" is empty.');
    expect(byPath['data.xyz']?.message).toContain('extension this app cannot read');
    expect(byPath['scan.pdf']?.message).toContain('no text layer');
    // The text edition of the chapter repeats the HTML: near-dup removes what matches closely.
    expect(byPath['book/ch08.txt.gz']?.produced).toBeGreaterThan(0);

    // PDF: both pages' notes, with page numbers.
    const preview = await client.preview(id, { mode: 'all' }, { offset: 0, limit: 1000 });
    const pdfSegs = preview.segments.filter((s) => s.provenance.path === 'notes.pdf');
    expect(pdfSegs.map((s) => s.provenance.page)).toEqual([1]);
    expect(pdfSegs[0]?.text).toContain('Note 3.');
    expect(pdfSegs[0]?.text).toContain('Note 4.');

    // Stored segments are numbered 0..n-1 without gaps or repeats, and match what the docs say.
    const produced = summary.docs.reduce((n, d) => n + d.produced, 0);
    expect(preview.total).toBe(produced);
    expect(preview.segments.map((s: Segment) => s.seq)).toEqual(Array.from({ length: produced }, (_, i) => i));
    expect(summary.segments).toBe(produced);
    expect(preview.counts.at(-1)?.after).toBe(produced);
    expect(preview.histogram.counts.reduce((a, b) => a + b, 0)).toBe(produced);

    // Events: every file reported, and progress reached all bytes.
    const finalStatus = new Map(events.filter((e): e is Extract<IngestEvent, { type: 'file' }> => e.type === 'file').map((e) => [e.doc.path, e.doc.status]));
    expect(finalStatus.get('notes.jsonl')).toBe('done');
    expect(finalStatus.get('picture.txt')).toBe('skipped');
    const last = events.filter((e): e is Extract<IngestEvent, { type: 'progress' }> => e.type === 'progress').at(-1);
    expect(last?.progress.bytesDone).toBe(last?.progress.bytesTotal);
    expect(last?.progress.filesDone).toBe(8);

    // Dropping the same files again reads only the ones that did not finish, and adds nothing twice.
    const again = await client.ingest(id, files.map((file) => ({ file, path: file.name })));
    expect(again.segments).toBe(0);
    expect((await client.preview(id)).total).toBe(produced);
  });

  it('rolls back a file a crashed session left half-written, then reads it again without duplicates', async () => {
    const id = await project();
    const big = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ text: note(i) })).join('\n');
    const file = new File([big], 'many.jsonl');
    const clean = await client.ingest(id, [{ file }]);
    expect(clean.segments).toBe(3000);

    // Simulate a crash after the first batch: the doc says "reading" and only 1,000 segments exist.
    const store = await catalog.openProject(id);
    const [doc] = await store.listDocs();
    if (!doc) throw new Error('doc missing');
    await store.deleteRange('segments', 1000, 3000, { docs: [{ ...doc, status: 'reading', produced: 1000 }] });
    expect((await store.info('segments')).count).toBe(1000);
    await store.close();

    const resumed = await client.ingest(id, [{ file }]);
    expect(resumed.restarted).toEqual(['many.jsonl']);
    expect(resumed.segments).toBe(3000);
    const preview = await client.preview(id, { mode: 'random', n: 5, seed: 1 }, { offset: 0, limit: 5 });
    expect(preview.total).toBe(3000);
    expect(preview.selected).toBe(5);
    expect(resumed.docs[0]).toMatchObject({ status: 'done', produced: 3000, firstSeq: 0 });
  });

  it('cancels: the file in progress is rolled back and queued, earlier files stay', async () => {
    const id = await project();
    const first = new File([Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: note(i) })).join('\n')], 'first.jsonl');
    const huge = new File([Array.from({ length: 40000 }, (_, i) => JSON.stringify({ text: note(i + 100) })).join('\n')], 'huge.jsonl');
    let cancelled = false;
    const summary = await client.ingest(id, [{ file: first }, { file: huge }], {}, (e) => {
      if (!cancelled && e.type === 'file' && e.doc.path === 'huge.jsonl' && e.doc.produced >= 1000) {
        cancelled = true;
        void client.cancel();
      }
    });
    expect(summary.cancelled).toBe(true);
    const status = Object.fromEntries(summary.docs.map((d) => [d.path, [d.status, d.produced]]));
    expect(status).toEqual({ 'first.jsonl': ['done', 50], 'huge.jsonl': ['queued', 0] });
    expect((await client.preview(id)).total).toBe(50);
  });
});
