/**
 * Stage runner overhead and prompt cost, in node.
 *
 * 1. Pairs per second through BOTH stages (write an instruction, then rate the pair) with an
 *    instant scripted engine and persistence into MemoryProjectStore: everything the runner does
 *    except the model — building prompts, parsing replies, batching, Run-record updates, store
 *    writes, the store scans at start-up. Target from the issue: ≥ 5,000 pairs/s, so the model is
 *    always the bottleneck. (The IndexedDB figure comes from the browser bench.)
 * 2. Prompt size per rated pair in each curation mode on the sample corpus (Debian reference),
 *    in characters. Tokens need the chosen model's own tokenizer, which node does not have here
 *    (no tokenizer files can be downloaded); the tokenizer issue turns these into tokens. The
 *    completion side is known by construction: fast mode is one constrained token; reasoned mode
 *    is bounded by its max tokens (512 by default).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MemoryProjectStore } from '../../src/adapters/memory-store.ts';
import { ScriptedLlm } from '../../src/adapters/scripted-llm.ts';
import { SCHEMA_VERSION, newRun, type Segment } from '../../src/core/records.ts';
import { augmentStage } from '../../src/core/stages/augment.ts';
import { curateRequest, curateStage } from '../../src/core/stages/curate.ts';
import { augmentInputs, countCurateInputs } from '../../src/core/stages/inputs.ts';
import { curateInputsAsSent } from '../../src/core/tokens/stage-budget.ts';
import { DEFAULT_TEMPLATES } from '../../src/core/stages/prompts.ts';
import { runStage } from '../../src/core/stages/runner.ts';
import { AUGMENT_SAMPLING, CURATE_SAMPLING, FAST_CURATE_SAMPLING, type CurateConfig } from '../../src/core/stages/stage.ts';
import type { BenchFigure } from './figure.ts';

const corpusFile = resolve(import.meta.dirname, '../../../shared/corpora/debian-reference/debian-reference.en.txt');

/** Paragraph-packed segments of about `target` characters from the sample corpus (the corpus issue segments properly). */
export function sampleSegments(count: number, target = 1600): Segment[] {
  const paragraphs = readFileSync(corpusFile, 'utf8').split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 40);
  const texts: string[] = [];
  let cur = '';
  for (const p of paragraphs) {
    cur = cur ? `${cur}\n\n${p}` : p;
    if (cur.length >= target) {
      texts.push(cur.slice(0, 3000));
      cur = '';
    }
  }
  return Array.from({ length: count }, (_, seq) => {
    const text = texts[seq % texts.length] ?? '';
    return {
      schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text, chars: text.length, hash: `h${seq}`,
      provenance: { docId: 'debian', path: 'debian-reference.en.txt', headers: [], offset: 0 },
    };
  });
}

const model = { engine: 'scripted' as const, model: 'instant' };

export async function benchStages(pairs = 20_000): Promise<BenchFigure[]> {
  const store = new MemoryProjectStore();
  await store.put('segments', sampleSegments(pairs));
  // Instant engine: the reply depends on the request only through its length, as cheap as possible.
  const writer = new ScriptedLlm((req) => `Instruction: Explain the passage of ${req.messages.at(-1)?.content.length ?? 0} characters.`);
  const rater = new ScriptedLlm((req) => `Clear and complete.\nScore: ${((req.messages.at(-1)?.content.length ?? 0) % 5) + 1}`);

  const augment = augmentStage(DEFAULT_TEMPLATES['augment-finetuned']);
  const curate = curateStage(DEFAULT_TEMPLATES['curate-reasoned']);
  const aRun = newRun('augment', augment.version, {});
  const cRun = newRun('curate', curate.version, {});
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const a = await runStage(augment, augmentInputs(store), {
    llm: writer, store, run: aRun, total: pairs, concurrency: 8,
    config: { model, sampling: AUGMENT_SAMPLING, examples: [], maxInstructionChars: 2000, maxExampleChars: 1500 },
  });
  const t1 = performance.now();
  const c = await runStage(curate, curateInputsAsSent(store, aRun.id), {
    llm: rater, store, run: cRun, total: await countCurateInputs(store, aRun.id), concurrency: 8,
    config: { model, sampling: CURATE_SAMPLING, round: 0, constrained: true, topLogprobs: 0 },
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (a.progress.done !== pairs || c.progress.done !== pairs) throw new Error(`runner lost items: ${a.progress.done} / ${c.progress.done} of ${pairs}`);

  const figures: BenchFigure[] = [
    { name: `stage runner, both stages, instant engine, memory store (${pairs.toLocaleString('en-US')} pairs)`, value: pairs / ((t2 - t0) / 1000), unit: 'pairs/s', better: 'higher', target: '≥ 5,000 pairs/s' },
    // CPU time is steadier than wall time on a shared machine (other processes do not count).
    { name: 'stage runner, both stages, per CPU second', value: pairs / ((cpu.user + cpu.system) / 1e6), unit: 'pairs/s', better: 'higher', target: '≥ 5,000 pairs/s' },
    { name: 'stage runner, augmentation only', value: pairs / ((t1 - t0) / 1000), unit: 'items/s', better: 'higher' },
    { name: 'stage runner, curation only', value: pairs / ((t2 - t1) / 1000), unit: 'items/s', better: 'higher' },
  ];

  // Prompt size per rated pair, per curation mode, on real segments with the generated instructions.
  const sample = sampleSegments(500);
  const chars = (mode: 'reasoned' | 'fast') => {
    const template = DEFAULT_TEMPLATES[mode === 'fast' ? 'curate-fast' : 'curate-reasoned'];
    const cfg: CurateConfig = { model, sampling: mode === 'fast' ? FAST_CURATE_SAMPLING : CURATE_SAMPLING, round: 0, constrained: true, topLogprobs: 5 };
    let total = 0;
    for (const s of sample) {
      const req = curateRequest(template, { seq: s.seq, segmentId: s.id, instruction: 'Explain how to configure the APT package sources on Debian.', response: s.text }, cfg);
      total += req.messages.reduce((n, m) => n + m.content.length, 0);
    }
    return total / sample.length;
  };
  const segmentChars = sample.reduce((n, s) => n + s.chars, 0) / sample.length;
  figures.push(
    { name: 'curation prompt per pair, reasoned mode (sample corpus)', value: chars('reasoned'), unit: 'chars', better: 'lower' },
    { name: 'curation prompt per pair, fast mode (sample corpus)', value: chars('fast'), unit: 'chars', better: 'lower' },
    { name: 'of which the segment itself (sample corpus)', value: segmentChars, unit: 'chars', better: 'lower' },
    { name: 'curation reply per pair, fast mode (grammar: one digit)', value: 1, unit: 'tokens', better: 'lower' },
    { name: 'curation reply per pair, reasoned mode (upper bound: max tokens)', value: CURATE_SAMPLING.maxTokens, unit: 'tokens', better: 'lower' },
  );
  return figures;
}

// `npx tsx test/bench/stages.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import('./figure.ts');
  console.log(table(await benchStages()));
}
