/**
 * The rewrite stage (issue 19), in node, on the sample corpus (Debian reference):
 * 1. runner overhead: kept pairs per second through the rewrite stage with an instant scripted
 *    engine that answers with the original text, persisted into MemoryProjectStore — everything
 *    but the model: reading the curated set's pairs (the join of segments, candidates, ratings,
 *    decisions), building prompts, cleaning replies, the checks, batching, store writes;
 * 2. prompt and reply tokens per pair, counted with the tiny fixture tokenizer
 *    (test/fixtures/tokenizer, a SentencePiece-style BPE with byte fallback: it splits English
 *    into more tokens than a real model's vocabulary, so read these as an upper bound). Tokens of
 *    the message texts, without a chat template's few tokens per message. The reply is taken to
 *    be as long as the response it rewrites (a faithful rewrite keeps the facts and most words).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { MemoryProjectStore } from '../../src/adapters/memory-store.ts';
import { ScriptedLlm } from '../../src/adapters/scripted-llm.ts';
import { curatedSetOf } from '../../src/core/curation/curated-set.ts';
import { SCHEMA_VERSION, newRun, type Candidate, type Rating, type Run } from '../../src/core/records.ts';
import { rewriteInputs } from '../../src/core/rewrite/run.ts';
import { DEFAULT_REWRITE_CONFIG, DEFAULT_REWRITE_TEMPLATE, rewriteRequest, rewriteStage } from '../../src/core/stages/rewrite.ts';
import { runStage } from '../../src/core/stages/runner.ts';
import type { BenchFigure } from './figure.ts';
import { sampleSegments } from './stages.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/tokenizer', name), 'utf8')) as Record<string, unknown>;

const INSTRUCTION = 'Explain how to configure the APT package sources on Debian.';
const config = DEFAULT_REWRITE_CONFIG({ engine: 'scripted', model: 'instant' });

/** A rated project in memory: every segment has an instruction and a rating of 5 (all kept). */
async function ratedStore(pairs: number): Promise<{ store: MemoryProjectStore; runs: Run[] }> {
  const store = new MemoryProjectStore();
  const segments = sampleSegments(pairs);
  const augment: Run = { ...newRun('augment', 1, {}), id: 'r_aug', status: 'done' };
  const curate: Run = { ...newRun('curate', 1, { augmentRunId: 'r_aug' }), id: 'r_cur', status: 'done', round: 0 };
  const provenance = { model: config.model, promptVersion: 1, stageVersion: 1, sampling: config.sampling, mode: 'finetuned' };
  await store.put('segments', segments);
  await store.put('candidates:r_aug', segments.map((s): Candidate => ({
    schemaVersion: SCHEMA_VERSION, seq: s.seq, segmentId: s.id, runId: 'r_aug', instruction: INSTRUCTION, raw: INSTRUCTION, status: 'ok', provenance, createdAt: 1,
  })));
  await store.put('ratings:r_cur', segments.map((s): Rating => ({
    schemaVersion: SCHEMA_VERSION, seq: s.seq, segmentId: s.id, runId: 'r_cur', round: 0, score: 5, reason: 'fine', raw: 'fine\nScore: 5', parse: 'parsed',
    curator: { model: config.model, promptVersion: 1, stageVersion: 1, mode: 'reasoned' }, createdAt: 2,
  })));
  return { store, runs: [augment, curate] };
}

export async function benchRewrite(pairs = 10_000): Promise<BenchFigure[]> {
  const { store, runs } = await ratedStore(pairs);
  const set = curatedSetOf(runs, null);
  const original = /\nOriginal text:\n([\s\S]*)\n\nWrite the assistant/;
  const llm = new ScriptedLlm((req) => original.exec(req.messages.at(-1)?.content ?? '')?.[1] ?? '');
  const run = newRun('rewrite', DEFAULT_REWRITE_TEMPLATE.version, {});
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await runStage(rewriteStage(DEFAULT_REWRITE_TEMPLATE), rewriteInputs(store, set), { llm, store, run, config, total: pairs, concurrency: 8 });
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (out.progress.done !== pairs || (out.progress.outcomes['rewritten'] ?? 0) !== pairs) {
    throw new Error(`the rewrite run lost or flagged items: ${JSON.stringify(out.progress)} of ${pairs}`);
  }

  const tokenizer = new PreTrainedTokenizer(fixture('tokenizer.json'), fixture('tokenizer_config.json'));
  const count = (text: string): number => tokenizer.encode(text, { add_special_tokens: false }).length;
  const sample = sampleSegments(500);
  let prompt = 0;
  let reply = 0;
  let template = 0;
  for (const s of sample) {
    const req = rewriteRequest(DEFAULT_REWRITE_TEMPLATE, { seq: s.seq, segmentId: s.id, instruction: INSTRUCTION, response: s.text }, config);
    prompt += req.messages.reduce((n, m) => n + count(m.content), 0);
    reply += count(s.text);
  }
  template = count(DEFAULT_REWRITE_TEMPLATE.system) + count(DEFAULT_REWRITE_TEMPLATE.user.replace('{{instruction}}', '').replace('{{response}}', ''));
  return [
    { name: `rewrite stage runner, instant engine, memory store (${pairs.toLocaleString('en-US')} kept pairs, checks included)`, value: pairs / ((t1 - t0) / 1000), unit: 'pairs/s', better: 'higher' },
    { name: 'rewrite stage runner, per CPU second', value: pairs / ((cpu.user + cpu.system) / 1e6), unit: 'pairs/s', better: 'higher' },
    { name: 'rewrite prompt per pair (sample corpus, fixture tokenizer)', value: prompt / sample.length, unit: 'tokens', better: 'lower' },
    { name: 'of which the template around the pair', value: template, unit: 'tokens', better: 'lower' },
    { name: 'rewrite reply per pair (as long as the response; fixture tokenizer)', value: reply / sample.length, unit: 'tokens', better: 'lower' },
  ];
}

// `npx tsx test/bench/rewrite.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import('./figure.ts');
  console.log(table(await benchRewrite()));
}
