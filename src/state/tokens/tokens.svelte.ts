/**
 * The model's own tokenizer for one open project, and the sentence-embedding model of the
 * optional near-duplicate step: both live in one worker (transformers.js), started on first use.
 *
 * ```ts
 * const tokens = ps.part('tokens', (ps) => new TokenState(ps));
 * tokens.info            // TokenizerInfo | null — "Tokenizer in use: <name> (<class>, vocab N)"
 * tokens.tokenizer()     // the Tokenizer port when one is loaded, else null (budgets then stay off)
 * await tokens.loadUrl(url) / tokens.loadFiles(files)
 * tokens.suggestedUrl    // the folder beside the chosen web-llm model's weights, or null
 * ```
 *
 * Project setting this class owns: `tokenizer` = `{ kind: 'repo', url }` | `{ kind: 'files', name }`.
 * A folder is loaded again when the project opens (the files sit in the Cache API after the
 * first fetch); dropped files are not kept by the browser, so after a reload they are asked for again.
 */
import { startTokenWorker, type TokenWorker } from '../../adapters/tokenizer/client.ts';
import type { PickedFile } from '../../adapters/file-drop.ts';
import { describeError } from '../../core/errors.ts';
import { readEngineSettings } from '../../core/engines/choice.ts';
import { defaultTokenizerUrl } from '../../core/tokens/tokenizer-source.ts';
import type { Embedder } from '../../ports/embedder.ts';
import type { Tokenizer, TokenizerInfo, TokenizerSource } from '../../ports/tokenizer.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export type SavedTokenizer = { kind: 'repo'; url: string } | { kind: 'files'; name: string };
export type TokenizerStatus = 'none' | 'loading' | 'ready' | 'error';

export interface TokenStateOptions {
  /** Starts the worker (tests may pass their own); default: the app's tokenizer worker. */
  start?: () => TokenWorker;
  /** Load the saved tokenizer when the state is made (default true). */
  restore?: boolean;
}

/** The description the UI shows: "tiny-llama (LlamaTokenizer, vocab 427)". */
export function describeTokenizer(info: TokenizerInfo): string {
  return `${info.name} (${info.tokenizerClass}, vocab ${info.vocabSize.toLocaleString('en-US')})`;
}

export function readSavedTokenizer(raw: unknown): SavedTokenizer | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (o.kind === 'repo' && typeof o.url === 'string' && o.url !== '') return { kind: 'repo', url: o.url };
  if (o.kind === 'files' && typeof o.name === 'string') return { kind: 'files', name: o.name };
  return null;
}

export class TokenState {
  info = $state.raw<TokenizerInfo | null>(null);
  status = $state<TokenizerStatus>('none');
  error = $state.raw<{ name: string; message: string } | null>(null);
  /** Bytes read while a folder loads. */
  loadedBytes = $state(0);
  readonly ps: ProjectState;
  readonly #start: () => TokenWorker;
  #worker: TokenWorker | null = null;
  #controller: AbortController | null = null;
  #loading: Promise<unknown> = Promise.resolve();

  constructor(ps: ProjectState, options: TokenStateOptions = {}) {
    this.ps = ps;
    this.#start = options.start ?? (() => startTokenWorker());
    const saved = this.saved;
    if (options.restore !== false && saved?.kind === 'repo') void this.loadUrl(saved.url, { quiet: true });
  }

  get saved(): SavedTokenizer | null {
    return readSavedTokenizer(this.ps.setting<unknown>('tokenizer', null));
  }

  /** The tokenizer folder beside the chosen web-llm model's weights (backward model first), or null. */
  get suggestedUrl(): string | null {
    const engines = readEngineSettings(this.ps.setting<unknown>('engines', null));
    return defaultTokenizerUrl(engines.choices.backward, engines.webllm.customModels) ?? defaultTokenizerUrl(engines.choices.curator, engines.webllm.customModels);
  }

  /** The loaded tokenizer, or null: callers measure in tokens only when this is set. */
  tokenizer(): Tokenizer | null {
    return this.status === 'ready' && this.#worker ? this.#worker.tokenizer : null;
  }

  /** The worker's sentence-embedding model (loaded by the near-duplicate step). */
  embedder(): Embedder {
    return this.#ensure().embedder;
  }

  loadUrl(url: string, opts: { quiet?: boolean } = {}): Promise<TokenizerInfo | null> {
    const u = url.trim();
    return this.#load({ kind: 'repo', url: u }, { kind: 'repo', url: u }, opts.quiet ?? false);
  }

  /** The two dropped files: tokenizer.json and tokenizer_config.json (any order, other files ignored). */
  loadFiles(files: readonly PickedFile[]): Promise<TokenizerInfo | null> {
    const byName = (n: string) => files.find((f) => f.file.name === n)?.file;
    const json = byName('tokenizer.json');
    const config = byName('tokenizer_config.json');
    if (!json || !config) {
      const missing = [json ? null : 'tokenizer.json', config ? null : 'tokenizer_config.json'].filter(Boolean).join(' and ');
      this.error = { name: 'TokenizerFilesMissing', message: `Drop both tokenizer.json and tokenizer_config.json from the model's repository together; ${missing} was not among the files.` };
      this.status = this.info ? 'ready' : 'error';
      return Promise.resolve(null);
    }
    const folder = files.find((f) => f.file === json)?.path.split('/').slice(-2, -1)[0];
    const name = folder && folder !== '' ? folder : 'dropped files';
    return this.#load({ kind: 'files', tokenizer: json, config, name }, { kind: 'files', name }, false);
  }

  /** Resolves when no load is in progress (a run resumed right after the page opens waits for the saved tokenizer). */
  async whenLoaded(): Promise<void> {
    for (let p = this.#loading; ; p = this.#loading) {
      await p;
      if (p === this.#loading) return;
    }
  }

  /** Stops a folder that is still loading. */
  cancelLoad(): void {
    this.#controller?.abort();
  }

  /** Ends the worker (the project is closing). */
  dispose(): void {
    this.#controller?.abort();
    this.#worker?.terminate();
    this.#worker = null;
  }

  #ensure(): TokenWorker {
    this.#worker ??= this.#start();
    return this.#worker;
  }

  #load(source: TokenizerSource, save: SavedTokenizer, quiet: boolean): Promise<TokenizerInfo | null> {
    const p = this.#loadNow(source, save, quiet);
    this.#loading = p;
    return p;
  }

  async #loadNow(source: TokenizerSource, save: SavedTokenizer, quiet: boolean): Promise<TokenizerInfo | null> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const before = this.status;
    this.status = 'loading';
    this.error = null;
    this.loadedBytes = 0;
    try {
      const info = await this.#ensure().tokenizer.load(source, { signal: controller.signal, onProgress: (p) => (this.loadedBytes = p.loadedBytes) });
      if (this.#controller !== controller) return null;
      this.info = info;
      this.status = 'ready';
      if (JSON.stringify(this.saved) !== JSON.stringify(save)) await this.ps.saveSetting('tokenizer', save);
      return info;
    } catch (err) {
      if (this.#controller !== controller) return null;
      const e = describeError(err);
      if (e.name === 'AbortError') {
        this.status = this.info ? 'ready' : before === 'loading' ? 'none' : before;
        return null;
      }
      this.error = e;
      // The worker keeps the tokenizer it had: a failed switch leaves the earlier one in use.
      this.status = this.info ? 'ready' : 'error';
      if (!quiet) this.ps.notices.error(err, 'Loading the tokenizer');
      return null;
    } finally {
      if (this.#controller === controller) this.#controller = null;
    }
  }
}
