/**
 * The inputs each stage reads, streamed from the store chunk by chunk so 500,000 segments never
 * sit in memory at once: segments for augmentation, and how many (candidate, segment) pairs
 * curation will rate — the pairs themselves, as the instruction writer saw each segment, come
 * from `curateInputsAsSent` (tokens/stage-budget.ts). Only pairs with a usable instruction are
 * rated (core/curation/pair.ts `usableInstruction`: a person's edit, else an 'ok' candidate) — an
 * empty or over-long instruction has nothing to rate, and it is counted in the funnel under its own status.
 */
import type { Candidate, Collection, HumanDecision, Segment, SeqRecord } from '../records.ts';
import { usableInstruction } from '../curation/decisions.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { AugmentInput, CurateInput } from './stage.ts';

/**
 * The store's chunks as a pull-based stream: `scan` pushes chunks and may await between them, so
 * each chunk is handed over and the scan waits until the consumer asks for the next one. Reads
 * each stored chunk once (paging by seq would re-read chunks the IndexedDB adapter reads ahead).
 */
export async function* chunksOf<T extends SeqRecord>(store: ProjectStore, collection: Collection): AsyncGenerator<T[]> {
  let chunk: T[] | undefined;
  let finished = false;
  let failure: unknown;
  let stopped = false;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const producer = store
    .scan<T>(collection, async (records) => {
      if (stopped) return false;
      chunk = records;
      signal();
      await new Promise<void>((r) => (resume = r));
      return !stopped;
    })
    .then(
      () => {
        finished = true;
        signal();
      },
      (err: unknown) => {
        failure = err;
        finished = true;
        signal();
      },
    );
  try {
    for (;;) {
      if (chunk === undefined && !finished) await new Promise<void>((r) => (wake = r));
      if (chunk !== undefined) {
        const c = chunk;
        chunk = undefined;
        yield c;
        const r = resume;
        resume = undefined;
        r?.();
        continue;
      }
      if (failure !== undefined) throw failure;
      if (finished) return;
    }
  } finally {
    stopped = true;
    const r = resume;
    resume = undefined;
    r?.();
    await producer;
  }
}

export async function* augmentInputs(store: ProjectStore): AsyncGenerator<AugmentInput> {
  for await (const chunk of chunksOf<Segment>(store, 'segments')) {
    for (const s of chunk) yield { seq: s.seq, segmentId: s.id, text: s.text };
  }
}

/** How many pairs a rating run over these candidates will rate (what `curateInputsAsSent` yields), for ETA. */
export async function countCurateInputs(store: ProjectStore, augmentRunId: string, only?: readonly number[]): Promise<number> {
  const wanted = only ? new Set(only) : null;
  let n = 0;
  await store.scan<Candidate>(`candidates:${augmentRunId}`, async (chunk) => {
    const picked = wanted ? chunk.filter((c) => wanted.has(c.seq)) : chunk;
    if (picked.length === 0) return;
    const decisions = await store.get<HumanDecision>(`decisions:${augmentRunId}`, picked.map((c) => c.seq));
    picked.forEach((c, i) => {
      const d = decisions[i];
      if (usableInstruction(c, d?.seq === c.seq ? d : undefined) !== null) n++;
    });
  });
  return n;
}
