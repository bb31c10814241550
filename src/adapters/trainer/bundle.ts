/**
 * The training bundle, for people who train by hand: one zip (fflate) holding the data JSONL,
 * a ready Axolotl config, a LLaMA-Factory dataset entry and config, our own config as JSON (what
 * the generic protocol sends) and a README with the commands — including how to bring the model
 * back as a GGUF or web-llm build. The data is streamed into the zip piece by piece, so a large
 * export is never held as one more contiguous copy. Nothing here knows an API key.
 */
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { axolotlYaml } from '../../core/training/axolotl.ts';
import { usesBf16, type TrainingConfig } from '../../core/training/config.ts';
import type { PreparedDataset } from '../../core/training/dataset.ts';
import { datasetInfo, datasetInfoEntry, llamaFactoryYaml } from '../../core/training/llamafactory.ts';
import { axolotlChatFormat, learningRateNote, llamaFactoryTemplate } from '../../core/training/recipes.ts';
import { GENERIC_PROTOCOL } from './generic-http.ts';

export interface BundleInput {
  config: TrainingConfig;
  training: PreparedDataset;
  validation?: PreparedDataset;
  /** Short name for the run, used in dataset and output names ("forward-r1"). */
  name: string;
  /** Where the data came from, in words (the curated set, or the template the seeds were reversed with). */
  provenance?: string;
}

export const BUNDLE_FILES = {
  readme: 'README.md',
  axolotl: 'axolotl.yaml',
  llamaFactory: 'llamafactory.yaml',
  config: 'humpback-training.json',
  train: 'data/train.jsonl',
  validation: 'data/validation.jsonl',
  datasetInfo: 'data/dataset_info.json',
} as const;

/** A file-name-safe version of the run name. */
export function bundleSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'humpback' : slug.slice(0, 60);
}

export function bundleFileName(input: Pick<BundleInput, 'name' | 'config'>): string {
  return `humpback-${input.config.purpose}-${bundleSlug(input.name)}.zip`;
}

function readme(input: BundleInput): string {
  const c = input.config;
  const slug = bundleSlug(input.name);
  const length = c.length.unit === 'steps' ? `${c.length.steps} steps` : `${c.length.epochs} epochs`;
  const what = c.purpose === 'backward'
    ? 'the **backward model** M_yx (reversed seed pairs: given a response, write its instruction)'
    : 'the **forward model** (seed pairs plus curated pairs, each tagged by source with a system prompt)';
  return `# Humpback Studio training bundle: ${input.name}

This bundle trains ${what} with ${c.method.toUpperCase()} on \`${c.baseModel}\`.

| | |
| --- | --- |
| training examples | ${input.training.examples} (${input.training.format} format) |${input.provenance ? `
| data | ${input.provenance.replaceAll('|', '\\|')} |` : ''}
| validation examples | ${input.validation ? input.validation.examples : 'none'} |
| LoRA | ${c.method === 'full' ? 'none (full fine-tuning)' : `r ${c.lora.r}, alpha ${c.lora.alpha}, dropout ${c.lora.dropout}, modules ${c.lora.targetModules.join(', ')}`} |
| learning rate | ${c.learningRate} → ${c.schedule.kind === 'constant' ? 'constant' : c.schedule.finalLearningRate} (${c.schedule.kind}), weight decay ${c.weightDecay}; ${learningRateNote(c)} |
| precision | ${usesBf16(c) ? 'bf16' : 'fp16 (the GPU has no bf16)'} |
| length | ${length}, batch ${c.batchSize} (micro-batch ${c.microBatchSize}), max ${c.maxSeqLength} tokens |

## Files

- \`${BUNDLE_FILES.train}\`${input.validation ? `, \`${BUNDLE_FILES.validation}\`` : ''} — the data, one JSON example per line
- \`${BUNDLE_FILES.axolotl}\` — Axolotl config
- \`${BUNDLE_FILES.llamaFactory}\` and \`${BUNDLE_FILES.datasetInfo}\` — LLaMA-Factory config and dataset entry
- \`${BUNDLE_FILES.config}\` — the same settings in Humpback Studio's own format (\`${GENERIC_PROTOCOL}\`)

## Train with Axolotl

\`\`\`sh
pip install axolotl
axolotl train ${BUNDLE_FILES.axolotl}
axolotl merge-lora ${BUNDLE_FILES.axolotl}   # optional: merge the adapter into the base model
\`\`\`

${input.training.format === 'alpaca' ? '' : `Chat template: \`${axolotlChatFormat(c.baseModel, c.method).chatTemplate}\` — ${axolotlChatFormat(c.baseModel, c.method).why}.\n`}The adapter is written to \`outputs/${slug}\`.

## Train with LLaMA-Factory

\`\`\`sh
pip install llamafactory
llamafactory-cli train ${BUNDLE_FILES.llamaFactory}
\`\`\`

The config uses the \`${llamaFactoryTemplate(c.baseModel)}\` chat template; change \`template\` if your base model uses another.
The adapter is written to \`saves/${slug}\`.

## Bring the model back into Humpback Studio

Merge the adapter, then either

- serve it with any OpenAI-compatible server (vLLM, llama.cpp server, …) and register
  *endpoint + model name*;
- convert it to GGUF with llama.cpp (\`python convert_hf_to_gguf.py <merged-dir> --outfile model.gguf\`),
  host the file with CORS headers and register its URL; or
- build it for web-llm (\`mlc_llm convert_weight\`, \`mlc_llm gen_config\`, \`mlc_llm compile\`),
  host the weights folder and the .wasm library and register both URLs.

Then pick it as the backward model (for augmentation) or as the curator (for the next round).
`;
}

async function addBlob(zip: Zip, name: string, blob: Blob): Promise<void> {
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    file.push(value, false);
  }
  file.push(new Uint8Array(0), true);
}

function addText(zip: Zip, name: string, text: string): void {
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  file.push(strToU8(text), true);
}

/** Builds the bundle zip. */
export async function buildTrainingBundle(input: BundleInput): Promise<Blob> {
  const slug = bundleSlug(input.name);
  const datasetName = `humpback_${slug.replaceAll('-', '_')}`;
  const validationName = `${datasetName}_validation`;
  const parts: Uint8Array[] = [];
  let failure: Error | null = null;
  const finished = new Promise<void>((resolve, reject) => {
    const zip = new Zip((err, data, final) => {
      if (err) {
        failure = err;
        return reject(err);
      }
      parts.push(data);
      if (final) resolve();
    });
    void (async () => {
      addText(zip, BUNDLE_FILES.readme, readme(input));
      addText(zip, BUNDLE_FILES.axolotl, axolotlYaml(input.config, {
        trainPath: BUNDLE_FILES.train,
        validationPath: input.validation ? BUNDLE_FILES.validation : undefined,
        format: input.training.format,
        outputDir: `outputs/${slug}`,
      }));
      addText(zip, BUNDLE_FILES.llamaFactory, llamaFactoryYaml(input.config, {
        datasetName,
        validationDatasetName: input.validation ? validationName : undefined,
        datasetDir: 'data',
        outputDir: `saves/${slug}`,
      }));
      const entries = { [datasetName]: datasetInfoEntry('train.jsonl', input.training.format) };
      if (input.validation) entries[validationName] = datasetInfoEntry('validation.jsonl', input.validation.format);
      addText(zip, BUNDLE_FILES.datasetInfo, datasetInfo(entries));
      addText(zip, BUNDLE_FILES.config, JSON.stringify({ protocol: GENERIC_PROTOCOL, suffix: input.name, config: input.config }, null, 2) + '\n');
      await addBlob(zip, BUNDLE_FILES.train, input.training.blob);
      if (input.validation) await addBlob(zip, BUNDLE_FILES.validation, input.validation.blob);
      zip.end();
    })().catch((err: unknown) => reject(failure ?? err));
  });
  await finished;
  return new Blob(parts as BlobPart[], { type: 'application/zip' });
}
