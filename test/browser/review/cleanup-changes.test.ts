/**
 * Review's clean-up block in real Chromium: a candidate made by the real augment stage from a
 * model reply shows the raw reply (before), the instruction (after) and each change with the text
 * it removed; a candidate clean-up did not touch shows nothing.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { augmentStage } from '../../../src/core/stages/augment.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import type { Candidate } from '../../../src/core/records.ts';
import CleanupChanges from '../../../src/ui/review/CleanupChanges.svelte';

const stage = augmentStage(DEFAULT_TEMPLATES['augment-prompted']);
function candidateFor(reply: string): Candidate {
  const r = stage.parse(
    { text: reply, finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 20 }, model: 'm' },
    { seq: 3, segmentId: 's3', text: 'A heat pump moves heat from outside air into the house.' },
    { model: { engine: 'scripted', model: 'm' }, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 200 }, examples: [], maxExampleChars: 800, maxInstructionChars: 600 },
    'r_1',
    0,
  );
  if (!r.ok) throw new Error(r.issue.message);
  return r.value;
}

let target: HTMLElement;
let app: ReturnType<typeof mount> | undefined;
afterEach(async () => {
  if (app) await unmount(app);
  target.remove();
});
function show(candidate: Candidate): HTMLElement {
  target = document.createElement('div');
  document.body.append(target);
  app = mount(CleanupChanges, { target, props: { candidate } });
  flushSync();
  return target;
}
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('clean-up in Review', () => {
  it('shows before, after and each change', () => {
    const raw = "Sure! Here's the instruction:\n\"Explain how a heat pump works.\"<|im_end|>\n<|im_start|>assistant\nA heat pump moves heat...";
    const c = candidateFor(raw);
    expect(c.cleanup?.map((ch) => ch.rule)).toEqual(['preamble', 'template-token', 'quotes']);
    const el = show(c);
    expect(el.querySelector('[data-testid="cleanup-before"]')?.textContent).toBe(raw);
    expect(el.querySelector('[data-testid="cleanup-after"]')?.textContent).toBe('Explain how a heat pump works.');
    expect([...el.querySelectorAll('[data-testid="cleanup-change"]')].map(text)).toEqual([
      "a first line announcing the instruction removed Sure! Here's the instruction:",
      'a leaked chat-template token and what followed removed <|im_end|> <|im_start|>assistant A heat pump moves heat...',
      'quotes or bold around the whole reply removed " … "',
    ]);
    expect(text(el.querySelector('summary'))).toBe("Clean-up changed the model's reply (3 changes)");
  });
  it('shows nothing when clean-up changed nothing', () => {
    const c = candidateFor('Write a Python function that removes duplicates.\n\nNote: use only the standard library.');
    expect(c.cleanup).toBeUndefined();
    expect(c.instruction).toBe(c.raw);
    expect(show(c).querySelector('[data-testid="cleanup-changes"]')).toBeNull();
  });
});
