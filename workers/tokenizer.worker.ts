/** The model's tokenizer and the sentence-embedding model in their own worker (transformers.js), so counting a corpus never blocks the page. */
import * as Comlink from 'comlink';
import { EmbedderService } from '../src/adapters/tokenizer/embedder-service.ts';
import { Jobs } from '../src/adapters/tokenizer/jobs.ts';
import { TokenizerService } from '../src/adapters/tokenizer/tokenizer-service.ts';
import type { TokenWorkerApi } from '../src/adapters/tokenizer/client.ts';

const jobs = new Jobs();
const api: TokenWorkerApi = { tokenizer: Comlink.proxy(new TokenizerService(jobs)), embedder: Comlink.proxy(new EmbedderService(jobs)) };
Comlink.expose(api);
