/**
 * Where the model's tokenizer is by default: web-llm's MLC weights carry `tokenizer.json` and
 * `tokenizer_config.json` beside them, so the folder of the chosen model's weights is the place to
 * look (a custom model's URL, or mlc-ai's repository for a prebuilt one). A GGUF file or an
 * endpoint has no such folder the app can know: the user gives one, or drops the two files.
 */
import type { EngineChoice, WebLlmCustomModel } from '../engines/choice.ts';

/** A Hugging Face repository page ("https://huggingface.co/org/name") as the folder its files are served from. */
export function filesFolder(url: string): string {
  const u = url.trim().replace(/\/+$/, '');
  const hf = /^https:\/\/huggingface\.co\/([^/]+\/[^/]+)$/.exec(u);
  return hf ? `https://huggingface.co/${hf[1]}/resolve/main/` : `${u}/`;
}

/** The tokenizer folder beside the chosen model's weights, or null when the choice has none. */
export function defaultTokenizerUrl(choice: EngineChoice | null, customModels: readonly WebLlmCustomModel[]): string | null {
  if (choice?.engine !== 'webllm') return null;
  const custom = customModels.find((m) => m.modelId === choice.model);
  return filesFolder(custom ? custom.modelUrl : `https://huggingface.co/mlc-ai/${choice.model}`);
}
