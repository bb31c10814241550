/**
 * What the user picked to run each of the method's two models, as plain data saved with the
 * project: the backward model that writes instructions and the curator that rates them. A choice
 * names an engine, a model and that engine's settings; it never holds an API key (keys live in a
 * secret store of their own, so no project export can carry one).
 *
 * Pure: reading settings defensively (they come back from storage, possibly from an older app),
 * the key that decides when two roles can share one loaded model, and the one-line description
 * the stages show ("wllama · tiny-llama.gguf (CPU)").
 */
import { SERVER_KINDS, SERVER_TITLES, type ServerKind } from '../endpoint-servers.ts';
import { HumpbackError } from '../errors.ts';
import type { EngineModel, RegisteredModel } from '../training/registered-model.ts';
import type { EngineName } from './recommend.ts';

/** 'rewriter' (issue 19, optional): the aligned model that rewrites kept responses as assistant replies. */
export type EngineRole = 'backward' | 'curator' | 'rewriter';
export const ENGINE_ROLES: readonly EngineRole[] = ['backward', 'curator', 'rewriter'];

export const ROLE_TITLES: Record<EngineRole, string> = {
  backward: 'Model that writes instructions',
  curator: 'Model that rates',
  rewriter: 'Model that rewrites responses',
};

export const ENGINE_TITLES: Record<EngineName, string> = {
  webllm: 'web-llm on the GPU',
  wllama: 'llama.cpp on the CPU',
  openai: 'OpenAI-compatible endpoint',
};

export const DEFAULT_ENDPOINT_CONCURRENCY = 8;
export const DEFAULT_ENDPOINT_TIMEOUT_MS = 120_000;

export type EngineChoice =
  | {
      engine: 'openai';
      model: string;
      label: string;
      /** e.g. http://127.0.0.1:8080/v1 */
      baseUrl: string;
      concurrency: number;
      timeoutMs: number;
      /** The server type: 'auto' detects it at load (vLLM, llama.cpp server, Ollama, OpenAI, generic). */
      server: ServerKind | 'auto';
    }
  | {
      engine: 'webllm';
      /** A web-llm model id (prebuilt, or one of the project's custom models). */
      model: string;
      label: string;
    }
  | {
      engine: 'wllama';
      model: string;
      label: string;
      /** Where the .gguf file is fetched from; null for a dropped file. */
      ggufUrl: string | null;
      /** The name of the dropped .gguf file; the file itself is kept in memory only. */
      fileName: string | null;
    };

/** A model the user brought for web-llm (same shape as the web-llm worker's CustomModel). */
export interface WebLlmCustomModel {
  modelId: string;
  modelUrl: string;
  modelLibUrl: string;
  vramMB?: number;
  contextWindow?: number;
}

export type WebLlmCacheBackend = 'cache' | 'indexeddb' | 'opfs';

/** Everything saved under the project's `engines` setting. */
export interface EngineSettings {
  choices: Record<EngineRole, EngineChoice | null>;
  webllm: { cacheBackend: WebLlmCacheBackend; customModels: WebLlmCustomModel[] };
}

export function emptyEngineSettings(): EngineSettings {
  return { choices: { backward: null, curator: null, rewriter: null }, webllm: { cacheBackend: 'cache', customModels: [] } };
}

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown, fallback: number, min = 1): number => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback);

export function readChoice(v: unknown): EngineChoice | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!str(o.model) || o.model === '') return null;
  const label = str(o.label) ? o.label : o.model;
  if (o.engine === 'openai' && str(o.baseUrl)) {
    return {
      engine: 'openai',
      model: o.model,
      label,
      baseUrl: o.baseUrl,
      concurrency: Math.floor(num(o.concurrency, DEFAULT_ENDPOINT_CONCURRENCY)),
      timeoutMs: num(o.timeoutMs, DEFAULT_ENDPOINT_TIMEOUT_MS, 1000),
      // Choices saved before server detection existed have none: detect.
      server: SERVER_KINDS.includes(o.server as ServerKind) ? (o.server as ServerKind) : 'auto',
    };
  }
  if (o.engine === 'webllm') return { engine: 'webllm', model: o.model, label };
  if (o.engine === 'wllama') {
    const ggufUrl = str(o.ggufUrl) ? o.ggufUrl : null;
    const fileName = str(o.fileName) ? o.fileName : null;
    if (ggufUrl === null && fileName === null) return null;
    return { engine: 'wllama', model: o.model, label, ggufUrl, fileName };
  }
  return null;
}

function readCustomModel(v: unknown): WebLlmCustomModel | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!str(o.modelId) || !str(o.modelUrl) || !str(o.modelLibUrl)) return null;
  const m: WebLlmCustomModel = { modelId: o.modelId, modelUrl: o.modelUrl, modelLibUrl: o.modelLibUrl };
  if (typeof o.vramMB === 'number') m.vramMB = o.vramMB;
  if (typeof o.contextWindow === 'number') m.contextWindow = o.contextWindow;
  return m;
}

/** The `engines` project setting, whatever was stored (missing or malformed parts fall back). */
export function readEngineSettings(raw: unknown): EngineSettings {
  const out = emptyEngineSettings();
  if (typeof raw !== 'object' || raw === null) return out;
  const o = raw as { choices?: Record<string, unknown>; webllm?: Record<string, unknown> };
  out.choices.backward = readChoice(o.choices?.backward);
  out.choices.curator = readChoice(o.choices?.curator);
  out.choices.rewriter = readChoice(o.choices?.rewriter);
  const backend = o.webllm?.cacheBackend;
  if (backend === 'cache' || backend === 'indexeddb' || backend === 'opfs') out.webllm.cacheBackend = backend;
  const custom = o.webllm?.customModels;
  if (Array.isArray(custom)) out.webllm.customModels = custom.map(readCustomModel).filter((m): m is WebLlmCustomModel => m !== null);
  return out;
}

/**
 * Two roles whose choices have the same key share one loaded model. The label is left out (a
 * name, not a setting); the endpoint's concurrency and timeout are in (they shape its client).
 */
export function instanceKey(c: EngineChoice): string {
  if (c.engine === 'openai') return `openai|${c.baseUrl}|${c.model}|${c.concurrency}|${c.timeoutMs}|${c.server}`;
  if (c.engine === 'webllm') return `webllm|${c.model}`;
  return c.ggufUrl !== null ? `wllama|url|${c.ggufUrl}` : `wllama|file|${c.fileName ?? ''}`;
}

/** One line for the stages: "wllama · tiny-llama.gguf (CPU)". */
export function describeChoice(c: EngineChoice | null, where: { wllamaOnGpu: boolean } = { wllamaOnGpu: false }): string {
  if (!c) return 'No model chosen';
  if (c.engine === 'openai') return `endpoint · ${c.model} at ${c.baseUrl}${c.server === 'auto' ? '' : ` (${SERVER_TITLES[c.server]})`}`;
  if (c.engine === 'webllm') return `web-llm · ${c.model} (WebGPU)`;
  return `wllama · ${c.fileName ?? c.model} (${where.wllamaOnGpu ? 'WebGPU' : 'CPU'})`;
}

/** The file name at the end of a GGUF URL ("…/tiny-llama.gguf?download=1" → "tiny-llama.gguf"). */
export function ggufName(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  const last = path.split('/').filter((p) => p !== '').at(-1);
  return last ? decodeURIComponent(last) : url;
}

/** The choice that loads a model registered from a training job (or typed in by hand). */
export function choiceFromEngineModel(m: EngineModel, label: string): EngineChoice {
  if (m.engine === 'openai') {
    return {
      engine: 'openai',
      model: m.model,
      label,
      baseUrl: m.baseUrl,
      concurrency: DEFAULT_ENDPOINT_CONCURRENCY,
      timeoutMs: DEFAULT_ENDPOINT_TIMEOUT_MS,
      server: 'auto',
    };
  }
  if (m.engine === 'webllm') return { engine: 'webllm', model: m.model, label };
  return { engine: 'wllama', model: ggufName(m.ggufUrl), label, ggufUrl: m.ggufUrl, fileName: null };
}

/** The custom web-llm record a registered web-llm model needs in the project's model list. */
export function customModelOf(m: EngineModel): WebLlmCustomModel | null {
  return m.engine === 'webllm' ? { modelId: m.model, modelUrl: m.modelUrl, modelLibUrl: m.modelLibUrl } : null;
}

/** Registered models for a role: those trained for it first (backward ↔ backward, forward ↔ curator). */
export function registeredForRole(models: readonly RegisteredModel[], role: EngineRole): RegisteredModel[] {
  const wanted = role === 'backward' ? 'backward' : 'forward';
  return [...models].sort((a, b) => Number(b.purpose === wanted) - Number(a.purpose === wanted) || b.registeredAt - a.registeredAt);
}

/** Adds or replaces a custom model by id. */
export function withCustomModel(list: readonly WebLlmCustomModel[], m: WebLlmCustomModel): WebLlmCustomModel[] {
  return [...list.filter((x) => x.modelId !== m.modelId), m];
}

export class EngineNotChosenError extends HumpbackError {
  constructor(role: EngineRole) {
    super('EngineNotChosenError', `No model is chosen for "${ROLE_TITLES[role]}". Pick an engine and a model in its engine panel, then start again.`);
  }
}

/** A dropped .gguf file lives in memory only; after a reload it must be dropped again. */
export class DroppedFileGoneError extends HumpbackError {
  constructor(fileName: string) {
    super('DroppedFileGoneError', `The model file "${fileName}" was dropped before the page was reloaded, and the browser does not keep dropped files. Drop the .gguf file again (or give its URL).`);
  }
}

const httpUrl = (u: string): boolean => {
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
};

/** A custom web-llm model the user typed in: a problem in plain words, or null when usable. */
export function checkCustomModel(m: WebLlmCustomModel): string | null {
  if (m.modelId.trim() === '') return 'Give the model an id (e.g. my-backward-llama-q4f32_1-MLC).';
  if (!httpUrl(m.modelUrl)) return `The model URL must be an http(s) address of the folder that holds mlc-chat-config.json; got "${m.modelUrl}".`;
  if (!httpUrl(m.modelLibUrl) || !/\.wasm$/i.test(new URL(m.modelLibUrl).pathname)) {
    return `The model library URL must be an http(s) address of a .wasm file; got "${m.modelLibUrl}".`;
  }
  return null;
}

/** A GGUF URL the user typed in: a problem in plain words, or null when usable. Relative URLs are allowed (same site). */
export function checkGgufUrl(url: string): string | null {
  const u = url.trim();
  if (u === '') return 'Enter the address of a .gguf file, or drop the file.';
  if (!/\.gguf$/i.test(u.split(/[?#]/)[0] ?? '')) return `The address must point at a .gguf file; got "${u}".`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) && !httpUrl(u)) return `The address must start with http:// or https://; got "${u}".`;
  return null;
}
