/**
 * One JSON object per exported example, in the shapes trainers read:
 * - `messages`: OpenAI fine-tuning and TRL's SFTTrainer conversational format;
 * - `alpaca`: instruction / input / output (plus `system` when tagged, as LLaMA-Factory reads it);
 * - `sharegpt`: conversations of from/value turns (human, gpt, optional system);
 * - `reversed`: input = response, target = instruction — for training a backward model M_yx
 *   (METHOD.md: one reproduction trained the backward model on the wrong direction; this shape
 *   makes the direction impossible to misread);
 * - `full`: every field — scores from every round, reasons, raw replies, provenance, settings.
 * Source tags are the paper's system prompts (worth ~4–7 win-rate points, Table 8).
 * Writers return plain objects; `toJsonLine` turns them into safe lines.
 */
import type { SeedPair } from '../records.ts';
import type { CuratedPair, Selection } from '../curation/pair.ts';

export const EXPORT_FORMATS = ['messages', 'alpaca', 'sharegpt', 'reversed', 'full'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type Origin = 'seed' | 'generated';

export const SOURCE_TAGS: Readonly<Record<Origin, string>> = {
  seed: 'Answer in the style of an AI Assistant.',
  generated: 'Answer with knowledge from web search.',
};

/**
 * The tag of a rewritten response (issue 19): an assistant's reply made from web text, so both of
 * the paper's tags at once — and, when the original and the rewrite are both written, the two
 * examples of a pair are told apart by it.
 */
export const REWRITE_TAG = 'Answer in the style of an AI Assistant, with knowledge from web search.';

/** What the training formats need from either a seed pair or a curated one. */
export interface TrainingExample {
  instruction: string;
  response: string;
  origin: Origin;
  /** The response is the pair's rewrite (tagged with REWRITE_TAG). */
  rewritten?: boolean;
}

/** A generated row writes the pair's original response, or its rewrite when `rewritten`. */
export type ExportRow = { origin: 'seed'; seed: SeedPair } | { origin: 'generated'; pair: CuratedPair; rewritten?: boolean };

export interface WriterOptions {
  /** Add the paper's source tag as a system prompt. */
  sourceTags: boolean;
  /** The selection that decided `kept`; written into full records. */
  selection: Selection;
}

export function exampleOf(row: ExportRow): TrainingExample {
  if (row.origin === 'seed') return { instruction: row.seed.instruction, response: row.seed.response, origin: 'seed' };
  const rewrite = row.rewritten ? row.pair.rewrite : undefined;
  if (rewrite) return { instruction: row.pair.instruction, response: rewrite.text, origin: 'generated', rewritten: true };
  return { instruction: row.pair.instruction, response: row.pair.response, origin: 'generated' };
}

const tagOf = (ex: TrainingExample): string => (ex.rewritten ? REWRITE_TAG : SOURCE_TAGS[ex.origin]);

export function messagesRecord(ex: TrainingExample, sourceTags: boolean): { messages: { role: string; content: string }[] } {
  const messages = [
    { role: 'user', content: ex.instruction },
    { role: 'assistant', content: ex.response },
  ];
  if (sourceTags) messages.unshift({ role: 'system', content: tagOf(ex) });
  return { messages };
}

export function alpacaRecord(ex: TrainingExample, sourceTags: boolean): Record<string, string> {
  const rec: Record<string, string> = { instruction: ex.instruction, input: '', output: ex.response };
  if (sourceTags) rec.system = tagOf(ex);
  return rec;
}

export function sharegptRecord(ex: TrainingExample, sourceTags: boolean): { conversations: { from: string; value: string }[] } {
  const conversations = [
    { from: 'human', value: ex.instruction },
    { from: 'gpt', value: ex.response },
  ];
  if (sourceTags) conversations.unshift({ from: 'system', value: tagOf(ex) });
  return { conversations };
}

/** The backward model's training pair: it reads the response and learns to write the instruction. */
export function reversedRecord(ex: TrainingExample): { input: string; target: string } {
  return { input: ex.response, target: ex.instruction };
}

/** Every field of a seed pair or a curated pair, with absent optional values as null so columns line up. */
export function fullRecord(row: ExportRow, selection: Selection): Record<string, unknown> {
  if (row.origin === 'seed') {
    const s = row.seed;
    return { origin: 'seed', seq: s.seq, id: s.id, instruction: s.instruction, response: s.response, source: s.source, lang: s.lang ?? null };
  }
  const p = row.pair;
  const c = p.candidate;
  const rw = p.rewrite;
  // Only where a rewrite exists, so the full records of a project without one keep their columns.
  const rewriteFields = rw
    ? {
        rewritten: row.rewritten === true,
        rewrite: {
          runId: rw.runId, text: rw.text, status: rw.status, flagged: rw.flagged, verdict: p.rewriteVerdict, checks: rw.checks, raw: rw.raw,
          model: rw.provenance.model, promptVersion: rw.provenance.promptVersion, stageVersion: rw.provenance.stageVersion, usage: rw.usage ?? null, createdAt: rw.createdAt,
        },
      }
    : {};
  return {
    origin: 'generated',
    seq: p.seq,
    segmentId: p.segment.id,
    instruction: p.instruction,
    response: row.rewritten && rw ? rw.text : p.response,
    ...rewriteFields,
    status: p.status,
    human: p.human,
    edited: p.edited,
    score: p.score,
    round: p.round,
    selection: { minScore: selection.minScore, useExpected: selection.useExpected, round: selection.round ?? null },
    segment: {
      chars: p.segment.chars,
      hash: p.segment.hash,
      tokens: p.segment.tokens ?? null,
      provenance: p.segment.provenance,
    },
    candidate: c
      ? {
          runId: c.runId,
          status: c.status,
          raw: c.raw,
          model: c.provenance.model,
          promptVersion: c.provenance.promptVersion,
          stageVersion: c.provenance.stageVersion,
          sampling: c.provenance.sampling,
          mode: c.provenance.mode,
          usage: c.usage ?? null,
          createdAt: c.createdAt,
        }
      : null,
    ratings: p.ratings.map((r) => ({
      round: r.round,
      runId: r.runId,
      score: r.score,
      expectedScore: r.expectedScore ?? null,
      scoreProbs: r.scoreProbs ?? null,
      scoreMass: r.scoreMass ?? null,
      parse: r.parse,
      reason: r.reason,
      raw: r.raw,
      model: r.curator.model,
      promptVersion: r.curator.promptVersion,
      stageVersion: r.curator.stageVersion,
      mode: r.curator.mode,
      usage: r.usage ?? null,
      createdAt: r.createdAt,
    })),
    failure: p.failure ? { code: p.failure.code, message: p.failure.message, attempts: p.failure.attempts } : null,
    // The person's decision record, as stored: it overrides every rating above.
    decision: p.decision
      ? { verdict: p.decision.verdict ?? null, decidedAt: p.decision.decidedAt ?? null, instruction: p.decision.instruction ?? null, editedAt: p.decision.editedAt ?? null, round: p.decision.round }
      : null,
  };
}

/** The object one row becomes in `format`. */
export function exportRecord(format: ExportFormat, row: ExportRow, opts: WriterOptions): unknown {
  if (format === 'full') return fullRecord(row, opts.selection);
  const ex = exampleOf(row);
  switch (format) {
    case 'messages':
      return messagesRecord(ex, opts.sourceTags);
    case 'alpaca':
      return alpacaRecord(ex, opts.sourceTags);
    case 'sharegpt':
      return sharegptRecord(ex, opts.sourceTags);
    case 'reversed':
      return reversedRecord(ex);
  }
}

/** A file name that says what is inside: `<project>-<format>.jsonl`. */
export function exportFileName(projectName: string, format: ExportFormat): string {
  const base = projectName.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'humpback';
  return `${base}-${format}.jsonl`;
}
