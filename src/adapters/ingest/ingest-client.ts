/**
 * The page's handle on the ingest worker. Same methods as `IngestService`, run in the worker;
 * progress and per-file events arrive through a `Comlink.proxy` callback. Errors cross the
 * boundary as name + message, so callers switch on `err.name`.
 */
import * as Comlink from 'comlink';
import type { CorpusSettings } from '../../core/corpus/pipeline.ts';
import type { SampleSpec } from '../../core/corpus/sample.ts';
import type { IngestEvent, IngestInput, IngestService, IngestSummary } from './ingest-service.ts';
import type { CorpusPreview } from './preview.ts';

export class IngestClient {
  readonly #worker: Worker;
  readonly #remote: Comlink.Remote<IngestService>;

  constructor(worker: Worker = new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), { type: 'module' })) {
    this.#worker = worker;
    this.#remote = Comlink.wrap<IngestService>(worker);
  }

  ingest(projectId: string, inputs: IngestInput[], settings: Partial<CorpusSettings> = {}, onEvent?: (e: IngestEvent) => void): Promise<IngestSummary> {
    return this.#remote.ingest(projectId, inputs, settings, Comlink.proxy(onEvent ?? (() => undefined)));
  }

  cancel(): Promise<void> {
    return this.#remote.cancel();
  }

  preview(projectId: string, spec?: SampleSpec, page?: { offset: number; limit: number }, settings?: Partial<CorpusSettings>): Promise<CorpusPreview> {
    return this.#remote.preview(projectId, spec, page, settings);
  }

  terminate(): void {
    this.#remote[Comlink.releaseProxy]();
    this.#worker.terminate();
  }
}
