/**
 * Token budgets applied to a stage run. Before a run starts, the prompt around the segment is
 * measured once (chat template + instructions + few-shot examples) and the reply's tokens are set
 * aside; what is left of the engine's context window is the room for the variable text (the
 * segment, or the response being rated). While the run goes, the inputs stream through
 * `budgetInputs`, which counts each chunk in the tokenizer worker and, for texts that would
 * overflow, either cuts them at a sentence end or marks them to be skipped — the runner then
 * stores a skipped item as a per-item outcome with the code 'too-long-for-context', never silently.
 * Stored segments are never changed: the cut text exists only in the request, and the result
 * record says it was cut (`budget` below).
 */
import type { Tokenizer } from '../../ports/tokenizer.ts';
import type { Stage, StageIssue } from '../stages/stage.ts';
import type { Candidate, HumanDecision, SeqRecord, Segment } from '../records.ts';
import { usableInstruction } from '../curation/decisions.ts';
import { ok } from '../result.ts';
import { chunksOf } from '../stages/inputs.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { CurateInput } from '../stages/stage.ts';
import type { BudgetCounts, OverflowChoice, PromptBudget } from './budget.ts';

export const TOO_LONG_FOR_CONTEXT = 'too-long-for-context';

/** What a run records in `run.settings.budget`: how prompts were fitted, and the counts shown before it started. */
export interface RunBudget extends PromptBudget {
  choice: OverflowChoice;
  tokenizer: { key: string; name: string };
  counts: BudgetCounts;
  /** Prompt tokens of every request the run will send (template, examples and each text as sent). */
  promptTokens: number;
}

/** Marked on a stored result whose text was cut to fit (the segment itself stays whole). */
export interface CutMark {
  /** Characters of the text that were sent. */
  chars: number;
  tokens: number;
  originalTokens: number;
}

/** What the budget decided for one input. */
export interface InputBudget {
  /** Tokens of the whole request as sent (0 for a skipped input). */
  promptTokens: number;
  cut?: CutMark;
  skip?: StageIssue;
  /** Skipped although the choice was to cut: not even the first sentence fits. */
  uncuttable?: true;
}

export type Budgeted<In> = In & { budget: InputBudget };

/** How a stage's input exposes its variable text: read it, the tokens that come with it per input (an instruction), and replace it. */
export interface BudgetText<In> {
  text(input: In): string;
  withText(input: In, text: string): In;
  /** Other per-input text that shares the room (e.g. the instruction beside a rated response). */
  extra?(input: In): string;
}

export function readRunBudget(settings: Record<string, unknown>): RunBudget | null {
  const b = settings.budget as Partial<RunBudget> | undefined;
  if (!b || typeof b.segmentTokens !== 'number' || (b.choice !== 'truncate' && b.choice !== 'skip') || typeof b.tokenizer?.key !== 'string') return null;
  return b as RunBudget;
}

export function tooLongIssue(tokens: number, room: number, choice: OverflowChoice): StageIssue {
  return {
    code: TOO_LONG_FOR_CONTEXT,
    message:
      choice === 'skip'
        ? `The text has ${tokens} tokens; the model's context leaves room for ${room}. Skipped, as chosen: choose "cut at a sentence end" to use its beginning.`
        : `Even the first sentence is longer than the ${room} tokens the model's context leaves for it, so it was skipped.`,
  };
}

/** Inputs per tokenizer call: big enough to amortise the worker round trip, small enough to start promptly. */
const CHUNK = 256;

/**
 * The inputs with the budget applied, in order: counted in chunks by the tokenizer, over-long
 * texts cut at a sentence end or marked to skip. `fixed` is the prompt's tokens around the text
 * (template, examples, margin) and `room` the most tokens the text (plus any `extra`) may have.
 */
export async function* budgetInputs<In extends SeqRecord>(
  inputs: AsyncIterable<In> | Iterable<In>,
  shape: BudgetText<In>,
  budget: Pick<RunBudget, 'choice' | 'segmentTokens' | 'templateTokens' | 'fewShotTokens' | 'marginTokens'>,
  tokenizer: Pick<Tokenizer, 'count' | 'truncate'>,
  signal?: AbortSignal,
): AsyncGenerator<Budgeted<In>> {
  let chunk: In[] = [];
  for await (const input of inputs) {
    chunk.push(input);
    if (chunk.length >= CHUNK) {
      yield* await fitChunk(chunk, shape, budget, tokenizer, signal);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield* await fitChunk(chunk, shape, budget, tokenizer, signal);
}

async function fitChunk<In extends SeqRecord>(
  chunk: In[],
  shape: BudgetText<In>,
  budget: Pick<RunBudget, 'choice' | 'segmentTokens' | 'templateTokens' | 'fewShotTokens' | 'marginTokens'>,
  tokenizer: Pick<Tokenizer, 'count' | 'truncate'>,
  signal?: AbortSignal,
): Promise<Budgeted<In>[]> {
  const fixed = budget.templateTokens + budget.fewShotTokens + budget.marginTokens;
  const opts = signal ? { signal } : {};
  const texts = await tokenizer.count(chunk.map((i) => shape.text(i)), opts);
  const extras = shape.extra ? await tokenizer.count(chunk.map((i) => shape.extra?.(i) ?? ''), opts) : chunk.map(() => 0);
  const out: Budgeted<In>[] = chunk.map((input, i) => {
    const tokens = texts[i] ?? 0;
    const extra = extras[i] ?? 0;
    return { ...input, budget: { promptTokens: fixed + extra + tokens } };
  });
  // Over-long texts, grouped by the room left for them (the same for every segment; per instruction when rating).
  const over = new Map<number, number[]>();
  out.forEach((b, i) => {
    const room = budget.segmentTokens - (extras[i] ?? 0);
    if ((texts[i] ?? 0) > room) over.set(room, [...(over.get(room) ?? []), i]);
  });
  for (const [room, idx] of over) {
    if (budget.choice === 'skip' || room <= 0) {
      for (const i of idx) {
        const skip = tooLongIssue(texts[i] ?? 0, Math.max(0, room), budget.choice);
        (out[i] as Budgeted<In>).budget = budget.choice === 'skip' ? { promptTokens: 0, skip } : { promptTokens: 0, skip, uncuttable: true };
      }
      continue;
    }
    const cuts = await tokenizer.truncate(idx.map((i) => shape.text(chunk[i] as In)), room, opts);
    idx.forEach((i, k) => {
      const cut = cuts[k];
      const item = out[i] as Budgeted<In>;
      if (!cut || cut.cut === 'none-fits') {
        item.budget = { promptTokens: 0, skip: tooLongIssue(texts[i] ?? 0, room, 'truncate'), uncuttable: true };
        return;
      }
      const input = shape.withText(chunk[i] as In, cut.text);
      out[i] = {
        ...input,
        budget: { promptTokens: fixed + (extras[i] ?? 0) + cut.tokens, cut: { chars: cut.text.length, tokens: cut.tokens, originalTokens: cut.originalTokens } },
      };
    });
  }
  return out;
}

/** A stage whose results say when their text was cut to fit (`budget` on the stored record). */
export function budgetedStage<In extends SeqRecord, Out extends SeqRecord, Cfg>(stage: Stage<In, Out, Cfg>): Stage<Budgeted<In>, Out, Cfg> {
  return {
    ...stage,
    request: (input, cfg) => stage.request(input, cfg),
    parse(reply, input, cfg, runId, now) {
      const parsed = stage.parse(reply, input, cfg, runId, now);
      if (parsed.ok && input.budget.cut) return ok({ ...parsed.value, budget: input.budget.cut });
      return parsed;
    },
  };
}

/** The runner's hooks for budgeted inputs: skip what the budget refused, weigh the rest by prompt tokens. */
export const skipOverLong = <In>(input: Budgeted<In>): StageIssue | null => input.budget.skip ?? null;
export const promptTokensOf = <In>(input: Budgeted<In>): number => input.budget.promptTokens;

/** The cut a stored result records, if its text was cut to fit. */
export function cutOf(record: object): CutMark | undefined {
  const b = (record as { budget?: CutMark }).budget;
  return b && typeof b.chars === 'number' ? b : undefined;
}

/** The counts shown before a run (fits / cut / skipped) and its prompt tokens, from the budgeted inputs. */
export async function tallyBudget<In>(items: AsyncIterable<Budgeted<In>>, onProgress?: (measured: number) => void): Promise<{ counts: BudgetCounts; promptTokens: number }> {
  const counts: BudgetCounts = { measured: 0, fits: 0, truncated: 0, skipped: 0, tooLongToCut: 0, tokensCut: 0 };
  let promptTokens = 0;
  for await (const { budget } of items) {
    counts.measured++;
    promptTokens += budget.promptTokens;
    if (budget.cut) {
      counts.truncated++;
      counts.tokensCut += budget.cut.originalTokens - budget.cut.tokens;
    } else if (budget.skip) {
      if (budget.uncuttable) counts.tooLongToCut++;
      else counts.skipped++;
    } else counts.fits++;
    if (counts.measured % CHUNK === 0) onProgress?.(counts.measured);
  }
  onProgress?.(counts.measured);
  return { counts, promptTokens };
}

/**
 * The pairs to rate, with each response as the instruction writer saw it: a candidate written for
 * a segment that was cut to fit is rated against the same cut text, not the whole segment. The
 * instruction is the one the pair is trained with (`usableInstruction`): a person's edit wins.
 * `only` limits the run to those seqs (a rating of the edited pairs).
 */
export async function* curateInputsAsSent(store: ProjectStore, augmentRunId: string, only?: readonly number[]): AsyncGenerator<CurateInput> {
  const wanted = only ? new Set(only) : null;
  for await (const chunk of chunksOf<Candidate>(store, `candidates:${augmentRunId}`)) {
    const picked = wanted ? chunk.filter((c) => wanted.has(c.seq)) : chunk;
    if (picked.length === 0) continue;
    const seqs = picked.map((c) => c.seq);
    const [segments, decisions] = await Promise.all([
      store.get<Segment>('segments', seqs),
      store.get<HumanDecision>(`decisions:${augmentRunId}`, seqs),
    ]);
    for (let i = 0; i < picked.length; i++) {
      const c = picked[i] as Candidate;
      const s = segments[i];
      const d = decisions[i];
      const instruction = usableInstruction(c, d?.seq === c.seq ? d : undefined);
      if (!s || instruction === null) continue;
      const cut = cutOf(c);
      yield { seq: c.seq, segmentId: c.segmentId, instruction, response: cut ? s.text.slice(0, cut.chars) : s.text };
    }
  }
}
