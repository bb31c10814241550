/**
 * What the app needs from storage. The IndexedDB adapter is the real one; a memory adapter
 * implements the same contract for node tests of core logic and for throwaway work.
 *
 * Bulk records (segments, seeds, candidates, ratings) live in collections keyed by `seq`.
 * Every write is atomic: a batch and the small records passed with it (documents, runs, meta)
 * land together or not at all. That is what lets a reload resume without losing or doubling.
 */
import type { Collection, DocumentRecord, Project, Run, SeqRecord } from '../core/records.ts';

export interface StorageReport {
  /** Bytes used by this origin, when the browser says. */
  usage: number | null;
  quota: number | null;
  persisted: boolean;
}

export interface CollectionInfo {
  collection: Collection;
  count: number;
  /** Highest seq stored, or -1. */
  maxSeq: number;
}

/** Small records written in the same transaction as a batch. */
export interface WriteExtras {
  docs?: DocumentRecord[];
  runs?: Run[];
  meta?: Record<string, unknown>;
}

export interface ProjectStore {
  readonly projectId: string;

  /** Upserts records by seq, atomically with `extras`. */
  put<T extends SeqRecord>(collection: Collection, records: readonly T[], extras?: WriteExtras): Promise<void>;
  /** Records with these seqs (undefined where absent), in the order asked. */
  get<T extends SeqRecord>(collection: Collection, seqs: readonly number[]): Promise<(T | undefined)[]>;
  /** Up to `limit` records with seq ≥ `fromSeq`, in seq order. */
  page<T extends SeqRecord>(collection: Collection, fromSeq: number, limit: number): Promise<T[]>;
  /** Calls `onChunk` with each stored chunk in seq order; return `false` to stop. */
  scan<T extends SeqRecord>(collection: Collection, onChunk: (records: T[]) => void | boolean | Promise<void | boolean>): Promise<void>;
  info(collection: Collection): Promise<CollectionInfo>;
  collections(): Promise<CollectionInfo[]>;
  /** Removes records with fromSeq ≤ seq < toSeq (a half-written file, say), atomically with `extras`. */
  deleteRange(collection: Collection, fromSeq: number, toSeq: number, extras?: WriteExtras): Promise<void>;
  deleteCollection(collection: Collection): Promise<void>;

  putDocs(docs: readonly DocumentRecord[]): Promise<void>;
  listDocs(): Promise<DocumentRecord[]>;
  deleteDoc(id: string): Promise<void>;
  putRun(run: Run): Promise<void>;
  getRun(id: string): Promise<Run | undefined>;
  listRuns(): Promise<Run[]>;
  getMeta<T>(key: string): Promise<T | undefined>;
  putMeta(key: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}

export interface Catalog {
  listProjects(): Promise<Project[]>;
  putProject(project: Project): Promise<void>;
  getProject(id: string): Promise<Project | undefined>;
  /** Deletes the project and all its data. */
  deleteProject(id: string): Promise<void>;
  openProject(id: string): Promise<ProjectStore>;
  report(): Promise<StorageReport>;
  /** Asks the browser not to evict our data under storage pressure; true when granted. */
  requestPersistence(): Promise<boolean>;
}
