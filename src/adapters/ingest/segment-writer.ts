/**
 * Stored segments for an ingest, written a whole storage chunk at a time across file
 * boundaries. The store keeps 1,000 segments per IndexedDB value, so writing each small file's
 * last few segments on their own made the next file read and rewrite that partly filled value
 * — a corpus of many small files rewrote megabytes per file. Here segments wait until a chunk
 * is full (or the ingest ends), and each document's state travels in the same transaction as
 * its segments, always consistent with what is stored: a document is written "done" only
 * together with its last segment, and one whose segments are partly stored is "reading" (which
 * a later session rolls back and reads again). Nothing is claimed stored before it is.
 */
import type { DocumentRecord, Segment } from '../../core/records.ts';
import type { ProjectStore } from '../../ports/store.ts';

interface Tracked {
  /** The newest state the ingest gave this document. */
  doc: DocumentRecord;
  meta: Record<string, unknown>;
  /** How many of its segments wait in the queue. */
  queued: number;
  /** How many of its segments are stored. */
  stored: number;
  /** Whether `doc` changed since it was last written. */
  dirty: boolean;
}

export class SegmentWriter {
  readonly #store: ProjectStore;
  readonly #chunk: number;
  #pending: Segment[] = [];
  readonly #docs = new Map<string, Tracked>();

  constructor(store: ProjectStore, chunk: number) {
    this.#store = store;
    this.#chunk = chunk;
  }

  /** Records a document's newest state (and its per-document meta); written with the next write. */
  update(doc: DocumentRecord, meta: Record<string, unknown> = {}): void {
    const t = this.#docs.get(doc.id);
    if (t) {
      t.doc = doc;
      Object.assign(t.meta, meta);
      t.dirty = true;
    } else this.#docs.set(doc.id, { doc, meta: { ...meta }, queued: 0, stored: 0, dirty: true });
  }

  /** Queues `doc`'s next segments (in seq order, after everything queued); writes every chunk they fill. */
  async add(doc: DocumentRecord, segments: readonly Segment[], meta: Record<string, unknown> = {}): Promise<void> {
    this.update(doc, meta);
    const t = this.#docs.get(doc.id) as Tracked;
    for (const s of segments) this.#pending.push(s);
    t.queued += segments.length;
    // Write each chunk once the queue reaches its end (seqs may skip where a file was rolled back).
    for (;;) {
      const first = this.#pending[0];
      const lastQueued = this.#pending[this.#pending.length - 1];
      if (!first || !lastQueued) return;
      const boundary = first.seq - (first.seq % this.#chunk) + this.#chunk;
      if (lastQueued.seq < boundary - 1) return;
      let count = 0;
      while (count < this.#pending.length && (this.#pending[count] as Segment).seq < boundary) count++;
      await this.#write(count);
    }
  }

  /** How many of `docId`'s segments are stored. */
  stored(docId: string): number {
    return this.#docs.get(docId)?.stored ?? 0;
  }

  /** Forgets `docId`'s queued segments (they all come after the other files' ones). */
  drop(docId: string, fromSeq: number): void {
    const keep = this.#pending.findIndex((s) => s.seq >= fromSeq);
    const removed = keep >= 0 ? this.#pending.length - keep : 0;
    if (keep >= 0) this.#pending.length = keep;
    const t = this.#docs.get(docId);
    if (t) t.queued = Math.max(0, t.queued - removed);
  }

  /** Writes everything queued, with every document's state. */
  async flush(): Promise<void> {
    if (this.#pending.length > 0 || [...this.#docs.values()].some((t) => t.dirty)) await this.#write(this.#pending.length);
  }

  async #write(count: number): Promise<void> {
    const batch = this.#pending.slice(0, count);
    const storedNow = new Map<string, number>();
    for (const s of batch) storedNow.set(s.provenance.docId, (storedNow.get(s.provenance.docId) ?? 0) + 1);
    // Each document this write touches, and whether it takes the last of its queued segments.
    const touched = [...this.#docs.entries()]
      .map(([id, t]) => ({ id, t, added: storedNow.get(id) ?? 0 }))
      .filter(({ t, added }) => t.dirty || added > 0)
      .map((d) => ({ ...d, complete: d.t.queued === d.added }));
    const docs: DocumentRecord[] = [];
    const meta: Record<string, unknown> = {};
    for (const { t, added, complete } of touched) {
      // Part of its segments still queued: stored as being read, so a crash rolls it back.
      docs.push(complete ? t.doc : { ...t.doc, status: 'reading', produced: t.stored + added });
      Object.assign(meta, t.meta);
    }
    // One transaction for the segments, the documents and their counts (an empty batch writes just those).
    if (batch.length > 0 || docs.length > 0) await this.#store.put('segments', batch, { docs, meta });
    this.#pending = this.#pending.slice(count);
    for (const { id, t, added, complete } of touched) {
      t.stored += added;
      t.queued -= added;
      if (!complete) continue;
      t.dirty = false;
      // Finished documents are never written again; forget them.
      if (t.doc.status !== 'reading') this.#docs.delete(id);
    }
  }
}
