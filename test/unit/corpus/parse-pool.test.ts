/**
 * The parse pool's ordering and back-pressure, with real parse services in-process on real
 * Blobs: output arrives per file in file order whichever parser took it, a parser whose file
 * is not being read is held at its next batch, and stopping releases everything.
 */
import { describe, expect, it } from 'vitest';
import { FileParse } from '../../../src/core/corpus/file-parse.ts';
import { DEFAULT_CORPUS_SETTINGS, type Assessed } from '../../../src/core/corpus/pipeline.ts';
import { ParsePool, inProcessParser, type TextParser } from '../../../src/adapters/ingest/parse-pool.ts';
import { PARSE_BATCH } from '../../../src/adapters/ingest/parse-service.ts';
import { note } from '../../support/prose-notes.ts';

const settings = DEFAULT_CORPUS_SETTINGS;
const notes = (from: number, n: number) => Array.from({ length: n }, (_, i) => note(from + i)).join('\n\n');
const texts = [notes(0, 1500), notes(2000, 300), notes(4000, 1500)];
const requests = texts.map((t, i) => ({ file: new Blob([t]), path: `f${i}.md`, format: 'md' as const, gzip: false, settings }));

/** A parser that counts the batches it hands over. */
function counted(parser: TextParser, counts: number[]): TextParser {
  return {
    ...parser,
    connect: (sink) => parser.connect({ ...sink, batch: (id, items) => ((counts[0] = (counts[0] ?? 0) + 1), sink.batch(id, items)) }),
  };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

describe('parse pool', () => {
  it('hands each file over in order, the same as parsing it alone', async () => {
    const pool = new ParsePool([inProcessParser(), inProcessParser()]);
    const run = pool.run(requests, () => undefined);
    for (const [i, text] of texts.entries()) {
      const got: Assessed[] = [];
      for (let b = await run.file(i).next(); b; b = await run.file(i).next()) got.push(...b);
      const alone = new FileParse('md', settings);
      const want = [...alone.pushText(text), ...alone.end()];
      expect(got.length).toBe(want.length);
      expect(got.map((a) => a.hash)).toEqual(want.map((a) => a.hash));
      expect(got.map((a) => a.text)).toEqual(want.map((a) => a.text));
      expect(run.file(i).outcome.skipped).toBeUndefined();
    }
    await run.stop();
  });

  it('holds a parser whose file waits for its turn, and lets it go when read or stopped', async () => {
    const counts = [0];
    const pool = new ParsePool([counted(inProcessParser(), counts), counted(inProcessParser(), counts)]);
    // Capacity 1: every batch waits until it is read.
    const run = pool.run(requests, () => undefined, 1);
    await until(() => counts[0] === 2);
    await new Promise((r) => setTimeout(r, 50));
    // Files 0 and 1 each handed over one batch and were held; nobody started file 2.
    expect(counts[0]).toBe(2);

    // Reading file 0 lets its parser go on, a batch at a time.
    const first = await run.file(0).next();
    expect(first?.length).toBeGreaterThanOrEqual(PARSE_BATCH);
    await until(() => counts[0] === 3);
    expect(counts[0]).toBe(3);

    await run.stop();
    await expect(run.file(2).next()).rejects.toMatchObject({ name: 'AbortError' });
    await expect(run.file(1).next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('starts files at most a few past the one being read, however small they are', async () => {
    const started: string[] = [];
    const record = (p: TextParser): TextParser => ({ ...p, parse: (req) => (started.push(req.path), p.parse(req)) });
    const pool = new ParsePool([record(inProcessParser()), record(inProcessParser())]);
    const small = Array.from({ length: 8 }, (_, i) => ({ file: new Blob([note(100 + i)]), path: `s${i}.txt`, format: 'txt' as const, gzip: false, settings }));
    const run = pool.run(small, () => undefined);
    await until(() => started.length === 4);
    await new Promise((r) => setTimeout(r, 50));
    // Two parsers, nothing read yet: the file being read (0) and three past it.
    expect(started).toEqual(['s0.txt', 's1.txt', 's2.txt', 's3.txt']);
    for (let i = 0; i < 8; i++) {
      const got: Assessed[] = [];
      for (let b = await run.file(i).next(); b; b = await run.file(i).next()) got.push(...b);
      expect(got.map((a) => a.text)).toEqual([note(100 + i)]);
    }
    expect(started).toHaveLength(8);
    await run.stop();
  });
});
