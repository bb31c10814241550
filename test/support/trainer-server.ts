/**
 * A real HTTP trainer on 127.0.0.1 for the tests, speaking both protocols the app knows:
 * the OpenAI fine-tuning subset under /v1 (files, jobs, events, cancel) and our generic protocol
 * under /api (src/adapters/trainer/PROTOCOL.md). Jobs move one stage forward each time their
 * status is read, so a test watches a whole run in a few polls. It can misbehave on purpose —
 * 401, 429 with Retry-After, 500, slow answers, dropped connections, jobs that fail mid-way —
 * and it echoes the presented API key in its 401 body, the worst case for redaction.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServerMode =
  | { kind: 'normal' }
  | { kind: 'unauthorized'; status?: 401 | 403 }
  | { kind: 'rate-limit'; retryAfter: string; times: number; method?: 'GET' | 'POST' }
  | { kind: 'server-error'; times: number; status?: number; method?: 'GET' | 'POST' }
  | { kind: 'slow'; delayMs: number; times: number }
  | { kind: 'drop'; times: number; method?: 'GET' | 'POST' }
  /** Running jobs fail at their next step (training "diverges"). */
  | { kind: 'jobs-fail' };

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  json: unknown;
  fields: Record<string, string>;
  files: Record<string, { name: string; text: string }>;
  /** What the server did: status code, or 'dropped'. */
  outcome: number | 'dropped';
}

export interface TrainerServerOptions {
  /** Required bearer token; null accepts anything. */
  apiKey?: string | null;
  totalSteps?: number;
}

interface FakeJob {
  id: string;
  protocol: 'openai' | 'generic';
  model: string;
  suffix: string;
  status: string;
  step: number;
  files: string[];
  config: unknown;
  events: { id: string; created_at: number; level: string; message: string; type: string; data: Record<string, unknown> | null }[];
  error: string | null;
  resultModel: string | null;
}

export interface TrainerServer {
  url: string;
  openaiBase: string;
  genericBase: string;
  requests: RecordedRequest[];
  setMode(mode: ServerMode): void;
  /** Server-side view of a job (for assertions). */
  job(id: string): FakeJob | undefined;
  close(): Promise<void>;
}

const OPENAI_STAGES = ['validating_files', 'queued', 'running'] as const;
const GENERIC_STAGES = ['queued', 'preparing', 'running'] as const;

export async function startTrainerServer(options: TrainerServerOptions = {}): Promise<TrainerServer> {
  const apiKey = options.apiKey ?? null;
  const totalSteps = options.totalSteps ?? 3;
  let mode: ServerMode = { kind: 'normal' };
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, FakeJob>();
  const uploads = new Map<string, { name: string; text: string; purpose: string }>();
  let counter = 0;
  let clock = 1_700_000_000;
  let url = '';

  const addEvent = (job: FakeJob, level: string, message: string, type = 'message', data: Record<string, unknown> | null = null) => {
    clock += 1;
    job.events.push({ id: `${job.protocol === 'openai' ? 'ftevent-' : ''}${job.events.length + 1}`, created_at: clock, level, message, type, data });
  };

  /** One poll's worth of progress. */
  const advance = (job: FakeJob) => {
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return;
    const stages: readonly string[] = job.protocol === 'openai' ? OPENAI_STAGES : GENERIC_STAGES;
    const at = stages.indexOf(job.status);
    if (at < stages.length - 1) {
      job.status = stages[at + 1] ?? 'running';
      addEvent(job, 'info', job.status === 'running' ? 'Fine-tuning job started' : `Job is ${job.status}`);
      return;
    }
    if (mode.kind === 'jobs-fail') {
      job.status = 'failed';
      job.error = `Training diverged at step ${job.step + 1} (loss is NaN). Lower the learning rate and try again.`;
      addEvent(job, 'error', job.error);
      return;
    }
    job.step += 1;
    const loss = 2 - 0.25 * job.step;
    addEvent(job, 'info', `Step ${job.step}/${totalSteps}: training loss=${loss}`, 'metrics', { step: job.step, train_loss: loss, total_steps: totalSteps });
    if (job.step >= totalSteps) {
      job.status = 'succeeded';
      job.resultModel = job.protocol === 'openai' ? `ft:${job.model}:humpback:${job.suffix}:${job.id}` : `${job.suffix}-${job.id}`;
      addEvent(job, 'info', `New fine-tuned model created: ${job.resultModel}`);
      addEvent(job, 'info', 'The job has successfully completed');
    }
  };

  const openAiView = (j: FakeJob) => ({
    object: 'fine_tuning.job',
    id: j.id,
    model: j.model,
    status: j.status,
    fine_tuned_model: j.resultModel,
    training_file: j.files[0] ?? null,
    validation_file: j.files[1] ?? null,
    result_files: j.status === 'succeeded' ? [`file-result-${j.id}`] : [],
    error: j.error ? { code: 'training_error', message: j.error, param: null } : null,
  });

  const genericView = (j: FakeJob) => ({
    id: j.id,
    status: j.status,
    progress: j.status === 'running' || j.step > 0 ? { step: j.step, total_steps: totalSteps } : null,
    model: j.resultModel,
    endpoint: j.resultModel ? `${url}/v1` : null,
    error: j.error,
    files: j.files,
  });

  /** Counts down a limited mode; true when it applies to this request. */
  const consume = (method: string): boolean => {
    if (!('times' in mode)) return false;
    if ('method' in mode && mode.method && mode.method !== method) return false;
    if (mode.times <= 0) return false;
    mode.times -= 1;
    return true;
  };

  const route = async (req: IncomingMessage, rec: RecordedRequest): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> => {
    const path = rec.path.split('?')[0] ?? '';
    const notFound = (what: string) => ({ status: 404, body: { error: { code: 'not_found', message: `No ${what} here.` } } });

    // --- OpenAI subset ---
    if (req.method === 'POST' && path === '/v1/files') {
      const file = rec.files.file;
      if (!file || rec.fields.purpose !== 'fine-tune') return { status: 400, body: { error: { message: 'Send a file with purpose fine-tune.' } } };
      const id = `file-${++counter}`;
      uploads.set(id, { ...file, purpose: 'fine-tune' });
      return { status: 200, body: { id, object: 'file', bytes: Buffer.byteLength(file.text), filename: file.name, purpose: 'fine-tune', status: 'processed' } };
    }
    let m = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (req.method === 'GET' && m) {
      const f = uploads.get(decodeURIComponent(m[1] ?? ''));
      return f ? { status: 200, body: f.text } : notFound('file');
    }
    if (req.method === 'POST' && path === '/v1/fine_tuning/jobs') {
      const b = rec.json as { model?: string; training_file?: string; validation_file?: string; suffix?: string };
      if (!b.model || !b.training_file || !uploads.has(b.training_file)) return { status: 400, body: { error: { message: 'model and an uploaded training_file are required.' } } };
      const job: FakeJob = {
        id: `ftjob-${++counter}`, protocol: 'openai', model: b.model, suffix: b.suffix ?? '', status: 'validating_files', step: 0,
        files: [b.training_file, ...(b.validation_file ? [b.validation_file] : [])], config: b, events: [], error: null, resultModel: null,
      };
      addEvent(job, 'info', `Created fine-tuning job: ${job.id}`);
      jobs.set(job.id, job);
      return { status: 200, body: openAiView(job) };
    }
    m = /^\/v1\/fine_tuning\/jobs\/([^/]+)(\/events|\/cancel)?$/.exec(path);
    if (m) {
      const job = jobs.get(decodeURIComponent(m[1] ?? ''));
      if (!job || job.protocol !== 'openai') return notFound('fine-tuning job');
      if (req.method === 'GET' && !m[2]) {
        advance(job);
        return { status: 200, body: openAiView(job) };
      }
      if (req.method === 'GET' && m[2] === '/events') return { status: 200, body: { object: 'list', data: [...job.events].reverse(), has_more: false } };
      if (req.method === 'POST' && m[2] === '/cancel') {
        if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
          job.status = 'cancelled';
          addEvent(job, 'info', 'Job cancelled');
        }
        return { status: 200, body: openAiView(job) };
      }
    }

    // --- generic protocol ---
    if (req.method === 'POST' && path === '/api/jobs') {
      const train = rec.files.train;
      let request: { protocol?: string; suffix?: string; config?: { baseModel?: string } };
      try {
        request = JSON.parse(rec.fields.config ?? '') as typeof request;
      } catch {
        return { status: 422, body: { error: { code: 'bad_config', message: 'The config part is not JSON.' } } };
      }
      if (request.protocol !== 'humpback-trainer/1' || !train) return { status: 422, body: { error: { code: 'bad_request', message: 'Send protocol humpback-trainer/1, a config and a train file.' } } };
      const job: FakeJob = {
        id: `job-${++counter}`, protocol: 'generic', model: request.config?.baseModel ?? '', suffix: request.suffix ?? '', status: 'queued', step: 0,
        files: Object.keys(rec.files).map((k) => rec.files[k]?.name ?? k), config: request, events: [], error: null, resultModel: null,
      };
      addEvent(job, 'info', 'Job accepted');
      jobs.set(job.id, job);
      return { status: 201, body: genericView(job) };
    }
    m = /^\/api\/jobs\/([^/]+)(\/logs|\/cancel|\/artifacts)?$/.exec(path);
    if (m) {
      const job = jobs.get(decodeURIComponent(m[1] ?? ''));
      if (!job || job.protocol !== 'generic') return notFound('job');
      if (req.method === 'GET' && !m[2]) {
        advance(job);
        return { status: 200, body: genericView(job) };
      }
      if (req.method === 'GET' && m[2] === '/logs') {
        return {
          status: 200,
          body: {
            lines: job.events.map((e, i) => ({ seq: i + 1, time: e.created_at * 1000, level: e.level, message: e.message })),
            metrics: job.events.filter((e) => e.type === 'metrics').map((e) => ({ step: e.data?.step, time: e.created_at * 1000, values: { loss: e.data?.train_loss } })),
            total_steps: totalSteps,
          },
        };
      }
      if (req.method === 'POST' && m[2] === '/cancel') {
        if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) job.status = 'cancelled';
        return { status: 200, body: genericView(job) };
      }
      if (req.method === 'GET' && m[2] === '/artifacts') {
        const done = job.status === 'succeeded';
        return {
          status: 200,
          body: {
            artifacts: done
              ? [
                  { kind: 'adapter', name: 'adapter_model.safetensors', url: `files/${job.id}/adapter_model.safetensors`, bytes: 1024 },
                  { kind: 'gguf', name: 'model-q4_k_m.gguf', url: `${url}/files/${job.id}/model-q4_k_m.gguf` },
                  { kind: 'mlc-weights', name: 'MLC weights', url: `${url}/files/${job.id}/mlc/` },
                  { kind: 'mlc-lib', name: 'model library', url: `${url}/files/${job.id}/model-webgpu.wasm` },
                ]
              : [],
          },
        };
      }
    }
    return notFound('such endpoint');
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      // PROTOCOL.md asks for it: without it the app cannot read the 429's Retry-After.
      'access-control-expose-headers': 'Retry-After',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization ?? null,
      json: null, fields: {}, files: {}, outcome: 0,
    };
    const ct = req.headers['content-type'] ?? '';
    if (ct.startsWith('application/json') && raw.length > 0) rec.json = JSON.parse(raw.toString('utf8')) as unknown;
    if (ct.startsWith('multipart/form-data')) {
      const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': ct }, body: raw }).formData();
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') rec.fields[k] = v;
        else rec.files[k] = { name: v.name, text: await v.text() };
      }
    }
    requests.push(rec);
    const presented = rec.authorization?.replace(/^Bearer\s+/i, '') ?? 'none';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.outcome = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...cors, ...headers }).end(text);
    };

    if (mode.kind === 'drop' && consume(rec.method)) {
      rec.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (mode.kind === 'slow' && consume(rec.method)) await new Promise((r) => setTimeout(r, (mode as { delayMs: number }).delayMs));
    if (mode.kind === 'unauthorized') {
      const status = mode.status ?? 401;
      return send(status, { error: { message: status === 401 ? `Incorrect API key provided: ${presented}.` : 'This key may not fine-tune.' } });
    }
    if (apiKey !== null && rec.authorization !== `Bearer ${apiKey}`) {
      return send(401, { error: { message: `Incorrect API key provided: ${presented}.` } });
    }
    if (mode.kind === 'rate-limit' && consume(rec.method)) {
      return send(429, { error: { message: 'Rate limit reached for fine-tuning requests.' } }, { 'retry-after': mode.retryAfter });
    }
    if (mode.kind === 'server-error' && consume(rec.method)) {
      return send(mode.status ?? 500, { error: { message: 'The server had an error while processing your request.' } });
    }
    const out = await route(req, rec);
    send(out.status, out.body, out.headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBase: `${url}/v1`,
    genericBase: `${url}/api`,
    requests,
    setMode(next) {
      mode = next;
    },
    job: (id) => jobs.get(id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
