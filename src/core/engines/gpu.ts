/**
 * What the WebGPU adapter offers, as plain data (read once in the browser, passed to the pure
 * choices below), and the q4f16 / q4f32 choice. web-llm checks `required_features` only where a
 * model record lists them, and many q4f16 records do not; on an adapter without `shader-f16` those
 * fail to compile their shaders, so the choice is made here, from the adapter, and explained.
 */
export interface GpuFacts {
  features: string[];
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  /** A software adapter (SwiftShader and the like): it works, slowly. */
  isFallbackAdapter: boolean;
  /** e.g. "nvidia", "apple", "google" (SwiftShader). */
  vendor: string;
  description: string;
}

export type Quantization = 'q4f16_1' | 'q4f32_1';

export interface VariantChoice {
  quantization: Quantization;
  reason: string;
}

export const GIB = 1024 ** 3;

export function hasShaderF16(gpu: GpuFacts): boolean {
  return gpu.features.includes('shader-f16');
}

/** The weight format to download for this GPU, and why, in words for the model picker. */
export function chooseVariant(gpu: GpuFacts): VariantChoice {
  if (hasShaderF16(gpu)) {
    return {
      quantization: 'q4f16_1',
      reason:
        'Your GPU supports 16-bit floats in shaders (shader-f16), so the q4f16 build is used: a smaller download, less GPU memory and faster generation.',
    };
  }
  return {
    quantization: 'q4f32_1',
    reason:
      'Your GPU does not offer 16-bit floats in shaders (no shader-f16), so the q4f32 build is used: q4f16 models cannot run here; q4f32 needs more GPU memory and a larger download.',
  };
}
