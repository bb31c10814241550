/**
 * The records Humpback Studio keeps. Plain, structured-cloneable data (no classes, no Dates,
 * no functions) so the same object crosses a worker boundary and lands in IndexedDB unchanged.
 * Every record carries `schemaVersion`; bump it when a field changes meaning and migrate on read.
 *
 * Records that exist in bulk (segments, seed pairs, candidates, ratings) carry `seq`, their
 * ordinal inside their collection. The store packs them into chunks by `seq`, which is what makes
 * 500,000 of them cheap to write and page through.
 */
import type { RewriteChecks } from './rewrite/checks.ts';
import type { CleanupChange } from './stages/clean-instruction.ts';

export const SCHEMA_VERSION = 2 as const;
/**
 * Version 2: human decisions are records of their own (`decisions:<generation run>`, see
 * `HumanDecision`) instead of a field on one rating; a project written by version 1 is migrated
 * when it opens (core/curation/migrate.ts). Records written before keep `schemaVersion: 1`.
 */
export type StoredSchemaVersion = 1 | typeof SCHEMA_VERSION;

/** The steps the user walks, in order. */
export const STEPS = ['seed', 'corpus', 'augment', 'curate', 'rewrite', 'review', 'export'] as const;
export type Step = (typeof STEPS)[number];

export interface Project {
  schemaVersion: StoredSchemaVersion;
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Free-form per-step settings the state layer owns (segment window, thresholds, engine...). */
  settings: Record<string, unknown>;
}

export type DocumentFormat =
  | 'txt' | 'md' | 'html' | 'jsonl' | 'json' | 'csv' | 'tsv' | 'pdf' | 'parquet' | 'unknown';

export type DocumentStatus = 'queued' | 'reading' | 'done' | 'skipped' | 'failed';

/** One file the user dropped into the corpus (or the seed set). */
export interface DocumentRecord {
  schemaVersion: StoredSchemaVersion;
  id: string;
  /** Path inside the dropped folder, or the file name. */
  path: string;
  format: DocumentFormat;
  gzip: boolean;
  bytes: number;
  status: DocumentStatus;
  /** Segments (or seed pairs) this file produced so far. */
  produced: number;
  /** Why it was skipped or failed, in words the user can act on. */
  message?: string;
  /** Per-file issue counts by code (malformed lines, replaced bytes...). */
  issues: Record<string, number>;
  addedAt: number;
  /** First `seq` this file's segments got; with `produced`, a reload can drop a half-written file cleanly. */
  firstSeq?: number;
  /** The collection this file's records went to; absent means 'segments' (a corpus file). Seed files say 'seeds'. */
  collection?: Collection;
}

/** Seed files and corpus files share the project's document list; `collection` tells them apart. */
export const isSeedDoc = (d: DocumentRecord): boolean => d.collection === 'seeds';
export const isCorpusDoc = (d: DocumentRecord): boolean => d.collection === undefined || d.collection === 'segments';

/** Where a segment came from. */
export interface Provenance {
  docId: string;
  path: string;
  /** Header path (outermost first) the segment sits under; empty for plain text. */
  headers: string[];
  /** Character offset of the segment's start in the decoded file (or row number for tabular files). */
  offset: number;
  row?: number;
  page?: number;
}

export interface Segment {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  id: string;
  text: string;
  chars: number;
  /** Normalised-text hash (exact dedup). */
  hash: string;
  provenance: Provenance;
  /** Token count with the chosen model's tokenizer, once measured. */
  tokens?: number;
}

export interface SeedPair {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  id: string;
  instruction: string;
  response: string;
  source: { docId: string; path: string; format: string; row: number };
  lang?: string;
}

export interface Sampling {
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
}

export interface ModelRef {
  engine: 'webllm' | 'openai' | 'wllama' | 'scripted';
  model: string;
}

/** An instruction a backward model wrote for a segment. `seq` is the segment's seq. */
export interface Candidate {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  segmentId: string;
  runId: string;
  instruction: string;
  /** The model's reply before clean-up. */
  raw: string;
  /** 'ok', or an issue code (empty, no-instruction, too-long...) — kept, never silently dropped. */
  status: string;
  /** What clean-up changed between `raw` and `instruction`, in order; absent when it changed nothing. */
  cleanup?: CleanupChange[];
  provenance: { model: ModelRef; promptVersion: number; stageVersion: number; sampling: Sampling; mode: string };
  usage?: { promptTokens: number; completionTokens: number };
  /** A human edit replaces `instruction`; the generated one stays in `raw`. */
  edited?: boolean;
  createdAt: number;
}

export type ParseStatus = 'parsed' | 'unparsed';

/** A forward model's rating of (candidate instruction, segment). `seq` is the segment's seq. */
export interface Rating {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  segmentId: string;
  runId: string;
  /** 0 for M0, 1 for M1, ... */
  round: number;
  /** Integer 1–5, or null when the reply could not be parsed. */
  score: number | null;
  /** Σ p·k over the five score tokens, where the engine returned their probabilities. */
  expectedScore?: number | null;
  /** Probabilities of scores 1..5 (index 0 = score 1), normalised over the five. */
  scoreProbs?: number[];
  /** Probability the five score tokens covered together before normalising (0–1); see reliableExpected. */
  scoreMass?: number;
  reason: string;
  raw: string;
  parse: ParseStatus;
  curator: { model: ModelRef; promptVersion: number; stageVersion: number; mode: string };
  usage?: { promptTokens: number; completionTokens: number };
  /**
   * Schema 1 only: a person's decision, stored on the rating it overrode. Read by the migration
   * alone; decisions are `HumanDecision` records now, so a re-rate can never undo them.
   */
  decision?: 'accept' | 'reject';
  createdAt: number;
}

/**
 * What a person decided about one pair, keyed like every pair by the segment's `seq`, in the
 * collection `decisions:<generation run>`. It overrides every rating run of every round: a
 * rejected pair stays rejected through re-rates and round 2. An edited instruction lives here
 * too (the candidate keeps what the model wrote); ratings made before the edit rated other words
 * and no longer decide (see core/curation/pair.ts).
 */
export interface HumanDecision {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  augmentRunId: string;
  /** Accept keeps the pair whatever its score; reject leaves it out. Absent: the rating decides. */
  verdict?: 'accept' | 'reject';
  decidedAt?: number;
  /** The instruction as the person wrote it. */
  instruction?: string;
  editedAt?: number;
  /** The curation round in force when the person last acted (null: no rating run yet). */
  round: number | null;
  /**
   * The person's choice between the pair's rewrite and its original response (issue 19): accept
   * uses the rewrite even when a check flagged it; keep-original never uses it. Absent: the
   * checks decide (a flagged rewrite is not used).
   */
  rewrite?: 'accept' | 'keep-original';
  rewriteDecidedAt?: number;
}

/** How a rewrite came out: 'ok', or why there is no usable text ('refused', 'empty', 'truncated'). */
export type RewriteStatus = 'ok' | 'refused' | 'empty' | 'truncated';

/**
 * A kept pair's response rewritten as an assistant's reply to its instruction, grounded in the
 * original text (core/stages/rewrite.ts), in `rewrites:<runId>` keyed by the segment's `seq`.
 * The checks (core/rewrite/checks.ts) are stored with it; `flagged` means a check failed or the
 * status is not 'ok', and a flagged rewrite is never used unless a person accepts it.
 */
export interface Rewrite {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  segmentId: string;
  runId: string;
  /** The instruction it answers (a later edit of the instruction makes this rewrite stale). */
  instruction: string;
  /** The rewritten response, cleaned; empty unless status is 'ok' or 'truncated'. */
  text: string;
  /** The model's reply before clean-up. */
  raw: string;
  status: RewriteStatus;
  checks: RewriteChecks | null;
  flagged: boolean;
  provenance: { model: ModelRef; promptVersion: number; stageVersion: number; sampling: Sampling };
  usage?: { promptTokens: number; completionTokens: number };
  createdAt: number;
}

export type RunStage = 'ingest' | 'seed' | 'augment' | 'curate' | 'rewrite' | 'export' | 'train';
export type RunStatus = 'pending' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface RunProgress {
  done: number;
  total: number;
  failed: number;
  /** Counts by outcome code ('ok', 'unparsed', 'timeout'...). */
  outcomes: Record<string, number>;
  tokens: number;
  startedAt: number;
  updatedAt: number;
}

export interface Run {
  schemaVersion: StoredSchemaVersion;
  id: string;
  stage: RunStage;
  stageVersion: number;
  status: RunStatus;
  round?: number;
  settings: Record<string, unknown>;
  progress: RunProgress;
  error?: { name: string; message: string };
  createdAt: number;
}

/** Collections of bulk records, each stored in chunks by `seq`. Per-run collections carry the run id. */
export type Collection =
  | 'segments'
  | 'seeds'
  | `candidates:${string}`
  | `ratings:${string}`
  | `failures:${string}`
  | `decisions:${string}`
  | `rewrites:${string}`;

/** A per-item failure a stage stored with a code (so a rerun can retry exactly those). */
export interface ItemFailure {
  schemaVersion: StoredSchemaVersion;
  seq: number;
  runId: string;
  code: string;
  message: string;
  attempts: number;
  createdAt: number;
}

export interface SeqRecord {
  seq: number;
}

/** Short random ids; `crypto.randomUUID` exists in browsers, workers and node 20. */
export function newId(prefix = ''): string {
  return prefix + crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}

export function newProject(name: string, now = Date.now()): Project {
  const trimmed = name.trim();
  return {
    schemaVersion: SCHEMA_VERSION,
    id: newId('p_'),
    name: trimmed.length > 0 ? trimmed : 'Untitled project',
    createdAt: now,
    updatedAt: now,
    settings: {},
  };
}

export function newRun(stage: RunStage, stageVersion: number, settings: Record<string, unknown>, now = Date.now()): Run {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: newId('r_'),
    stage,
    stageVersion,
    status: 'pending',
    settings,
    progress: { done: 0, total: 0, failed: 0, outcomes: {}, tokens: 0, startedAt: now, updatedAt: now },
    createdAt: now,
  };
}
