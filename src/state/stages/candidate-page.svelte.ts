/**
 * A page of generated instructions beside the passages they were written for, newest first, so
 * the user can see what the backward model is writing while it writes (and stop early when the
 * prompt is wrong). Candidates share their segment's seq, so one page is two reads by seq.
 */
import type { Candidate, Segment } from '../../core/records.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export interface CandidateRow {
  candidate: Candidate;
  segment: Segment | undefined;
}

export const CANDIDATE_PAGE_SIZE = 8;

export class CandidatePage {
  rows = $state.raw<CandidateRow[]>([]);
  /** Highest seq shown on this page; null = the newest page. */
  upper = $state<number | null>(null);
  /** Highest seq stored in the run's collection, -1 when empty. */
  maxSeq = $state(-1);
  readonly ps: ProjectState;
  #loading = 0;

  constructor(ps: ProjectState) {
    this.ps = ps;
  }

  /** Reads the page ending at `upper` (the newest when null) of a run's candidates. */
  async load(runId: string, upper: number | null = this.upper): Promise<void> {
    const store = this.ps.store;
    if (!store) return;
    const ticket = ++this.#loading;
    try {
      const collection = `candidates:${runId}` as const;
      const { maxSeq } = await store.info(collection);
      const top = upper === null ? maxSeq : Math.min(upper, maxSeq);
      const from = Math.max(0, top - CANDIDATE_PAGE_SIZE + 1);
      const candidates = (await store.page<Candidate>(collection, from, CANDIDATE_PAGE_SIZE)).filter((c) => c.seq <= top).reverse();
      const segments = await store.get<Segment>('segments', candidates.map((c) => c.seq));
      if (ticket !== this.#loading) return;
      this.maxSeq = maxSeq;
      this.upper = upper === null ? null : top;
      this.rows = candidates.map((candidate, i) => ({ candidate, segment: segments[i] }));
    } catch (err) {
      this.ps.notices.error(err, 'Reading the generated instructions');
    }
  }

  get lowest(): number {
    return this.rows.at(-1)?.candidate.seq ?? 0;
  }

  older(runId: string): Promise<void> {
    return this.load(runId, Math.max(0, this.lowest - 1));
  }

  newer(runId: string): Promise<void> {
    const top = (this.rows[0]?.candidate.seq ?? 0) + CANDIDATE_PAGE_SIZE;
    return this.load(runId, top >= this.maxSeq ? null : top);
  }
}
