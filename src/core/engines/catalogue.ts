/**
 * The web-llm model picker as pure data: prebuilt model records grouped by base model, LLaMA
 * family first, each with its parameter count, context window, GPU memory need, the variant this
 * GPU should use (and why) and whether it will fit. Runs in node on plain records, so the worker
 * passes `prebuiltAppConfig.model_list` in and the UI gets plain rows back.
 */
import { chooseVariant, GIB, hasShaderF16, type GpuFacts } from './gpu.ts';

/** The fields of web-llm's ModelRecord the picker reads. */
export interface ModelRecordFacts {
  model_id: string;
  model?: string;
  model_lib?: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  buffer_size_required_bytes?: number;
  required_features?: string[];
  overrides?: { context_window_size?: number };
  /** web-llm's ModelType: 0 LLM, 1 embedding, 2 vision-language. */
  model_type?: number;
}

export interface ModelVariant {
  modelId: string;
  quantization: string;
  vramMB: number | null;
  contextWindow: number | null;
  fit: FitCheck;
}

export interface CatalogueEntry {
  /** The model id without the quantization and context suffixes, e.g. "Llama-3.2-1B-Instruct". */
  base: string;
  family: string;
  /** Parameters in billions, read from the id ("1B", "360M"); null when the id does not say. */
  paramsB: number | null;
  variants: ModelVariant[];
  /** The variant to load on this GPU, or null when none can run here. */
  chosen: ModelVariant | null;
  reason: string;
}

export interface FitCheck {
  runs: boolean;
  /** Plain-words problems, worst first; empty when the model should run comfortably. */
  warnings: string[];
}

const QUANT = /-(q\d+f\d+(?:_\d+)?)-MLC(?:-(\d+k))?(?:-b\d+)?$/;
const LLAMA = /llama/i;

export function parseModelId(id: string): { base: string; quantization: string; paramsB: number | null; family: string } {
  const m = QUANT.exec(id);
  const base = m ? id.slice(0, m.index) + (m[2] ? ` (${m[2]} context)` : '') : id;
  const size = /(?:^|[-_])(\d+(?:[._]\d+)?)([BM])(?:[-_]|$)/i.exec(id.replace(/-MLC.*$/, ''));
  const paramsB = size?.[1] && size[2]
    ? Number(size[1].replace('_', '.')) / (size[2].toUpperCase() === 'M' ? 1000 : 1)
    : null;
  const family = LLAMA.test(id) ? 'Llama' : (/^[A-Za-z]+/.exec(id)?.[0] ?? id);
  return { base, quantization: m?.[1] ?? 'unknown', paramsB, family };
}

/** Whether a model record can run on this GPU, and what to warn about. */
export function checkFit(record: ModelRecordFacts, gpu: GpuFacts, deviceMemoryGB: number | null = null): FitCheck {
  const warnings: string[] = [];
  let runs = true;
  const { quantization } = parseModelId(record.model_id);
  const needsF16 = /f16/.test(quantization) || (record.required_features ?? []).includes('shader-f16');
  if (needsF16 && !hasShaderF16(gpu)) {
    runs = false;
    warnings.push('Needs 16-bit float shaders (shader-f16), which this GPU does not offer; pick the q4f32 variant.');
  }
  if (record.buffer_size_required_bytes && record.buffer_size_required_bytes > gpu.maxStorageBufferBindingSize) {
    runs = false;
    warnings.push(
      `Needs GPU buffers of ${mb(record.buffer_size_required_bytes)}, larger than this GPU allows (${mb(gpu.maxStorageBufferBindingSize)}).`,
    );
  }
  if (gpu.maxStorageBufferBindingSize < GIB && record.low_resource_required === false) {
    warnings.push(
      `This GPU allows buffers of only ${mb(gpu.maxStorageBufferBindingSize)}; the model is not built for such devices and may fail to load. Prefer a "1k context" or smaller model.`,
    );
  }
  const vram = record.vram_required_MB;
  if (vram && deviceMemoryGB && vram > deviceMemoryGB * 1024 * 0.5) {
    warnings.push(
      `Needs about ${(vram / 1024).toFixed(1)} GB of GPU memory; this device reports ${deviceMemoryGB} GB of memory in all, so it may run out. Prefer a smaller model.`,
    );
  }
  if (gpu.isFallbackAdapter) {
    warnings.push('This is a software GPU (no hardware acceleration): generation will be very slow.');
  }
  return { runs, warnings };
}

/** Chat models grouped by base, LLaMA family first, then smaller first. */
export function buildCatalogue(records: ModelRecordFacts[], gpu: GpuFacts, deviceMemoryGB: number | null = null): CatalogueEntry[] {
  const preferred = chooseVariant(gpu);
  const groups = new Map<string, CatalogueEntry>();
  for (const r of records) {
    if (r.model_type === 1 || r.model_type === 2) continue; // embedding and vision models cannot rate text
    const { base, quantization, paramsB, family } = parseModelId(r.model_id);
    const variant: ModelVariant = {
      modelId: r.model_id,
      quantization,
      vramMB: r.vram_required_MB ?? null,
      contextWindow: r.overrides?.context_window_size ?? null,
      fit: checkFit(r, gpu, deviceMemoryGB),
    };
    const entry = groups.get(base) ?? { base, family, paramsB, variants: [], chosen: null, reason: '' };
    entry.variants.push(variant);
    groups.set(base, entry);
  }
  for (const entry of groups.values()) {
    const runnable = entry.variants.filter((v) => v.fit.runs);
    const q4 = runnable.find((v) => v.quantization === preferred.quantization);
    entry.chosen = q4 ?? runnable.find((v) => v.quantization.startsWith('q4')) ?? runnable[0] ?? null;
    entry.reason = !entry.chosen
      ? entry.variants[0]?.fit.warnings[0] ?? 'No variant of this model runs on this GPU.'
      : entry.chosen === q4
        ? preferred.reason
        : `Only the ${entry.chosen.quantization} build of this model runs here.`;
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.family === 'Llama') - Number(a.family === 'Llama') ||
      Number(!!b.chosen) - Number(!!a.chosen) ||
      (a.paramsB ?? Infinity) - (b.paramsB ?? Infinity) ||
      a.base.localeCompare(b.base),
  );
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}
