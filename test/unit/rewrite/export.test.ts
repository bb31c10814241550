import { describe, expect, it } from 'vitest';
import { curatedSetOf, DEFAULT_RULE, type CurationChoice } from '../../../src/core/curation/curated-set.ts';
import { withInstruction, withRewriteChoice } from '../../../src/core/curation/decisions.ts';
import { responsesFor, rewriteVerdict } from '../../../src/core/curation/rewrite-use.ts';
import { pairsBySeq } from '../../../src/core/curation/walk.ts';
import { datasetCard } from '../../../src/core/export/card.ts';
import { parseJsonl } from '../../../src/core/export/jsonl.ts';
import { writeExport, type ExportChoice } from '../../../src/core/export/stream.ts';
import { REWRITE_TAG, SOURCE_TAGS } from '../../../src/core/export/writers.ts';
import { newRun, type HumanDecision, type Run } from '../../../src/core/records.ts';
import { rewriteInputs, type RewriteRunSettings } from '../../../src/core/rewrite/run.ts';
import { DEFAULT_REWRITE_TEMPLATE, rewriteStage } from '../../../src/core/stages/rewrite.ts';
import { runStage } from '../../../src/core/stages/runner.ts';
import { curatedLines } from '../../../src/core/training/sources.ts';
import { config, QUESTIONS, ratedProject, rewriter, TEXTS } from './project.ts';

const FAITHFUL_0 = 'Boil the eggs for 9 minutes, then cool them in cold water for 2 minutes so the shells come off cleanly.';
const INVENTED_1 = 'A 1.5 litre kettle boils in about 3 minutes on a 2000 watt element, and in 5 minutes on a weaker one.';

/** The rated project after a rewrite run: pair 0 rewritten cleanly, 1 flagged (a number invented), 3 refused. */
async function rewritten() {
  const p = await ratedProject();
  const selection: CurationChoice = { rule: DEFAULT_RULE, augmentRunId: 'r_aug', curateRunId: 'r_cur' };
  const settings: RewriteRunSettings = { template: DEFAULT_REWRITE_TEMPLATE, config, augmentRunId: 'r_aug', selection };
  const run: Run = { ...newRun('rewrite', 1, settings as unknown as Record<string, unknown>, 3000), id: 'r_rw' };
  await p.store.putRun(run);
  const runs = [...p.runs, run];
  await runStage(rewriteStage(DEFAULT_REWRITE_TEMPLATE), rewriteInputs(p.store, curatedSetOf(runs, selection)), { store: p.store, run, config, llm: rewriter().llm, concurrency: 1 });
  const setWith = (responses: CurationChoice['responses']) => curatedSetOf(runs, { ...selection, ...(responses ? { responses } : {}) });
  return { ...p, runs, setWith };
}

async function exported(store: Awaited<ReturnType<typeof rewritten>>['store'], set: ReturnType<typeof curatedSetOf>, choice: Partial<ExportChoice> = {}) {
  const parts: Uint8Array[] = [];
  const report = await writeExport(store, set, { format: 'messages', sourceTags: true, statuses: ['kept'], ...choice }, async (b) => void parts.push(b));
  return { report, rows: parseJsonl(new TextDecoder().decode(Buffer.concat(parts))).values.map((r) => r as { messages: { role: string; content: string }[] }) };
}

const conv = (rows: { messages: { role: string; content: string }[] }[]) => rows.map((r) => r.messages.map((m) => m.content));

describe('which response a pair is written with', () => {
  it('writes each kept pair once under original and rewritten, twice (the rewrite second) under both, and only when the rewrite may be used', () => {
    expect(responsesFor('original', 'used')).toEqual([{ rewritten: false }]);
    expect(responsesFor('rewritten', 'used')).toEqual([{ rewritten: true }]);
    expect(responsesFor('both', 'accepted')).toEqual([{ rewritten: false }, { rewritten: true }]);
    for (const v of ['flagged', 'refused', 'kept-original', 'stale', 'none'] as const) {
      expect(responsesFor('rewritten', v)).toEqual([{ rewritten: false }]);
      expect(responsesFor('both', v)).toEqual([{ rewritten: false }]);
    }
  });
  it('the verdict: a person decides over the checks, a refusal has nothing to use, an edited instruction makes the rewrite stale', () => {
    const rw = { instruction: 'Q?', text: 'A.', flagged: true } as Parameters<typeof rewriteVerdict>[0];
    const d = (rewrite: HumanDecision['rewrite']) => ({ rewrite }) as HumanDecision;
    expect(rewriteVerdict(rw, undefined, 'Q?')).toBe('flagged');
    expect(rewriteVerdict(rw, d('accept'), 'Q?')).toBe('accepted');
    expect(rewriteVerdict({ ...rw!, flagged: false }, d('keep-original'), 'Q?')).toBe('kept-original');
    expect(rewriteVerdict({ ...rw!, flagged: false }, undefined, 'Q?')).toBe('used');
    expect(rewriteVerdict({ ...rw!, text: '' }, d('accept'), 'Q?')).toBe('refused');
    expect(rewriteVerdict({ ...rw!, flagged: false }, undefined, 'Q, edited?')).toBe('stale');
    expect(rewriteVerdict(undefined, undefined, 'Q?')).toBe('none');
  });
});

describe('export with rewritten responses', () => {
  it('original: the export is the same as before any rewrite', async () => {
    const p = await rewritten();
    const { rows, report } = await exported(p.store, p.setWith(undefined));
    expect(conv(rows)).toEqual([0, 1, 3].map((s) => [SOURCE_TAGS.generated, QUESTIONS[s], TEXTS[s]]));
    expect(report.options.responses).toBeUndefined();
    expect(report.rewrites).toEqual({ kept: { used: 1, flagged: 1, refused: 1, accepted: 0, 'kept-original': 0, stale: 0, none: 0 }, written: 0 });
  });

  it('rewritten: the clean rewrite replaces its original (tagged); the flagged and the refused keep their originals', async () => {
    const p = await rewritten();
    const { rows, report } = await exported(p.store, p.setWith('rewritten'));
    expect(conv(rows)).toEqual([
      [REWRITE_TAG, QUESTIONS[0], FAITHFUL_0],
      [SOURCE_TAGS.generated, QUESTIONS[1], TEXTS[1]],
      [SOURCE_TAGS.generated, QUESTIONS[3], TEXTS[3]],
    ]);
    expect(report.rewrites?.written).toBe(1);
    expect(report.tally.written).toEqual({ seed: 0, generated: 3 });
  });

  it('both: two examples for a usable rewrite, the original first; one for the others', async () => {
    const p = await rewritten();
    const { rows } = await exported(p.store, p.setWith('both'));
    expect(conv(rows)).toEqual([
      [SOURCE_TAGS.generated, QUESTIONS[0], TEXTS[0]],
      [REWRITE_TAG, QUESTIONS[0], FAITHFUL_0],
      [SOURCE_TAGS.generated, QUESTIONS[1], TEXTS[1]],
      [SOURCE_TAGS.generated, QUESTIONS[3], TEXTS[3]],
    ]);
  });

  it('follows the person: accept-rewrite uses a flagged rewrite, keep-original sets a clean one aside, an edit makes it stale', async () => {
    const p = await rewritten();
    const set = p.setWith('rewritten');
    await p.store.put('decisions:r_aug', [withRewriteChoice(undefined, set, 0, 'keep-original', 4000), withRewriteChoice(undefined, set, 1, 'accept', 4000)]);
    const { rows, report } = await exported(p.store, set);
    expect(conv(rows)).toEqual([
      [SOURCE_TAGS.generated, QUESTIONS[0], TEXTS[0]],
      [REWRITE_TAG, QUESTIONS[1], INVENTED_1],
      [SOURCE_TAGS.generated, QUESTIONS[3], TEXTS[3]],
    ]);
    expect(report.rewrites?.kept).toMatchObject({ 'kept-original': 1, accepted: 1, refused: 1, used: 0 });
    const [d0] = await p.store.get<HumanDecision>('decisions:r_aug', [0]);
    await p.store.put('decisions:r_aug', [withInstruction(withRewriteChoice(d0, set, 0, null, 5000), set, 0, 'How many minutes do eggs boil?', 5000)]);
    const [pair0] = await pairsBySeq(p.store, set, [0]);
    expect(pair0?.rewriteVerdict).toBe('stale');
  });

  it('full records carry the rewrite, its checks and whether the row is the rewrite', async () => {
    const p = await rewritten();
    const parts: Uint8Array[] = [];
    await writeExport(p.store, p.setWith('both'), { format: 'full', sourceTags: false, statuses: ['kept'] }, async (b) => void parts.push(b));
    const rows = parseJsonl(new TextDecoder().decode(Buffer.concat(parts))).values.map((r) => r as Record<string, unknown> & { rewrite: { verdict: string; checks: { flags: string[] } | null } });
    expect(rows.map((r) => [r.seq, r.rewritten, r.response, r.rewrite.verdict, r.rewrite.checks?.flags ?? null])).toEqual([
      [0, false, TEXTS[0], 'used', []],
      [0, true, FAITHFUL_0, 'used', []],
      [1, false, TEXTS[1], 'flagged', ['numbers-invented']],
      [3, false, TEXTS[3], 'refused', null],
    ]);
  });

  it('the dataset card says which responses and how many rewrites were flagged or refused', async () => {
    const p = await rewritten();
    const set = p.setWith('rewritten');
    const { report } = await exported(p.store, set);
    const card = datasetCard({ projectName: 'Kitchen', fileName: 'kitchen-messages.jsonl', report, options: report.options, curation: set.label, settings: {}, prompts: [], exportedAt: 0 });
    expect(card).toContain('## Rewritten responses');
    expect(card).toContain('Responses: rewritten responses (the original where a rewrite is flagged, refused or set aside).');
    expect(card).toContain(`Rewritten rows carry the system prompt "${REWRITE_TAG}".`);
    expect(card).toContain('Rows with a rewritten response: 1.');
    expect(card).toContain('| rewrite flagged by a check: original kept | 1 |');
    expect(card).toContain('| model refused or wrote nothing: original kept | 1 |');
    expect(card).toContain('| rewrite used (passed every check) | 1 |');
    expect(set.label).toBe('generation run of 1970-01-01 00:00 UTC, round (M0), A4 (score ≥ 4), seed pairs included, rewritten responses');
  });

  it('the training data follows the same choice (the export\'s own lines)', async () => {
    const p = await rewritten();
    const lines = await curatedLines(p.store, p.setWith('both'));
    const text = await lines.jsonl.text();
    expect(lines.lines).toBe(4);
    expect(text.split('\n').filter((l) => l.includes(REWRITE_TAG))).toHaveLength(1);
    expect(text).toContain(JSON.stringify(FAITHFUL_0));
  });
});
