/** The web-llm engine in its own worker, so its 6 MB module and GPU work stay off the page's thread. */
import * as Comlink from 'comlink';
import { WebLlmWorkerEngine } from '../src/adapters/webllm/worker-engine.ts';

Comlink.expose(new WebLlmWorkerEngine());
