/**
 * The seed view's overall counts: every file's rows, skipped rows and filter steps added up,
 * plus the last step no single file can see — pairs already in the project from another file.
 * Each step is shown before → after, so a switch that did nothing (or dropped everything) is
 * visible at a glance (METHOD.md: "filters that do nothing").
 */
import type { SeedFile } from '../../adapters/seed-store.ts';

export interface TotalStep {
  id: string;
  /** 'mixed' when files were imported with the switch in different positions. */
  enabled: boolean | 'mixed';
  before: number;
  after: number;
  dropped: Record<string, number>;
}

export interface SeedTotals {
  files: number;
  /** Files that could not be read at all. */
  failed: number;
  rows: number;
  /** Exchanges the importers found in those rows. */
  candidates: number;
  /** Rows skipped, by reason code. */
  skipped: Record<string, number>;
  steps: TotalStep[];
  /** Pairs stored: the last step's `after`. */
  stored: number;
}

export const CROSS_FILE_STEP = 'across-files';

export function seedTotals(files: readonly SeedFile[]): SeedTotals {
  const totals: SeedTotals = { files: files.length, failed: 0, rows: 0, candidates: 0, skipped: {}, steps: [], stored: 0 };
  let kept = 0;
  let crossDuplicates = 0;
  const cross = new Set<boolean>();
  for (const f of files) {
    totals.stored += f.doc.produced;
    if (!f.report) {
      totals.failed += 1;
      continue;
    }
    const r = f.report;
    totals.rows += r.rows;
    totals.candidates += r.candidates;
    for (const [code, n] of Object.entries(r.issues)) totals.skipped[code] = (totals.skipped[code] ?? 0) + (n ?? 0);
    r.steps.forEach((s, i) => {
      const t = totals.steps[i];
      if (!t) {
        totals.steps[i] = { id: s.id, enabled: s.enabled, before: s.before, after: s.after, dropped: { ...s.dropped } };
        return;
      }
      t.before += s.before;
      t.after += s.after;
      if (t.enabled !== s.enabled) t.enabled = 'mixed';
      for (const [code, n] of Object.entries(s.dropped)) t.dropped[code] = (t.dropped[code] ?? 0) + n;
    });
    kept += r.kept;
    crossDuplicates += f.crossDuplicates;
    cross.add(f.filters.dedupe);
  }
  if (totals.steps.length > 0) {
    totals.steps.push({
      id: CROSS_FILE_STEP,
      enabled: cross.size > 1 ? 'mixed' : cross.has(true),
      before: kept,
      after: kept - crossDuplicates,
      dropped: crossDuplicates > 0 ? { 'in-another-file': crossDuplicates } : {},
    });
  }
  return totals;
}
