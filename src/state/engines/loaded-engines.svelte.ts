/**
 * The engines loaded (or loading) right now, by instance key (core/engines/choice.ts
 * `instanceKey`): one instance per key, however many roles and callers ask for it. Each key has a
 * reactive slot (loading / ready / error, progress, the error in words) that EngineState reads
 * per role.
 *
 * A caller's AbortSignal rejects that caller at once; the load itself is stopped only when every
 * caller waiting for it has aborted, so a paused run does not cancel a load the panel started.
 * A failed load stays in its slot (to show the error) until the next `get` tries again.
 */
import { AbortedError, describeError } from '../../core/errors.ts';
import type { EngineChoice } from '../../core/engines/choice.ts';
import type { Llm, LlmCapabilities, LoadProgress } from '../../ports/llm.ts';
import { buildEngine, disposeEngine, loadEngine, type EngineFactory, type EngineLoadProgress } from './engine-instances.ts';

export interface Slot {
  status: 'loading' | 'ready' | 'error';
  progress: EngineLoadProgress | null;
  error: { name: string; message: string } | null;
  /** What the loaded engine can do (verified at load for an endpoint); null until ready. */
  capabilities: LlmCapabilities | null;
}

interface Instance {
  llm: Llm | null;
  loading: Promise<Llm>;
  controller: AbortController;
  listeners: Set<(p: LoadProgress) => void>;
  waiters: number;
}

export interface WaitOptions {
  onProgress?(p: LoadProgress): void;
  signal?: AbortSignal;
}

export class LoadedEngines {
  #slots = $state<Record<string, Slot>>({});
  readonly #instances = new Map<string, Instance>();
  readonly #factory: EngineFactory;

  constructor(factory: EngineFactory) {
    this.#factory = factory;
  }

  slot(key: string): Slot | undefined {
    return this.#slots[key];
  }

  keys(): string[] {
    return [...this.#instances.keys()];
  }

  /** The loaded engine for `key`, loading it from `choice` unless it is loaded or loading. */
  async get(key: string, choice: EngineChoice, opts: WaitOptions = {}): Promise<Llm> {
    let inst = this.#instances.get(key);
    if (!inst || this.#slots[key]?.status === 'error') {
      if (inst) await this.release(key);
      inst = this.#start(key, choice);
    }
    return this.#wait(key, inst, opts);
  }

  /** Stops a load in progress or unloads the engine, and forgets the slot. */
  async release(key: string): Promise<void> {
    const inst = this.#instances.get(key);
    this.#instances.delete(key);
    delete this.#slots[key];
    if (!inst) return;
    inst.controller.abort();
    const llm = await inst.loading.catch(() => inst.llm);
    if (llm) await disposeEngine(llm);
  }

  #start(key: string, choice: EngineChoice): Instance {
    const controller = new AbortController();
    const listeners = new Set<(p: LoadProgress) => void>();
    this.#slots[key] = { status: 'loading', progress: { fraction: 0, text: 'Starting…' }, error: null, capabilities: null };
    const inst = { llm: null, controller, listeners, waiters: 0 } as Omit<Instance, 'loading'> as Instance; // `loading` is set just below
    const current = () => this.#instances.get(key) === inst;
    inst.loading = (async () => {
      const llm = await buildEngine(choice, this.#factory);
      inst.llm = llm;
      await loadEngine(llm, choice, this.#factory, {
        signal: controller.signal,
        onProgress: (p) => {
          const slot = this.#slots[key];
          if (current() && slot) slot.progress = p;
          for (const l of listeners) l(p);
        },
      });
      if (controller.signal.aborted) throw new AbortedError('Model loading was cancelled.');
      const slot = this.#slots[key];
      if (current() && slot) slot.capabilities = await llm.capabilities();
      return llm;
    })();
    this.#instances.set(key, inst);
    inst.loading.then(
      () => {
        const slot = this.#slots[key];
        if (current() && slot) slot.status = 'ready';
      },
      (err: unknown) => {
        if (!current()) return;
        this.#slots[key] = { status: 'error', progress: null, error: describeError(err), capabilities: null };
        if (inst.llm) void disposeEngine(inst.llm);
      },
    );
    return inst;
  }

  async #wait(key: string, inst: Instance, { onProgress, signal }: WaitOptions): Promise<Llm> {
    if (onProgress) inst.listeners.add(onProgress);
    inst.waiters++;
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new AbortedError('Model loading was cancelled.'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([inst.loading, aborted]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (onProgress) inst.listeners.delete(onProgress);
      inst.waiters--;
      if (signal?.aborted && inst.waiters === 0 && this.#slots[key]?.status === 'loading') void this.release(key);
    }
  }
}
