/** One of the ingest worker's parse workers: reads, segments and assesses whole files in parallel with the others. */
import * as Comlink from 'comlink';
import { ParseService } from '../src/adapters/ingest/parse-service.ts';

Comlink.expose(new ParseService());
