/**
 * Opening a project written by schema 1, where a person's accept/reject was a field on one
 * rating and an edit replaced the candidate's instruction. Both become `HumanDecision` records
 * (schema 2), so no re-rate can undo them. Nothing is lost on the way:
 * - a decision found on several ratings of a pair: the one a schema-1 reader obeyed (the
 *   latest round's latest run) wins;
 * - an edited candidate keeps its text; the decision record repeats it with edit time 0, so the
 *   ratings the user saw deciding that pair before still decide it;
 * - the ratings keep their old field (harmless: only this module reads it);
 * - a decision record already there (an interrupted migration) is never overwritten.
 * The project's meta 'schemaVersion' says it is done.
 */
import { SCHEMA_VERSION, type Candidate, type HumanDecision, type Rating, type Run } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { ratedRunOf, roundOfRun } from './curated-set.ts';

export const SCHEMA_META_KEY = 'schemaVersion';

export interface MigrationReport {
  from: number;
  decisions: number;
  edits: number;
}

/** Migrates the project when it was written by an older schema; null when there was nothing to do. */
export async function migrateProject(store: ProjectStore): Promise<MigrationReport | null> {
  const from = (await store.getMeta<number>(SCHEMA_META_KEY)) ?? 1;
  if (from >= SCHEMA_VERSION) return null;
  const report: MigrationReport = { from, decisions: 0, edits: 0 };
  const runs = await store.listRuns();
  for (const augment of runs.filter((r) => r.stage === 'augment')) {
    const found = await decisionsOfRun(store, augment, runs);
    const collection = `decisions:${augment.id}` as const;
    const seqs = [...found.keys()];
    const existing = seqs.length > 0 ? await store.get<HumanDecision>(collection, seqs) : [];
    const fresh = seqs.filter((_, i) => existing[i] === undefined).map((s) => found.get(s) as HumanDecision);
    if (fresh.length > 0) await store.put(collection, fresh);
    for (const d of fresh) {
      if (d.verdict) report.decisions++;
      if (d.instruction !== undefined) report.edits++;
    }
  }
  await store.putMeta(SCHEMA_META_KEY, SCHEMA_VERSION);
  return report;
}

async function decisionsOfRun(store: ProjectStore, augment: Run, runs: readonly Run[]): Promise<Map<number, HumanDecision>> {
  const out = new Map<number, HumanDecision>();
  const record = (seq: number): HumanDecision => {
    let d = out.get(seq);
    if (!d) out.set(seq, (d = { schemaVersion: SCHEMA_VERSION, seq, augmentRunId: augment.id, round: null }));
    return d;
  };
  await store.scan<Candidate>(`candidates:${augment.id}`, (chunk) => {
    for (const c of chunk) {
      if (!c.edited) continue;
      const d = record(c.seq);
      d.instruction = c.instruction;
      d.editedAt = 0;
    }
  });
  // Oldest round and run first, so the one a schema-1 reader obeyed is written last.
  const curates = runs.filter((r) => r.stage === 'curate' && ratedRunOf(r) === augment.id).sort((a, b) => roundOfRun(a) - roundOfRun(b) || a.createdAt - b.createdAt);
  for (const run of curates) {
    await store.scan<Rating>(`ratings:${run.id}`, (chunk) => {
      for (const r of chunk) {
        if (r.decision !== 'accept' && r.decision !== 'reject') continue;
        const d = record(r.seq);
        d.verdict = r.decision;
        d.decidedAt = r.createdAt;
        d.round = r.round;
      }
    });
  }
  return out;
}
