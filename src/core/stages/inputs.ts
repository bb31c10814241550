/**
 * The inputs each stage reads, streamed from the store chunk by chunk so 500,000 segments never
 * sit in memory at once: segments for augmentation; (candidate, segment) pairs for curation.
 * Only candidates with status 'ok' are rated — an empty or over-long instruction has nothing to
 * rate, and it is already counted in the funnel under its own status.
 */
import type { Candidate, Segment } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { AugmentInput, CurateInput } from './stage.ts';

const PAGE = 1000;

export async function* augmentInputs(store: ProjectStore): AsyncGenerator<AugmentInput> {
  for (let from = 0; ; ) {
    const page = await store.page<Segment>('segments', from, PAGE);
    if (page.length === 0) return;
    for (const s of page) yield { seq: s.seq, segmentId: s.id, text: s.text };
    from = (page[page.length - 1]?.seq ?? from) + 1;
  }
}

export async function* curateInputs(store: ProjectStore, augmentRunId: string): AsyncGenerator<CurateInput> {
  for (let from = 0; ; ) {
    const page = await store.page<Candidate>(`candidates:${augmentRunId}`, from, PAGE);
    if (page.length === 0) return;
    const ok = page.filter((c) => c.status === 'ok');
    const segments = await store.get<Segment>('segments', ok.map((c) => c.seq));
    for (let i = 0; i < ok.length; i++) {
      const c = ok[i] as Candidate;
      const s = segments[i];
      if (s) yield { seq: c.seq, segmentId: c.segmentId, instruction: c.instruction, response: s.text };
    }
    from = (page[page.length - 1]?.seq ?? from) + 1;
  }
}

/** How many inputs each stage will see, for ETA. */
export async function countCurateInputs(store: ProjectStore, augmentRunId: string): Promise<number> {
  let n = 0;
  await store.scan<Candidate>(`candidates:${augmentRunId}`, (chunk) => {
    for (const c of chunk) if (c.status === 'ok') n++;
  });
  return n;
}
