/**
 * Corpus ingest on a disk that fills up (browser-full-disk project: Chromium's profile on a
 * 48 MB filesystem). The ingest must stop with the named error, and what it stored must stay
 * consistent: a document marked done has all of its segments, one with only some of them is
 * marked as being read (so the next ingest rolls it back), and nothing else is half there.
 */
import { expect, it } from 'vitest';
import { IngestService } from '../../../src/adapters/ingest/ingest-service.ts';
import { isCorpusDoc, type Segment } from '../../../src/core/records.ts';
import { failure } from '../../support/failure.ts';
import { catalog, testProjects } from '../corpus/projects.ts';

const project = testProjects('ingest fills the disk');

/** About `chars` of word-like text that passes the quality filters and never repeats (and hardly compresses). */
function prose(chars: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const paragraphs: string[] = [];
  let size = 0;
  while (size < chars) {
    const words: string[] = [];
    for (let n = 0; n < 150; n++) {
      let w = '';
      for (let k = 3 + Math.floor(Math.random() * 6); k > 0; k--) w += letters[Math.floor(Math.random() * 26)];
      words.push(w);
    }
    const p = words.join(' ') + '.';
    paragraphs.push(p);
    size += p.length + 2;
  }
  return paragraphs.join('\n\n');
}

it('a full disk stops the ingest with StorageFullError and leaves every document consistent with its stored segments', async () => {
  const id = await project();
  // 100 files of 1 MB: about twice what the disk holds.
  const files = Array.from({ length: 100 }, (_, i) => new File([prose(1_000_000)], `part-${String(i).padStart(3, '0')}.txt`));
  const service = new IngestService();
  const err = await failure(service.ingest(id, files.map((file) => ({ file, path: file.name }))));
  service.dispose();
  expect(err.name).toBe('StorageFullError');
  expect(err.message).toMatch(/Nothing from this batch was saved and earlier data is intact/);

  const store = await catalog.openProject(id);
  try {
    const perDoc = new Map<string, number>();
    await store.scan<Segment>('segments', (chunk) => {
      for (const s of chunk) perDoc.set(s.provenance.docId, (perDoc.get(s.provenance.docId) ?? 0) + 1);
    });
    const docs = (await store.listDocs()).filter(isCorpusDoc);
    expect(docs).toHaveLength(100);
    const done = docs.filter((d) => d.status === 'done');
    // Some files made it before the disk filled, and not all of them did.
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(100);
    for (const d of docs) {
      const stored = perDoc.get(d.id) ?? 0;
      if (d.status === 'done') expect(stored, d.path).toBe(d.produced);
      else if (stored > 0) expect(d.status, d.path).toBe('reading');
      else expect(['queued', 'reading'], d.path).toContain(d.status);
    }
    // Every stored segment belongs to a document the store knows.
    expect([...perDoc.keys()].every((docId) => docs.some((d) => d.id === docId))).toBe(true);
  } finally {
    await store.close();
  }
});
