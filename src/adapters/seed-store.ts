/**
 * Seed files in the project store. A dropped file is read and filtered whole (seed sets are
 * thousands of pairs, not millions), duplicates of pairs already stored are dropped, and then its
 * pairs, its DocumentRecord and its report land in ONE write: after a reload a file is either
 * fully there, with the report that explains its counts, or not there at all.
 *
 * Seed documents share the project's document list with corpus files; `collection: 'seeds'`
 * tells them apart. They are never left in status 'reading' (the corpus ingest rolls back
 * 'reading' documents in the segments collection), because each file is written in one batch.
 *
 * Removing a file takes two writes (the store deletes documents on their own): its pairs go
 * together with its report, then its document. A document left without a report by a reload in
 * between is cleaned up by `loadSeedLibrary`.
 */
import { AbortedError, describeError } from '../core/errors.ts';
import { SCHEMA_VERSION, isSeedDoc, newId, type DocumentRecord, type SeedPair } from '../core/records.ts';
import { DEFAULT_SEED_FILTERS, seedKey, type SeedFilterOptions } from '../core/seed/filters.ts';
import { finishSeedFile, importSeedRowsAsync, toSeedPair, type SeedFileReport } from '../core/seed/import.ts';
import type { SeedFormat, SourceRow } from '../core/seed/types.ts';
import type { ProjectStore } from '../ports/store.ts';
import { readSeedRows, type SeedReadProgress } from './seed-file-reader.ts';

/** Stored per seed file under `seedReportKey(docId)`; `null` once the file is removed. */
export interface SeedFileMeta {
  /** Null when the file could not be read at all (the document's message says why). */
  report: SeedFileReport | null;
  /** Pairs the file kept that were already in the project (from other files), so not stored again. */
  crossDuplicates: number;
  /** The switches the file was imported with. */
  filters: SeedFilterOptions;
  /** The format the user chose, or 'auto'. */
  choice: SeedFormat | 'auto';
}

export interface SeedFile extends SeedFileMeta {
  doc: DocumentRecord;
}

export const seedReportKey = (docId: string) => `seeds:report:${docId}`;

export { isSeedDoc };

/** Every stored seed pair (seq order) and every seed file with its report (in the order added). */
export async function loadSeedLibrary(store: ProjectStore): Promise<{ files: SeedFile[]; pairs: SeedPair[] }> {
  const docs = (await store.listDocs()).filter(isSeedDoc);
  const files: SeedFile[] = [];
  for (const doc of docs) {
    const meta = await store.getMeta<SeedFileMeta | null>(seedReportKey(doc.id));
    if (meta) files.push({ doc, ...meta });
    else await store.deleteDoc(doc.id); // removal interrupted after its pairs went
  }
  const pairs: SeedPair[] = [];
  await store.scan<SeedPair>('seeds', (chunk) => {
    pairs.push(...chunk);
  });
  return { files, pairs };
}

export interface AddSeedFileOptions {
  format?: SeedFormat | 'auto';
  filters?: Partial<SeedFilterOptions>;
  /** Keys (`seedKey`) of pairs already stored; the file's new keys are added to it. */
  existing: Set<string>;
  /** The seq the file's first pair gets. */
  nextSeq: number;
  /** Re-importing a stored file: keep its id and when it was added. */
  replace?: DocumentRecord;
  signal?: AbortSignal;
  onProgress?: (p: SeedReadProgress) => void;
}

function documentFormat(path: string): DocumentRecord['format'] {
  return /\.json(\.gz)?$/i.test(path) ? 'json' : 'jsonl';
}

/**
 * Reads, filters and stores one seed file. A file the browser cannot read is stored as 'failed'
 * with the reason; a cancelled read stores nothing and throws AbortedError; storage errors throw.
 */
export async function addSeedFile(store: ProjectStore, file: Blob, path: string, options: AddSeedFileOptions): Promise<{ file: SeedFile; pairs: SeedPair[] }> {
  const filters: SeedFilterOptions = { ...DEFAULT_SEED_FILTERS, ...options.filters };
  const choice = options.format ?? 'auto';
  const base: DocumentRecord = {
    schemaVersion: SCHEMA_VERSION,
    id: options.replace?.id ?? newId('d_'),
    path,
    format: documentFormat(path),
    gzip: /\.gz$/i.test(path),
    bytes: file.size,
    status: 'done',
    produced: 0,
    issues: {},
    addedAt: options.replace?.addedAt ?? Date.now(),
    collection: 'seeds',
  };
  let imported: ReturnType<typeof finishSeedFile>;
  try {
    const rows = breathing(readSeedRows(file, path, { signal: options.signal, onProgress: options.onProgress }), path, options.signal);
    imported = finishSeedFile(await importSeedRowsAsync(rows, path, choice), filters);
  } catch (err) {
    // Cancelled reads and storage errors go up; a file the browser could not read is recorded.
    const { name, message } = describeError(err);
    if (name !== 'SeedFileReadError') throw err;
    const meta: SeedFileMeta = { report: null, crossDuplicates: 0, filters, choice };
    const doc: DocumentRecord = { ...base, status: 'failed', message };
    await store.put('seeds', [], { docs: [doc], meta: { [seedReportKey(doc.id)]: meta } });
    return { file: { doc, ...meta }, pairs: [] };
  }
  if (options.signal?.aborted) throw new AbortedError(`Reading ${path} was cancelled.`);
  const { report, seeds } = imported;
  const fresh = filters.dedupe
    ? seeds.filter((s) => {
        const key = seedKey(s);
        if (options.existing.has(key)) return false;
        options.existing.add(key);
        return true;
      })
    : seeds;
  const pairs = fresh.map((s, i) => toSeedPair(s, base.id, options.nextSeq + i));
  const doc: DocumentRecord = {
    ...base,
    status: pairs.length > 0 ? 'done' : 'skipped',
    produced: pairs.length,
    issues: { ...report.issues },
    ...(pairs.length > 0 ? { firstSeq: options.nextSeq } : {}),
    ...(report.message ? { message: report.message } : {}),
  };
  if (!report.message && pairs.length === 0) doc.message = 'Every pair this file kept is already in the project.';
  const meta: SeedFileMeta = { report, crossDuplicates: seeds.length - fresh.length, filters, choice };
  await store.put('seeds', pairs, { docs: [doc], meta: { [seedReportKey(doc.id)]: meta } });
  return { file: { doc, ...meta }, pairs };
}

/** Deletes a seed file's pairs and report (one write), then its document. */
export async function removeSeedFile(store: ProjectStore, doc: DocumentRecord): Promise<void> {
  const gone: DocumentRecord = { ...doc, status: 'skipped', produced: 0, message: 'Removed.' };
  delete gone.firstSeq;
  const extras = { docs: [gone], meta: { [seedReportKey(doc.id)]: null } };
  if (doc.firstSeq !== undefined && doc.produced > 0) await store.deleteRange('seeds', doc.firstSeq, doc.firstSeq + doc.produced, extras);
  else await store.put('seeds', [], extras);
  await store.deleteDoc(doc.id);
}

/**
 * Rows as they come, with a pause for the page every `everyMs`: a file's chunks can arrive as
 * microtasks back to back, and parsing a large export without a macrotask in between would
 * freeze the page (and its Cancel button) until the whole file is read.
 */
async function* breathing(rows: AsyncIterable<SourceRow>, path: string, signal: AbortSignal | undefined, everyMs = 25): AsyncGenerator<SourceRow> {
  let last = performance.now();
  for await (const row of rows) {
    yield row;
    if (performance.now() - last < everyMs) continue;
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) throw new AbortedError(`Reading ${path} was cancelled.`);
    last = performance.now();
  }
}
