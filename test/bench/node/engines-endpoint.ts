/**
 * Endpoint engine throughput: how close the OpenAI-compatible client gets to the ideal request
 * rate of a server with a fixed 50 ms latency when it keeps 1, 8, 32 and 64 requests in flight
 * (ideal = in-flight / latency). The gap is our overhead: limiter, retries bookkeeping, JSON,
 * HTTP. Target from the issue: ≥ 90 % of ideal up to 64 in flight.
 * The server is the tests' chat server on 127.0.0.1 in a child process (a real endpoint is on
 * another machine; here it still shares the CPU cores with the client). Even bare fetch() cannot
 * reach the ideal here: one round trip through node's fetch and the server costs about 2 ms on
 * top of the 50 ms, and at 64 in flight the two processes together need most of two cores.
 *
 * Both sides are measured the same way, side by side: one shared warm-up first (so neither side
 * runs on code the JIT has not compiled yet, and the connections are open), then per level the
 * order engine, bare, bare, engine (drift in the machine's load hits both alike), each side's
 * figure being the better of its two runs (the one least disturbed by other processes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { OpenAiEndpoint } from '../../../src/adapters/openai/client.ts';
import type { ChatServerMode } from '../../support/chat-server.ts';
import type { BenchFigure } from '../figure.ts';

const LATENCY_MS = 50;
/** Requests per slot: each run lasts about this many latencies. */
const ROUNDS = 30;
/** In flight during the shared warm-up, and requests per slot in it. */
const WARM_UP = { inFlight: 64, rounds: 5 };

export async function benchEndpoint(levels: readonly number[] = [1, 8, 32, 64]): Promise<BenchFigure[]> {
  const server = await startServerProcess({ latencyMs: LATENCY_MS });
  const figures: BenchFigure[] = [];
  try {
    await engineRate(server.url, WARM_UP.inFlight, WARM_UP.rounds);
    await bareFetchRate(server.url, WARM_UP.inFlight, WARM_UP.rounds);
    for (const inFlight of levels) {
      const ideal = (inFlight * 1000) / LATENCY_MS;
      const engineFirst = await engineRate(server.url, inFlight);
      const bareFirst = await bareFetchRate(server.url, inFlight);
      const bare = Math.max(bareFirst, await bareFetchRate(server.url, inFlight));
      const engine = Math.max(engineFirst, await engineRate(server.url, inFlight));
      figures.push(
        {
          name: `endpoint throughput, ${inFlight} in flight (${LATENCY_MS} ms latency)`,
          value: engine,
          unit: 'req/s',
          better: 'higher',
          vs: { name: 'ideal', value: ideal },
          target: '≥ 90 % of ideal',
        },
        // The same load with bare fetch() and no engine: separates our overhead from the machine's.
        { name: `endpoint engine vs bare fetch, ${inFlight} in flight`, value: engine, unit: 'req/s', better: 'higher', vs: { name: 'bare fetch', value: bare } },
      );
    }
  } finally {
    await server.close();
  }
  return figures;
}

/** Requests per second through OpenAiEndpoint with `inFlight` concurrency, replies checked. */
async function engineRate(url: string, inFlight: number, rounds = ROUNDS): Promise<number> {
  const llm = new OpenAiEndpoint({ baseUrl: url, concurrency: inFlight, timeoutMs: 30_000 });
  await llm.load('test-model');
  const request = (i: number) => llm.complete({ messages: [{ role: 'user', content: `request ${i}` }], maxTokens: 16 });
  // Warm-up: open the connections the run will reuse.
  await Promise.all(Array.from({ length: inFlight }, (_, i) => request(i)));
  const count = inFlight * rounds;
  const t0 = performance.now();
  const replies = await Promise.all(Array.from({ length: count }, (_, i) => request(i)));
  const seconds = (performance.now() - t0) / 1000;
  const wrong = replies.filter((r, i) => r.text !== `You said: request ${i}`).length;
  if (wrong > 0) throw new Error(`${wrong} of ${count} replies did not match their request`);
  return count / seconds;
}

/** The same requests with bare fetch(): `inFlight` loops, each `rounds` requests in a row. */
async function bareFetchRate(url: string, inFlight: number, rounds = ROUNDS): Promise<number> {
  const once = async (i: number) => {
    const body = JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: `request ${i}` }], max_tokens: 16 });
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return (await res.json()) as unknown;
  };
  await Promise.all(Array.from({ length: inFlight }, (_, i) => once(i)));
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, w) => {
      for (let r = 0; r < rounds; r++) await once(w * rounds + r);
    }),
  );
  return (inFlight * rounds) / ((performance.now() - t0) / 1000);
}

async function startServerProcess(options: Partial<ChatServerMode>): Promise<{ url: string; close: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./chat-server-process.ts', import.meta.url).pathname, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [undefined])])) as [string | undefined];
  if (!url) throw new Error('The chat server process exited before printing its URL.');
  return {
    url,
    close: async () => {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}
