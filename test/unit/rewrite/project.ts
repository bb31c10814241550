/**
 * A small rated project in the memory store for the rewrite tests: four segments with
 * instructions, one rating run (round 0) that keeps seqs 0, 1 and 3 (A4), and a scripted
 * rewriting model whose reply depends on the pair: faithful for 0, a number invented for 1,
 * a refusal for 3.
 */
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { ScriptedLlm } from '../../../src/adapters/scripted-llm.ts';
import { SCHEMA_VERSION, newRun, type Candidate, type Rating, type Run, type Segment } from '../../../src/core/records.ts';
import { DEFAULT_REWRITE_CONFIG, NOT_ANSWERABLE } from '../../../src/core/stages/rewrite.ts';
import type { LlmRequest } from '../../../src/ports/llm.ts';

export const model = { engine: 'scripted' as const, model: 'rewriter-1' };
export const config = DEFAULT_REWRITE_CONFIG(model);

export const TEXTS = [
  'Posted by admin. Boil the eggs for 9 minutes, then cool them in cold water for 2 minutes so the shells come off cleanly.',
  'Our shop sells kettles. A kettle of 1.5 litres boils in about 3 minutes on a 2000 watt element.',
  'Click here to subscribe. The museum opens at 10 and closes at 18 on weekdays.',
  'I love this recipe! Knead the dough for 10 minutes until smooth and elastic, then let it rise for 1 hour.',
];
export const QUESTIONS = ['How long should I boil eggs?', 'How fast does a kettle boil?', 'When is the museum open?', 'How do I knead bread dough?'];
export const SCORES = [5, 4, 2, 5];

/** The rewriting model's reply for a pair. */
export function rewriteReply(seq: number): string {
  if (seq === 0) return 'Here is the rewritten answer:\nBoil the eggs for 9 minutes, then cool them in cold water for 2 minutes so the shells come off cleanly.';
  if (seq === 1) return 'A 1.5 litre kettle boils in about 3 minutes on a 2000 watt element, and in 5 minutes on a weaker one.';
  if (seq === 3) return NOT_ANSWERABLE;
  return 'The museum opens at 10 and closes at 18 on weekdays.';
}

export const seqOfRequest = (req: LlmRequest): number => QUESTIONS.findIndex((q) => req.messages.at(-1)?.content.includes(q));

export function rewriter(reply: (seq: number) => string = rewriteReply): { llm: ScriptedLlm; calls: number[] } {
  const calls: number[] = [];
  const llm = new ScriptedLlm((req) => {
    const seq = seqOfRequest(req);
    calls.push(seq);
    return reply(seq);
  });
  return { llm, calls };
}

export interface RatedProject {
  store: MemoryProjectStore;
  augment: Run;
  curate: Run;
  runs: Run[];
}

export async function ratedProject(): Promise<RatedProject> {
  const store = new MemoryProjectStore();
  const augment: Run = { ...newRun('augment', 1, {}, 1000), id: 'r_aug', status: 'done' };
  const curate: Run = { ...newRun('curate', 1, { augmentRunId: 'r_aug' }, 2000), id: 'r_cur', status: 'done', round: 0 };
  await store.putRun(augment);
  await store.putRun(curate);
  const segments: Segment[] = TEXTS.map((text, seq) => ({
    schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text, chars: text.length, hash: `h${seq}`,
    provenance: { docId: 'd1', path: 'kitchen.md', headers: [], offset: seq * 200 },
  }));
  const candidates: Candidate[] = QUESTIONS.map((instruction, seq) => ({
    schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: 'r_aug', instruction, raw: instruction, status: 'ok',
    provenance: { model: { engine: 'scripted', model: 'backward-1' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 }, mode: 'prompted' },
    createdAt: 1500,
  }));
  const ratings: Rating[] = SCORES.map((score, seq) => ({
    schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: 'r_cur', round: 0, score, reason: 'fine', raw: `fine\nScore: ${score}`, parse: 'parsed',
    curator: { model: { engine: 'scripted', model: 'forward-0' }, promptVersion: 1, stageVersion: 1, mode: 'reasoned' }, createdAt: 2500,
  }));
  await store.put('segments', segments);
  await store.put('candidates:r_aug', candidates);
  await store.put('ratings:r_cur', ratings);
  return { store, augment, curate, runs: [augment, curate] };
}
