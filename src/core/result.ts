/**
 * Expected outcomes are data, not exceptions: a malformed line, an unparsable rating, an empty
 * segment. A `code` is a short stable string the UI counts and explains.
 */
export interface Issue {
  code: string;
  message: string;
  /** Where it happened, in the user's terms: a line number, a row, a file. */
  at?: string;
}

export type Result<T, I = Issue> = { ok: true; value: T } | { ok: false; issue: I };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <I = Issue>(issue: I): Result<never, I> => ({ ok: false, issue });

/** Counts issues by code, for the "skipped: 3 malformed lines, 1 empty" lines in the UI. */
export function countIssues(issues: Iterable<Issue>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of issues) counts[i.code] = (counts[i.code] ?? 0) + 1;
  return counts;
}
