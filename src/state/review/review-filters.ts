/**
 * The review's filters as the form holds them (null = no bound), and their translation into
 * core's PairQuery. The search text is not part of the query: it is answered by a scan of the
 * stored texts (pair-reading.ts searchMask), since the index does not keep them.
 */
import type { PairStatus } from '../../core/curation/pair.ts';
import type { PairQuery } from '../../core/review/query.ts';

export interface ReviewFilters {
  minScore: number | null;
  maxScore: number | null;
  rounds: number[];
  statuses: PairStatus[];
  sources: string[];
  minChars: number | null;
  maxChars: number | null;
  lengthOf: 'response' | 'instruction';
  search: string;
}

export const noFilters = (): ReviewFilters => ({
  minScore: null, maxScore: null, rounds: [], statuses: [], sources: [], minChars: null, maxChars: null, lengthOf: 'response', search: '',
});

export function toQuery(f: ReviewFilters): PairQuery {
  const q: PairQuery = { lengthOf: f.lengthOf };
  if (f.minScore !== null) q.minScore = f.minScore;
  if (f.maxScore !== null) q.maxScore = f.maxScore;
  if (f.minChars !== null) q.minChars = f.minChars;
  if (f.maxChars !== null) q.maxChars = f.maxChars;
  if (f.rounds.length > 0) q.rounds = f.rounds;
  if (f.statuses.length > 0) q.statuses = f.statuses;
  if (f.sources.length > 0) q.sources = f.sources;
  return q;
}
