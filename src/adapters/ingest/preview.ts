/**
 * What the corpus preview shows, read from the stored segments: the length histogram, a page of
 * sample segments with provenance, and the before → after counts per filter (stored per file at
 * ingest, summed here). Runs in the ingest worker, since scanning 500,000 segments is no job for
 * the page's thread.
 */
import type { StepCount } from '../../core/corpus/filters.ts';
import { lengthHistogram, sampleSegments, type Histogram, type SampleSpec, type Sized } from '../../core/corpus/sample.ts';
import { DEFAULT_WINDOW, type SegmentWindow } from '../../core/corpus/settings.ts';
import { isCorpusDoc, type DocumentRecord, type Segment } from '../../core/records.ts';
import type { ProjectStore } from '../../ports/store.ts';

export const countsKey = (docId: string) => `corpus:counts:${docId}`;

export interface CorpusPreview {
  /** Segments stored. */
  total: number;
  /** Segments the sample spec selects. */
  selected: number;
  /** The requested page of the selection, in seq order. */
  segments: Segment[];
  histogram: Histogram;
  counts: StepCount[];
  docs: DocumentRecord[];
}

/** Adds up per-file step counts (same steps in the same order). */
export function sumCounts(perFile: readonly StepCount[][]): StepCount[] {
  const out: StepCount[] = [];
  for (const counts of perFile) {
    counts.forEach((c, i) => {
      const o = out[i];
      if (!o) out[i] = { ...c };
      else {
        o.before += c.before;
        o.after += c.after;
      }
    });
  }
  return out;
}

export async function loadCounts(store: ProjectStore, docs: readonly DocumentRecord[]): Promise<StepCount[]> {
  const perFile = await Promise.all(docs.map((d) => store.getMeta<StepCount[]>(countsKey(d.id))));
  return sumCounts(perFile.filter((c): c is StepCount[] => Array.isArray(c)));
}

/** Every segment's seq and length, read chunk by chunk (the sampler's input). */
export async function segmentSizes(store: ProjectStore): Promise<Sized[]> {
  const sizes: Sized[] = [];
  await store.scan<Segment>('segments', (chunk) => {
    for (const s of chunk) sizes.push({ seq: s.seq, chars: s.chars });
  });
  return sizes;
}

export async function corpusPreview(
  store: ProjectStore,
  spec: SampleSpec = { mode: 'all' },
  page: { offset: number; limit: number } = { offset: 0, limit: 20 },
  window: SegmentWindow = DEFAULT_WINDOW,
): Promise<CorpusPreview> {
  const sizes = await segmentSizes(store);
  const chosen = sampleSegments(sizes, spec);
  const wanted = chosen.slice(page.offset, page.offset + page.limit);
  const segments = (await store.get<Segment>('segments', wanted)).filter((s): s is Segment => s !== undefined);
  const docs = (await store.listDocs()).filter(isCorpusDoc);
  return {
    total: sizes.length,
    selected: chosen.length,
    segments,
    histogram: lengthHistogram(
      sizes.map((s) => s.chars),
      window.minChars,
      window.maxChars,
    ),
    counts: await loadCounts(store, docs),
    docs,
  };
}
