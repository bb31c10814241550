import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLE_FILES, buildTrainingBundle, bundleFileName } from '../../../src/adapters/trainer/bundle.ts';
import { defaultTrainingConfig } from '../../../src/core/training/config.ts';
import { prepareDataset, type PreparedDataset } from '../../../src/core/training/dataset.ts';

const line = (i: number) => JSON.stringify({
  messages: [
    { role: 'system', content: 'Answer with knowledge from web search.' },
    { role: 'user', content: `Question ${i} with "quotes" and ünïcode` },
    { role: 'assistant', content: `Answer ${i}\nover two lines` },
  ],
});

async function data(n: number): Promise<PreparedDataset> {
  const r = await prepareDataset(Array.from({ length: n }, (_, i) => line(i)));
  if (!r.ok) throw new Error(r.issue.message);
  return r.value;
}

describe('training bundle', () => {
  it('is a zip with the data, configs that parse, and a README with the commands', async () => {
    const config = defaultTrainingConfig({ purpose: 'backward', examples: 2000, baseModel: 'meta-llama/Llama-3.1-8B' });
    const training = await data(2000);
    const validation = await data(20);
    const zip = await buildTrainingBundle({ config, training, validation, name: 'Backward, round 1' });
    expect(bundleFileName({ config, name: 'Backward, round 1' })).toBe('humpback-backward-backward-round-1.zip');

    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'README.md', 'axolotl.yaml', 'data/dataset_info.json', 'data/train.jsonl', 'data/validation.jsonl', 'humpback-training.json', 'llamafactory.yaml',
    ]);
    const text = (name: string) => strFromU8(files[name] ?? new Uint8Array());

    const lines = text(BUNDLE_FILES.train).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2000);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(Array.from({ length: 2000 }, (_, i) => JSON.parse(line(i)) as unknown));
    expect(text(BUNDLE_FILES.validation).trim().split('\n').map((l) => JSON.parse(l) as unknown)).toHaveLength(20);

    const axolotl = parse(text(BUNDLE_FILES.axolotl)) as Record<string, unknown>;
    expect(axolotl.base_model).toBe('meta-llama/Llama-3.1-8B');
    expect(axolotl.lora_r).toBe(64);
    expect(axolotl.micro_batch_size).toBe(4);
    expect(axolotl.gradient_accumulation_steps).toBe(2);
    expect(axolotl.max_steps).toBe(410); // 500 · (2000/3200)^0.4195 = 410.5
    expect(axolotl.output_dir).toBe('outputs/backward-round-1');
    expect((axolotl.datasets as { path: string }[])[0]?.path).toBe('data/train.jsonl');
    expect((axolotl.test_datasets as { path: string }[])[0]?.path).toBe('data/validation.jsonl');

    const lf = parse(text(BUNDLE_FILES.llamaFactory)) as Record<string, unknown>;
    expect([lf.dataset, lf.eval_dataset, lf.dataset_dir, lf.output_dir]).toEqual([
      'humpback_backward_round_1', 'humpback_backward_round_1_validation', 'data', 'saves/backward-round-1',
    ]);
    const info = JSON.parse(text(BUNDLE_FILES.datasetInfo)) as Record<string, { file_name: string }>;
    expect(Object.keys(info)).toEqual(['humpback_backward_round_1', 'humpback_backward_round_1_validation']);
    expect(info.humpback_backward_round_1?.file_name).toBe('train.jsonl');

    expect(JSON.parse(text(BUNDLE_FILES.config))).toEqual({ protocol: 'humpback-trainer/1', suffix: 'Backward, round 1', config });

    const readme = text(BUNDLE_FILES.readme);
    expect(readme).toContain('axolotl train axolotl.yaml');
    expect(readme).toContain('llamafactory-cli train llamafactory.yaml');
    expect(readme).toContain('| training examples | 2000 (messages format) |');
    expect(readme).toContain('**backward model**');
  });
  it('has no validation files when there is no validation set', async () => {
    const config = defaultTrainingConfig({ purpose: 'forward', examples: 5, baseModel: 'Qwen/Qwen2.5-0.5B' });
    const zip = await buildTrainingBundle({ config, training: await data(5), name: '' });
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'axolotl.yaml', 'data/dataset_info.json', 'data/train.jsonl', 'humpback-training.json', 'llamafactory.yaml']);
    expect(Object.keys(JSON.parse(strFromU8(files['data/dataset_info.json'] ?? new Uint8Array())) as object)).toEqual(['humpback_humpback']);
  });
});
