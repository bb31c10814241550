/**
 * Getting a model's tokenizer files: `tokenizer.json` and `tokenizer_config.json` from the
 * folder the user chose (web-llm's MLC weights carry both), or from two dropped files. Fetched
 * files are kept in the Cache API, so the next visit works offline.
 *
 * Why not `AutoTokenizer.from_pretrained(url)`: it takes Hugging Face ids or paths under one
 * configured host, cannot be cancelled, and reports a missing file as a bare TypeError. Fetching
 * the two files here gives the user's cancel button and a message that says what is missing; the
 * tokenizer class is then chosen exactly as AutoTokenizer chooses it (see tokenizer-service.ts).
 */
import { AbortedError } from '../../core/errors.ts';
import { TokenizerUnavailableError } from '../../core/tokens/errors.ts';
import type { LoadTokenizerOptions, TokenizerSource } from '../../ports/tokenizer.ts';
import { fetchFailure, hostOnlyFetch } from './offline.ts';

export const TOKENIZER_CACHE = 'humpback-tokenizers';
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

export interface TokenizerFiles {
  key: string;
  name: string;
  tokenizer: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** The folder URL with a trailing slash, so file names resolve inside it. */
export function folderUrl(url: string): string {
  const u = new URL(url, self.location.href);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.href;
}

export async function readTokenizerFiles(source: TokenizerSource, options: LoadTokenizerOptions = {}, timeoutMs?: number): Promise<TokenizerFiles> {
  if (source.kind === 'files') {
    const parse = async (blob: Blob, file: string) => parseJson(await blob.text(), source.name, file);
    return { key: `files:${source.name}`, name: source.name, tokenizer: await parse(source.tokenizer, 'tokenizer.json'), config: await parse(source.config, 'tokenizer_config.json') };
  }
  const folder = folderUrl(source.url);
  const origin = new URL(folder).origin;
  const get = hostOnlyFetch(origin, options.signal, timeoutMs);
  const cache = await openCache();
  const texts: string[] = [];
  for (const file of TOKENIZER_FILES) {
    const url = new URL(file, folder).href;
    texts.push(await fetchText(url, file, folder, get, cache, options));
  }
  const name = new URL(folder).pathname.split('/').filter((p) => p && p !== 'resolve' && p !== 'main').slice(-1)[0] ?? folder;
  return { key: folder, name, tokenizer: parseJson(texts[0] ?? '', folder, 'tokenizer.json'), config: parseJson(texts[1] ?? '', folder, 'tokenizer_config.json') };
}

async function fetchText(url: string, file: string, folder: string, get: typeof fetch, cache: Cache | null, options: LoadTokenizerOptions): Promise<string> {
  const cached = await cache?.match(url);
  if (cached) {
    const text = await cached.text();
    options.onProgress?.({ file, loadedBytes: text.length });
    return text;
  }
  let res: Response;
  try {
    res = await get(url);
  } catch (err) {
    if (options.signal?.aborted) throw new AbortedError('Loading the tokenizer was cancelled.');
    throw new TokenizerUnavailableError(folder, `${file}: ${fetchFailure(err)}`, { cause: err });
  }
  if (!res.ok) throw new TokenizerUnavailableError(folder, `${file}: HTTP ${res.status}${res.status === 404 ? ', not in that folder' : ''}`);
  const reader = res.body?.getReader();
  if (!reader) throw new TokenizerUnavailableError(folder, `${file}: empty response`);
  const parts: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      loaded += value.byteLength;
      options.onProgress?.({ file, loadedBytes: loaded });
    }
  } catch (err) {
    if (options.signal?.aborted) throw new AbortedError('Loading the tokenizer was cancelled.');
    throw new TokenizerUnavailableError(folder, `${file}: ${fetchFailure(err)}`, { cause: err });
  }
  const text = new TextDecoder().decode(await new Blob(parts as BlobPart[]).arrayBuffer());
  await cache?.put(url, new Response(text, { headers: { 'content-type': 'application/json' } })).catch(() => undefined);
  return text;
}

function parseJson(text: string, source: string, file: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the named error
  }
  throw new TokenizerUnavailableError(source, `${file} is not a JSON object — is it the right file?`);
}

async function openCache(): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null;
  // Some private modes expose `caches` but refuse to open it; the files are then fetched each time.
  return caches.open(TOKENIZER_CACHE).catch(() => null);
}
