/**
 * What a pipeline stage is, as data the runner can drive: build a request for one input, parse the
 * reply into a record. Stages are pure; the runner (runner.ts) owns the engine, the store, retries
 * and progress. One run = one stage version: a changed prompt template is a new version and a new
 * run, so earlier results stay in their own collection, labelled with the version that made them.
 */
import { HumpbackError } from '../errors.ts';
import type { Collection, ModelRef, Sampling, SeqRecord } from '../records.ts';
import { fail, type Issue, type Result } from '../result.ts';
import type { LlmReply, LlmRequest } from '../../ports/llm.ts';

/** An expected bad outcome of one item that leaves no record to keep (stored in `failures:<runId>`). */
export interface StageIssue extends Issue {
  /** The reply text, when there was one. */
  raw?: string;
}

/** The failure every stage stores when the engine ended a reply with an error (the reply's text kept); null otherwise. */
export function engineFailure(reply: LlmReply): Result<never, StageIssue> | null {
  return reply.finishReason === 'error' ? fail({ code: 'engine-error', message: 'The engine stopped with an error.', raw: reply.text }) : null;
}

export interface Stage<In extends SeqRecord, Out extends SeqRecord, Cfg> {
  id: 'augment' | 'curate' | 'rewrite';
  /** Bump when the prompt or the parsing changes; the run records it. */
  version: number;
  /** Where this stage's results for a run live. */
  collection(runId: string): Collection;
  request(input: In, cfg: Cfg): LlmRequest;
  parse(reply: LlmReply, input: In, cfg: Cfg, runId: string, now: number): Result<Out, StageIssue>;
  /** The stage version a stored record was made with (records from another version are redone). */
  versionOf(record: Out): number;
  /** Outcome code counted in progress: 'ok', 'unparsed', 'empty', 'too-long'... */
  outcomeOf(record: Out): string;
}

/** A segment to write an instruction for. `seq` is the segment's seq. */
export interface AugmentInput extends SeqRecord {
  segmentId: string;
  text: string;
}

/** A (candidate instruction, segment) pair to rate. `seq` is the segment's seq. */
export interface CurateInput extends SeqRecord {
  segmentId: string;
  instruction: string;
  response: string;
}

export type AugmentMode = 'finetuned' | 'prompted';
export type CurateMode = 'reasoned' | 'fast';

/** A seed pair used as a reversed example (response in, instruction out). */
export interface Example {
  instruction: string;
  response: string;
}

export interface AugmentConfig {
  model: ModelRef;
  sampling: Sampling;
  /** Prompted mode: the k reversed seed examples, in the order shown. Ignored in fine-tuned mode. */
  examples: Example[];
  /** Longer cleaned instructions are kept with status 'too-long'. */
  maxInstructionChars: number;
  /** Example responses are cut to this many characters to keep the prompt small. */
  maxExampleChars: number;
}

export interface CurateConfig {
  model: ModelRef;
  sampling: Sampling;
  /** 0 for M0, 1 for M1, ... */
  round: number;
  /** Ask the engine for a grammar so the last line is always `Score: [1-5]`. */
  constrained: boolean;
  /** Alternatives per token to ask for (0 = none); the expected score needs them, and is surer the more there are. */
  topLogprobs: number;
}

/** Paper defaults for self-augmentation: nucleus sampling, temperature 0.7, top-p 0.9. */
export const AUGMENT_SAMPLING: Sampling = { temperature: 0.7, topP: 0.9, maxTokens: 256 };
/** Rating is a judgement, not a creative act: greedy decoding so a rerun gives the same score. */
export const CURATE_SAMPLING: Sampling = { temperature: 0, topP: 1, maxTokens: 512 };
export const FAST_CURATE_SAMPLING: Sampling = { temperature: 0, topP: 1, maxTokens: 1 };

export class StageVersionMismatchError extends HumpbackError {
  constructor(runId: string, runVersion: number, stageVersion: number) {
    super(
      'StageVersionMismatchError',
      `Run ${runId} was made with stage version ${runVersion}, but the current prompt is version ${stageVersion}. ` +
        'Its results stay as they are: start a new run to use the changed prompt, or restore the earlier prompt to resume it.',
    );
  }
}
