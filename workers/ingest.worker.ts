/** Corpus ingest in its own worker: parsing, segmenting, filtering and dedup never block the page. */
import * as Comlink from 'comlink';
import { IngestService } from '../src/adapters/ingest/ingest-service.ts';

Comlink.expose(new IngestService());
