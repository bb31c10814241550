/**
 * The IndexedDB store, on idb-keyval's `createStore`. One database for the project catalog and
 * one database per project, so deleting a project is one `deleteDatabase` and projects never
 * contend for the same transactions.
 *
 * Inside a project database (one object store, array keys):
 *   [collection, chunkNo]  → { schemaVersion, records: T[] }  bulk records, CHUNK_SIZE per value
 *   ['meta', collection]   → CollectionMeta                   counts, kept in the same transaction
 *   ['doc', id] / ['run', id] / ['kv', key]                   small records
 * Array keys sort element-wise, so a collection's chunks are one contiguous key range.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { CHUNK_SIZE, chunkOf, fillsChunk, groupByChunk, mergeChunk } from '../core/chunks.ts';
import { StorageFullError, StorageUnavailableError } from '../core/errors.ts';
import { SCHEMA_VERSION, type Collection, type DocumentRecord, type Project, type Run, type SeqRecord } from '../core/records.ts';
import type { Catalog, CollectionInfo, ProjectStore, StorageReport, WriteExtras } from '../ports/store.ts';

interface Chunk<T> {
  schemaVersion: typeof SCHEMA_VERSION;
  records: T[];
}

interface CollectionMeta {
  count: number;
  maxSeq: number;
  /** Records per chunk number. */
  chunks: Record<number, number>;
}

const emptyMeta = (): CollectionMeta => ({ count: 0, maxSeq: -1, chunks: {} });
const readMeta = (os: IDBObjectStore, collection: string) =>
  promisifyRequest(os.get(['meta', collection])) as Promise<CollectionMeta | undefined>;
// In IndexedDB key order arrays sort after strings, so ['x', []] is above every ['x', string|number].
const allUnder = (prefix: string) => IDBKeyRange.bound([prefix, -Infinity], [prefix, []]);
const chunkRange = (collection: string, fromChunk: number) => IDBKeyRange.bound([collection, fromChunk], [collection, Infinity]);

export const PROJECT_DB_PREFIX = 'humpback-project-';
export const CATALOG_DB = 'humpback-catalog';

/**
 * Turns a failed transaction into a named error the UI can explain. A full disk reaches the page
 * two ways in Chromium: QuotaExceededError, or — when a large value (stored as a blob file) no
 * longer fits — "DataError: Failed to write blobs (IOError)".
 */
function storageError(err: unknown): unknown {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'QuotaExceededError') return new StorageFullError('quota exceeded', { cause: err });
  if (e?.name === 'DataError' && /failed to write blob/i.test(e.message ?? '')) return new StorageFullError('the disk is full', { cause: err });
  return err;
}

/**
 * Runs `body` in one readwrite transaction and resolves when it commits. If `body` throws, the
 * transaction is aborted, so a half-done batch never lands.
 */
async function atomically(use: UseStore, body: (os: IDBObjectStore) => Promise<void> | void): Promise<void> {
  try {
    await use('readwrite', async (os) => {
      const done = promisifyRequest(os.transaction);
      try {
        await body(os);
      } catch (err) {
        try {
          os.transaction.abort();
        } catch {
          // already finished or aborted: the original error is what matters
        }
        done.catch(() => undefined);
        throw err;
      }
      await done;
    });
  } catch (err) {
    throw storageError(err);
  }
}

function writeExtras(os: IDBObjectStore, extras: WriteExtras | undefined): void {
  if (!extras) return;
  for (const d of extras.docs ?? []) os.put(d, ['doc', d.id]);
  for (const r of extras.runs ?? []) os.put(r, ['run', r.id]);
  for (const [k, v] of Object.entries(extras.meta ?? {})) os.put(v, ['kv', k]);
}

export class IdbProjectStore implements ProjectStore {
  readonly projectId: string;
  readonly #use: UseStore;
  readonly #chunkSize: number;
  #closed = false;

  constructor(projectId: string, use: UseStore = createStore(PROJECT_DB_PREFIX + projectId, 'data'), chunkSize = CHUNK_SIZE) {
    this.projectId = projectId;
    this.#use = use;
    this.#chunkSize = chunkSize;
  }

  async put<T extends SeqRecord>(collection: Collection, records: readonly T[], extras?: WriteExtras): Promise<void> {
    const groups = groupByChunk(records, this.#chunkSize);
    await atomically(this.#use, async (os) => {
      const meta = (await readMeta(os, collection)) ?? emptyMeta();
      // Whole chunks are written blind; partial ones are read first (all reads issued together).
      const partial = [...groups].filter(([c, recs]) => !fillsChunk(recs, c, this.#chunkSize));
      const olds = await Promise.all(partial.map(([c]) => promisifyRequest(os.get([collection, c])) as Promise<Chunk<T> | undefined>));
      const oldByChunk = new Map(partial.map(([c], i) => [c, olds[i]?.records ?? []]));
      for (const [c, recs] of groups) {
        const old = oldByChunk.get(c);
        const merged = old ? mergeChunk(old, recs) : { records: recs, added: recs.length - (meta.chunks[c] ?? 0) };
        const chunk: Chunk<T> = { schemaVersion: SCHEMA_VERSION, records: merged.records };
        os.put(chunk, [collection, c]);
        meta.chunks[c] = merged.records.length;
        meta.count += merged.added;
        meta.maxSeq = Math.max(meta.maxSeq, merged.records[merged.records.length - 1]?.seq ?? -1);
      }
      os.put(meta, ['meta', collection]);
      writeExtras(os, extras);
    });
  }

  async get<T extends SeqRecord>(collection: Collection, seqs: readonly number[]): Promise<(T | undefined)[]> {
    const wanted = [...new Set(seqs.map((s) => chunkOf(s, this.#chunkSize)))];
    const chunks = await this.#use('readonly', (os) =>
      Promise.all(wanted.map((c) => promisifyRequest(os.get([collection, c])) as Promise<Chunk<T> | undefined>)),
    );
    const byChunk = new Map(wanted.map((c, i) => [c, chunks[i]?.records ?? []]));
    return seqs.map((s) => findSeq(byChunk.get(chunkOf(s, this.#chunkSize)) ?? [], s, this.#chunkSize));
  }

  async page<T extends SeqRecord>(collection: Collection, fromSeq: number, limit: number): Promise<T[]> {
    const out: T[] = [];
    if (limit <= 0) return out;
    await this.scan<T>(collection, (records) => {
      for (const r of records) {
        if (r.seq < fromSeq) continue;
        out.push(r);
        if (out.length >= limit) return false;
      }
      return true;
    }, chunkOf(Math.max(0, fromSeq), this.#chunkSize));
    return out;
  }

  async scan<T extends SeqRecord>(
    collection: Collection,
    onChunk: (records: T[]) => void | boolean | Promise<void | boolean>,
    fromChunk = 0,
  ): Promise<void> {
    // A few chunks per transaction; the callback runs between transactions, so it may await.
    const perRead = 4;
    let next = fromChunk;
    for (;;) {
      const rows = await this.#use('readonly', async (os) => {
        const range = chunkRange(collection, next);
        const [keys, values] = await Promise.all([
          promisifyRequest(os.getAllKeys(range, perRead)),
          promisifyRequest(os.getAll(range, perRead)) as Promise<Chunk<T>[]>,
        ]);
        return keys.map((k, i) => ({ chunk: (k as [string, number])[1], records: values[i]?.records ?? [] }));
      });
      for (const row of rows) {
        if ((await onChunk(row.records)) === false) return;
      }
      if (rows.length < perRead) return;
      next = (rows[rows.length - 1]?.chunk ?? next) + 1;
    }
  }

  async info(collection: Collection): Promise<CollectionInfo> {
    const meta = await this.#use('readonly', (os) => readMeta(os, collection));
    return { collection, count: meta?.count ?? 0, maxSeq: meta?.maxSeq ?? -1 };
  }

  async collections(): Promise<CollectionInfo[]> {
    const [keys, metas] = await this.#use('readonly', (os) =>
      Promise.all([promisifyRequest(os.getAllKeys(allUnder('meta'))), promisifyRequest(os.getAll(allUnder('meta')))]),
    );
    return keys.map((k, i) => {
      const m = metas[i] as CollectionMeta;
      return { collection: (k as [string, Collection])[1], count: m.count, maxSeq: m.maxSeq };
    });
  }

  async deleteRange(collection: Collection, fromSeq: number, toSeq: number, extras?: WriteExtras): Promise<void> {
    await atomically(this.#use, async (os) => {
      const meta = (await readMeta(os, collection)) ?? emptyMeta();
      const size = this.#chunkSize;
      const touched = Object.keys(meta.chunks).map(Number).filter((c) => c * size < toSeq && (c + 1) * size > fromSeq);
      const olds = await Promise.all(touched.map((c) => promisifyRequest(os.get([collection, c])) as Promise<Chunk<SeqRecord> | undefined>));
      touched.forEach((c, i) => {
        const before = olds[i]?.records ?? [];
        const kept = before.filter((r) => r.seq < fromSeq || r.seq >= toSeq);
        meta.count -= before.length - kept.length;
        if (kept.length === 0) {
          os.delete([collection, c]);
          delete meta.chunks[c];
        } else {
          os.put({ schemaVersion: SCHEMA_VERSION, records: kept }, [collection, c]);
          meta.chunks[c] = kept.length;
        }
      });
      const last = Math.max(-1, ...Object.keys(meta.chunks).map(Number));
      if (last < 0) meta.maxSeq = -1;
      else if (meta.maxSeq >= fromSeq && meta.maxSeq < toSeq) {
        const lastChunk = (await promisifyRequest(os.get([collection, last]))) as Chunk<SeqRecord> | undefined;
        // a chunk we rewrote above reads back as rewritten within this transaction
        meta.maxSeq = lastChunk?.records[lastChunk.records.length - 1]?.seq ?? -1;
      }
      os.put(meta, ['meta', collection]);
      writeExtras(os, extras);
    });
  }

  async deleteCollection(collection: Collection): Promise<void> {
    await atomically(this.#use, (os) => {
      os.delete(chunkRange(collection, -Infinity));
      os.delete(['meta', collection]);
    });
  }

  putDocs(docs: readonly DocumentRecord[]): Promise<void> {
    return atomically(this.#use, (os) => writeExtras(os, { docs: [...docs] }));
  }

  async listDocs(): Promise<DocumentRecord[]> {
    const docs = (await this.#use('readonly', (os) => promisifyRequest(os.getAll(allUnder('doc'))))) as DocumentRecord[];
    return docs.sort((a, b) => a.addedAt - b.addedAt || a.path.localeCompare(b.path));
  }

  deleteDoc(id: string): Promise<void> {
    return atomically(this.#use, (os) => void os.delete(['doc', id]));
  }

  putRun(run: Run): Promise<void> {
    return atomically(this.#use, (os) => writeExtras(os, { runs: [run] }));
  }

  async getRun(id: string): Promise<Run | undefined> {
    return (await this.#use('readonly', (os) => promisifyRequest(os.get(['run', id])))) as Run | undefined;
  }

  async listRuns(): Promise<Run[]> {
    const runs = (await this.#use('readonly', (os) => promisifyRequest(os.getAll(allUnder('run'))))) as Run[];
    return runs.sort((a, b) => a.createdAt - b.createdAt);
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.#use('readonly', (os) => promisifyRequest(os.get(['kv', key])))) as T | undefined;
  }

  putMeta(key: string, value: unknown): Promise<void> {
    return atomically(this.#use, (os) => writeExtras(os, { meta: { [key]: value } }));
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#use('readonly', (os) => os.transaction.db.close());
  }
}

/** Records in a chunk are sorted by seq and usually dense, so try the direct slot first. */
function findSeq<T extends SeqRecord>(records: readonly T[], seq: number, size: number): T | undefined {
  const direct = records[seq % size];
  if (direct?.seq === seq) return direct;
  let lo = 0;
  let hi = records.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = records[mid] as T;
    if (r.seq === seq) return r;
    if (r.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export class IdbCatalog implements Catalog {
  readonly #use: UseStore;
  readonly #open = new Map<string, IdbProjectStore>();
  readonly #storage: StorageManager | undefined;

  constructor(use?: UseStore, storage: StorageManager | undefined = globalThis.navigator?.storage) {
    if (typeof indexedDB === 'undefined') throw new StorageUnavailableError('indexedDB is not defined');
    this.#use = use ?? createStore(CATALOG_DB, 'projects');
    this.#storage = storage;
  }

  async listProjects(): Promise<Project[]> {
    const all = (await this.#use('readonly', (os) => promisifyRequest(os.getAll()))) as Project[];
    return all.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  putProject(project: Project): Promise<void> {
    return atomically(this.#use, (os) => void os.put(project, project.id));
  }

  async getProject(id: string): Promise<Project | undefined> {
    return (await this.#use('readonly', (os) => promisifyRequest(os.get(id)))) as Project | undefined;
  }

  async deleteProject(id: string): Promise<void> {
    const open = this.#open.get(id);
    this.#open.delete(id);
    if (open) await open.close();
    await atomically(this.#use, (os) => void os.delete(id));
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(PROJECT_DB_PREFIX + id);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      // Another tab holds the database open; its versionchange handler closes it, then we succeed.
      req.onblocked = () => undefined;
    });
  }

  async openProject(id: string): Promise<ProjectStore> {
    let store = this.#open.get(id);
    if (!store || store.closed) {
      const use = createStore(PROJECT_DB_PREFIX + id, 'data');
      // Let another tab delete this project: close our connection when it asks.
      await use('readonly', (os) => {
        os.transaction.db.onversionchange = () => os.transaction.db.close();
      });
      store = new IdbProjectStore(id, use);
      this.#open.set(id, store);
    }
    return store;
  }

  async report(): Promise<StorageReport> {
    if (!this.#storage) return { usage: null, quota: null, persisted: false };
    const [est, persisted] = await Promise.all([this.#storage.estimate(), this.#storage.persisted?.() ?? Promise.resolve(false)]);
    return { usage: est.usage ?? null, quota: est.quota ?? null, persisted };
  }

  async requestPersistence(): Promise<boolean> {
    return (await this.#storage?.persist?.()) ?? false;
  }
}
