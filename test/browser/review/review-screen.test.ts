/**
 * The review screen mounted in real Chromium over 20,000 stored pairs: only the visible rows are
 * in the DOM wherever the table is scrolled, the keys move, decide and edit (and are ignored
 * while typing in a field), and what they do is in IndexedDB afterwards, as the person's
 * decision records.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate, HumanDecision, Rating } from '../../../src/core/records.ts';
import type { ReviewState } from '../../../src/state/review/review.svelte.ts';
import ReviewStep from '../../../src/ui/steps/ReviewStep.svelte';
import { closeAll, generatedProject, instructionOf, textOf, until, type Generated } from './fixture.ts';

const N = 20_000;
let g: Generated;
let target: HTMLElement;
let app: ReturnType<typeof mount>;
let review: ReviewState;

const rows = () => [...target.querySelectorAll<HTMLElement>('[data-testid="review-row"]')];
const seqs = () => rows().map((r) => Number(r.dataset.seq));
const one = (id: string) => target.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
function key(k: string, on: EventTarget = document.body): void {
  on.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  flushSync();
}
async function settle(ok: () => boolean, what: string): Promise<void> {
  await until(() => {
    flushSync();
    return ok();
  }, what);
}

beforeAll(async () => {
  g = await generatedProject(N, { saveSelection: true });
  target = document.createElement('div');
  target.style.width = '1400px';
  document.body.append(target);
  app = mount(ReviewStep, { target, props: { ps: g.ps } });
  review = g.ps.part<ReviewState>('review', () => {
    throw new Error('the step made no review state');
  });
  await settle(() => review.phase === 'ready' && rows().length > 0, 'the table');
}, 120_000);
afterAll(async () => {
  await unmount(app);
  target.remove();
  await closeAll();
});

describe('review screen', () => {
  it('keeps only the visible rows in the DOM, wherever it is scrolled', async () => {
    expect(text(one('review-count'))).toBe('20,000 pairs shown.');
    // 442 px of 34 px rows = 13 visible, plus 6 below (none above at the top).
    expect(seqs()).toEqual(Array.from({ length: 19 }, (_, i) => i));
    await settle(() => text(rows()[0]?.querySelector('[data-testid="row-instruction"]')) === instructionOf(0), 'the first page of texts');

    const box = one('review-scroll') as HTMLElement;
    expect(box.scrollHeight).toBe(N * 34);
    box.scrollTop = box.scrollHeight;
    box.dispatchEvent(new Event('scroll'));
    flushSync();
    const bottom = seqs();
    expect(bottom.at(-1)).toBe(N - 1);
    expect(bottom.length).toBeLessThanOrEqual(26);
    await settle(() => text(rows().at(-1)?.querySelectorAll('[role="gridcell"]')[2]) === `${textOf(N - 1).slice(0, 160)}…`, 'the last page of texts');

    box.scrollTop = 10_000 * 34;
    box.dispatchEvent(new Event('scroll'));
    flushSync();
    // Rows 10,000…10,012 are visible; 6 more either side.
    expect(seqs()).toEqual(Array.from({ length: 25 }, (_, i) => 9_994 + i));
    box.scrollTop = 0;
    box.dispatchEvent(new Event('scroll'));
    flushSync();
  });

  it('sorts by a column header and filters by status from the form', async () => {
    const header = [...target.querySelectorAll<HTMLButtonElement>('[role="columnheader"] button')].find((b) => text(b) === 'Score');
    header?.click();
    flushSync();
    expect(review.sort).toEqual({ key: 'score', dir: 'asc' });
    const first = () => review.rowsIn(0, 3).map((r) => r.row.seq);
    // Lowest score first: round 1's score 1 is i % 5 === 0: 0, 5, 10…
    expect(first()).toEqual([0, 5, 10]);
    header?.click();
    flushSync();
    // Score 5 is i % 5 === 3, but 3 is a failed candidate (no score, so last).
    expect(first()).toEqual([8, 13, 18]);
    const kept = one('filter-status-kept') as HTMLInputElement;
    kept.click();
    await settle(() => text(one('review-count')) === '7,410 pairs shown.', 'the kept filter');
    kept.click();
    await settle(() => text(one('review-count')) === '20,000 pairs shown.', 'no filter');
    review.setSort({ key: 'seq', dir: 'asc' });
    flushSync();
  });

  it('moves with j/k, rejects with r, accepts with a, and ignores keys typed in a field', async () => {
    review.select(0);
    flushSync();
    key('j');
    expect(review.cursor).toBe(1);
    await settle(() => text(one('pair-detail')?.querySelector('h3')) === 'Pair 1', 'the detail of pair 1');
    expect(text(one('detail-status'))).toBe('kept');
    key('r');
    await settle(() => text(one('detail-status')) === 'rejected', 'the rejection');
    expect(text(one('detail-human'))).toBe('rejected by you');
    expect(text(one('detail-decision'))).toBe('Rejected by you in round 1; this overrides every rating, in every round.');
    key('k');
    expect(review.cursor).toBe(0);
    await settle(() => text(one('pair-detail')?.querySelector('h3')) === 'Pair 0', 'the detail of pair 0');
    key('a');
    await settle(() => text(one('detail-status')) === 'kept', 'the acceptance');

    const search = one('review-search') as HTMLInputElement;
    search.focus();
    key('j', search);
    key('r', search);
    expect(review.cursor).toBe(0);
    search.blur();

    // Stored as the person's decision records; the ratings stay as the model gave them.
    const store = g.ps.store;
    const [d0, d1] = (await store?.get<HumanDecision>(`decisions:${g.augment.id}`, [0, 1])) ?? [];
    expect([d0?.verdict, d1?.verdict]).toEqual(['accept', 'reject']);
    const [r0, r1] = (await store?.get<Rating>(`ratings:${g.round1.id}`, [0, 1])) ?? [];
    expect([r0?.decision, r1?.decision]).toEqual([undefined, undefined]);
    expect(text(rows()[1]?.querySelector('[data-testid="row-status"]'))).toBe('rejected✋');
  });

  it('edits with e, saves with Enter, cancels with Escape', async () => {
    review.select(2);
    flushSync();
    await settle(() => text(one('pair-detail')?.querySelector('h3')) === 'Pair 2', 'the detail of pair 2');
    key('e');
    const editor = one('instruction-editor') as HTMLTextAreaElement;
    expect(document.activeElement).toBe(editor);
    expect(editor.value).toBe(instructionOf(2));
    editor.value = 'Which whale sings longest?';
    editor.dispatchEvent(new Event('input', { bubbles: true }));
    key('j', editor); // typed into the editor: not a move
    expect(review.cursor).toBe(2);
    key('Enter', editor);
    await settle(() => one('instruction-editor') === null && text(one('detail-instruction')) === 'Which whale sings longest?', 'the saved edit');
    expect(text(one('detail-edited'))).toBe('instruction edited by hand');
    // Its round-1 rating judged the model's words: the edited pair waits for a rating.
    expect(text(one('detail-status'))).toBe('unrated');
    expect(text(one('detail-awaiting'))).toContain('Edited since its rating: it waits for a rating.');
    // The person's words are in the decision record; the candidate keeps the model's.
    const [d2] = (await g.ps.store?.get<HumanDecision>(`decisions:${g.augment.id}`, [2])) ?? [];
    expect(d2).toMatchObject({ seq: 2, instruction: 'Which whale sings longest?', round: 1 });
    const [c2] = (await g.ps.store?.get<Candidate>(`candidates:${g.augment.id}`, [2])) ?? [];
    expect(c2).toMatchObject({ instruction: instructionOf(2), raw: `Instruction: ${instructionOf(2)}` });
    expect(c2?.edited).toBeUndefined();

    key('e');
    const again = one('instruction-editor') as HTMLTextAreaElement;
    again.value = 'Not this one';
    again.dispatchEvent(new Event('input', { bubbles: true }));
    key('Escape', again);
    expect(one('instruction-editor')).toBeNull();
    expect(text(one('detail-instruction'))).toBe('Which whale sings longest?');
    const [still] = (await g.ps.store?.get<HumanDecision>(`decisions:${g.augment.id}`, [2])) ?? [];
    expect(still?.instruction).toBe('Which whale sings longest?');
    expect(g.notices.items).toEqual([]);
  });

  it('draws one score histogram per round, the funnel and the lengths', () => {
    expect([...target.querySelectorAll('[data-testid="score-histogram"] figcaption')].map(text)).toEqual([
      'Scores, round 0 (19,110 pairs)', 'Scores, round 1 (19,110 pairs)',
    ]);
    expect([...target.querySelectorAll('[data-testid="funnel-step"]')].map(text)).toEqual([
      // pair 2, edited since its rating, has no deciding rating; pair 0 accepted and pair 1 rejected cancel out
      'segments 20,000', 'candidates 19,110 · 96 %', 'rated 19,109 · 100 %', 'kept 7,410 · 39 %',
    ]);
    expect(target.querySelectorAll('[data-testid="response-lengths"] rect').length).toBeGreaterThan(5);
  });
});
