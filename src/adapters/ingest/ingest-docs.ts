/**
 * What an ingest says about its documents: the one-line issue summary each file shows, and the
 * start-of-ingest repair that rolls back files an earlier session left half-read.
 */
import { isCorpusDoc, type DocumentRecord } from '../../core/records.ts';
import type { FileIngest } from '../../core/corpus/pipeline.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { countsKey } from './preview.ts';

/** "2 malformed lines (line 3, line 9); 1 missing-field (line 5)" — the per-file line the UI shows. */
export function describeIssues(ingest: FileIngest): string {
  return Object.entries(ingest.issueCounts)
    .map(([code, n]) => {
      const at = ingest.issues.filter((i) => i.code === code && i.at).map((i) => i.at).slice(0, 5);
      return `${n} × ${code}${at.length > 0 ? ` (${at.join(', ')}${n > at.length ? ', …' : ''})` : ''}`;
    })
    .join('; ');
}

/** Deletes the segments of files a previous session left half-read and marks them queued again. */
export async function rollBackUnfinished(store: ProjectStore): Promise<string[]> {
  const docs = (await store.listDocs()).filter(isCorpusDoc);
  const unfinished = docs.filter((d) => d.status === 'reading');
  const info = await store.info('segments');
  for (const d of unfinished) {
    const reset: DocumentRecord = { ...d, status: 'queued', produced: 0, firstSeq: undefined, message: undefined, issues: {} };
    if (d.firstSeq !== undefined && info.maxSeq >= d.firstSeq) await store.deleteRange('segments', d.firstSeq, info.maxSeq + 1, { docs: [reset], meta: { [countsKey(d.id)]: [] } });
    else await store.putDocs([reset]);
  }
  return unfinished.map((d) => d.path);
}
