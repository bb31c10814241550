/**
 * An in-memory ProjectStore with the same contract as the IndexedDB one (atomic batches,
 * upsert by seq, paging, ranges). Used by node tests of core logic and for scratch work that
 * should not persist. Values are structured-cloned on the way in and out, as IndexedDB does, so
 * a caller that mutates a record after writing it sees the same behaviour in both.
 */
import type { Collection, DocumentRecord, Run, SeqRecord } from '../core/records.ts';
import type { CollectionInfo, ProjectStore, WriteExtras } from '../ports/store.ts';

export class MemoryProjectStore implements ProjectStore {
  readonly projectId: string;
  readonly #collections = new Map<Collection, Map<number, SeqRecord>>();
  readonly #docs = new Map<string, DocumentRecord>();
  readonly #runs = new Map<string, Run>();
  readonly #meta = new Map<string, unknown>();
  /** Number of successful writes; tests use it to abort "between" writes. */
  writes = 0;
  /** When set, called before each write commits; throwing aborts that write entirely. */
  beforeWrite: (() => void) | undefined;

  constructor(projectId = 'memory') {
    this.projectId = projectId;
  }

  #col(c: Collection): Map<number, SeqRecord> {
    let m = this.#collections.get(c);
    if (!m) this.#collections.set(c, (m = new Map()));
    return m;
  }

  #commit(apply: () => void): void {
    this.beforeWrite?.(); // throws → nothing applied, like an aborted transaction
    apply();
    this.writes++;
  }

  #extras(extras: WriteExtras | undefined): void {
    for (const d of extras?.docs ?? []) this.#docs.set(d.id, structuredClone(d));
    for (const r of extras?.runs ?? []) this.#runs.set(r.id, structuredClone(r));
    for (const [k, v] of Object.entries(extras?.meta ?? {})) this.#meta.set(k, structuredClone(v));
  }

  async put<T extends SeqRecord>(collection: Collection, records: readonly T[], extras?: WriteExtras): Promise<void> {
    for (const r of records) {
      if (!Number.isInteger(r.seq) || r.seq < 0) throw new RangeError(`seq must be a non-negative integer, got ${r.seq}`);
    }
    const copies = structuredClone(records as T[]);
    this.#commit(() => {
      const m = this.#col(collection);
      for (const r of copies) m.set(r.seq, r);
      this.#extras(extras);
    });
  }

  async get<T extends SeqRecord>(collection: Collection, seqs: readonly number[]): Promise<(T | undefined)[]> {
    const m = this.#collections.get(collection);
    return seqs.map((s) => {
      const r = m?.get(s);
      return r === undefined ? undefined : (structuredClone(r) as T);
    });
  }

  #sorted(collection: Collection): SeqRecord[] {
    return [...(this.#collections.get(collection)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  async page<T extends SeqRecord>(collection: Collection, fromSeq: number, limit: number): Promise<T[]> {
    return structuredClone(this.#sorted(collection).filter((r) => r.seq >= fromSeq).slice(0, Math.max(0, limit)) as T[]);
  }

  async scan<T extends SeqRecord>(collection: Collection, onChunk: (records: T[]) => void | boolean | Promise<void | boolean>): Promise<void> {
    const all = this.#sorted(collection);
    for (let i = 0; i < all.length; i += 1000) {
      if ((await onChunk(structuredClone(all.slice(i, i + 1000)) as T[])) === false) return;
    }
  }

  async info(collection: Collection): Promise<CollectionInfo> {
    const m = this.#collections.get(collection);
    return { collection, count: m?.size ?? 0, maxSeq: m && m.size > 0 ? Math.max(...m.keys()) : -1 };
  }

  async collections(): Promise<CollectionInfo[]> {
    return Promise.all([...this.#collections.keys()].map((c) => this.info(c)));
  }

  async deleteRange(collection: Collection, fromSeq: number, toSeq: number, extras?: WriteExtras): Promise<void> {
    this.#commit(() => {
      const m = this.#col(collection);
      for (const s of [...m.keys()]) if (s >= fromSeq && s < toSeq) m.delete(s);
      this.#extras(extras);
    });
  }

  async deleteCollection(collection: Collection): Promise<void> {
    this.#commit(() => this.#collections.delete(collection));
  }

  async putDocs(docs: readonly DocumentRecord[]): Promise<void> {
    this.#commit(() => this.#extras({ docs: [...docs] }));
  }

  async listDocs(): Promise<DocumentRecord[]> {
    return structuredClone([...this.#docs.values()]).sort((a, b) => a.addedAt - b.addedAt || a.path.localeCompare(b.path));
  }

  async deleteDoc(id: string): Promise<void> {
    this.#commit(() => this.#docs.delete(id));
  }

  async putRun(run: Run): Promise<void> {
    this.#commit(() => this.#extras({ runs: [run] }));
  }

  async getRun(id: string): Promise<Run | undefined> {
    const r = this.#runs.get(id);
    return r && structuredClone(r);
  }

  async listRuns(): Promise<Run[]> {
    return structuredClone([...this.#runs.values()]).sort((a, b) => a.createdAt - b.createdAt);
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return structuredClone(this.#meta.get(key)) as T | undefined;
  }

  async putMeta(key: string, value: unknown): Promise<void> {
    this.#commit(() => this.#extras({ meta: { [key]: value } }));
  }

  async close(): Promise<void> {}
}
