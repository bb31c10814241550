/**
 * The engine panel mounted in real Chromium and driven through its DOM, as a user would: the
 * suggestion for this (software-WebGPU) browser, a .gguf file picked into the drop zone, Load,
 * "Try it" with real tokens from the tiny model; then an endpoint from the browser project's
 * chat server: its model list, "Use this endpoint" and a streamed reply.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import EnginePanel from '../../../src/ui/engines/EnginePanel.svelte';
import { humpbackReply } from '../../support/humpback-replies.ts';
import { cleanUp, openProject, tinyGgufFile } from './helpers.ts';

let mounted: { component: ReturnType<typeof mount>; target: HTMLElement } | null = null;

afterEach(async () => {
  if (mounted) {
    await unmount(mounted.component);
    mounted.target.remove();
    mounted = null;
  }
  await cleanUp();
});

async function panel(role: 'backward' | 'curator') {
  const opened = await openProject();
  opened.ps.part('engines', () => opened.engines);
  const target = document.createElement('div');
  document.body.append(target);
  const component = mount(EnginePanel, { target, props: { ps: opened.ps, role } });
  mounted = { component, target };
  flushSync();
  const q = <T extends Element = HTMLElement>(sel: string): T => {
    const el = target.querySelector<T>(sel);
    if (!el) throw new Error(`${sel} is not on the panel`);
    return el;
  };
  const button = (name: string): HTMLButtonElement => {
    const b = [...target.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
    if (!b) throw new Error(`no "${name}" button`);
    return b;
  };
  const text = (sel: string) => target.querySelector(sel)?.textContent?.trim() ?? '';
  const type = (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  return { ...opened, target, q, button, text, type };
}

describe('EnginePanel', () => {
  test('suggests llama.cpp here, takes a picked .gguf file, loads it and tries a prompt', async () => {
    const p = await panel('backward');
    expect(p.text('h3')).toBe('Model that writes instructions');
    expect(p.text('[data-testid="engine-describe"]')).toBe('No model chosen');
    expect(p.button('Load the model').disabled).toBe(true);
    await expect.poll(() => p.text('[data-testid="engine-recommendation"]')).toMatch(/^Suggested: llama\.cpp on the CPU\. WebGPU here is a software adapter/);
    expect(p.q<HTMLInputElement>('input[name="engine-backward"][value="wllama"]').checked).toBe(true);

    const input = p.q<HTMLInputElement>('[data-testid="gguf-drop-backward-files"]');
    expect(input.accept).toBe('.gguf');
    const files = new DataTransfer();
    files.items.add(await tinyGgufFile());
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => p.text('[data-testid="engine-describe"]')).toBe('wllama · tiny-llama.gguf (CPU)');
    expect(p.text('[data-testid="engine-state"]')).toBe('not loaded');

    p.button('Load the model').click();
    await expect.poll(() => p.text('[data-testid="engine-state"]'), { timeout: 60_000 }).toBe('ready');
    expect(p.button('Unload').disabled).toBe(false);

    p.type(p.q<HTMLTextAreaElement>('#try-prompt-backward'), 'How can you be good?');
    p.button('Send').click();
    await expect.poll(() => p.text('[data-testid="try-usage"]'), { timeout: 60_000 }).toMatch(/^\d+ prompt tokens · \d+ reply tokens · (finished|stopped at the length limit)$/);
    const usage = p.engines.trial('backward').usage;
    expect(usage?.completionTokens).toBeGreaterThan(0);
    expect(p.text('[data-testid="try-usage"]')).toContain(`${usage?.promptTokens} prompt tokens · ${usage?.completionTokens} reply tokens`);
    expect(p.text('[data-testid="try-reply"]')).toBe(p.engines.trial('backward').reply.trim());
    expect(p.engines.trial('backward').reply.length).toBeGreaterThan(0);
    expect(p.ps.notices.items).toEqual([]);

    p.button('Unload').click();
    await expect.poll(() => p.text('[data-testid="engine-state"]')).toBe('not loaded');
  });

  test('a file that is not .gguf is refused with a notice and changes nothing', async () => {
    const p = await panel('curator');
    const input = p.q<HTMLInputElement>('[data-testid="gguf-drop-curator-files"]');
    const files = new DataTransfer();
    files.items.add(new File(['hello'], 'notes.txt'));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => p.ps.notices.items.map((n) => n.title)).toEqual(['Not a GGUF model']);
    expect(p.engines.choice('curator')).toBeNull();
  });

  test('an endpoint: lists its models, is used for the role, and streams a reply', async () => {
    const baseUrl = inject('chatServerUrl');
    const p = await panel('curator');
    p.q<HTMLInputElement>('input[name="engine-curator"][value="openai"]').click();
    flushSync();
    expect(p.q<HTMLInputElement>('#endpoint-concurrency-curator').value).toBe('8');
    expect(p.q<HTMLInputElement>('#endpoint-timeout-curator').value).toBe('120');
    p.type(p.q<HTMLInputElement>('#endpoint-url-curator'), baseUrl);
    flushSync();
    p.button('List models').click();
    await expect.poll(() => [...p.target.querySelectorAll('[data-testid="endpoint-models"] option')].map((o) => o.textContent)).toEqual([
      'test-model (2,048 tokens)',
    ]);
    // the server type row: what listing found, then every type to override it with
    expect([...p.target.querySelectorAll('[data-testid="endpoint-server"] option')].map((o) => o.textContent)).toEqual([
      'Detected: generic OpenAI-compatible',
      'vLLM',
      'llama.cpp server',
      'Ollama',
      'OpenAI',
      'generic OpenAI-compatible',
    ]);
    p.button('Use this endpoint').click();
    await expect.poll(() => p.text('[data-testid="engine-describe"]')).toBe(`endpoint · test-model at ${baseUrl}`);

    const prompt = 'Whales breathe air through a blowhole.';
    p.type(p.q<HTMLTextAreaElement>('#try-prompt-curator'), prompt);
    p.button('Send').click();
    const expected = humpbackReply({ model: 'test-model', messages: [{ role: 'user', content: prompt }] });
    await expect.poll(() => p.text('[data-testid="try-reply"]')).toBe(expected);
    await expect.poll(() => p.text('[data-testid="try-usage"]')).toMatch(/^\d+ prompt tokens · \d+ reply tokens · finished$/);
    expect(p.text('[data-testid="engine-state"]')).toBe('ready');
    // the loaded engine says what rating gets from it, and why the grammar is off
    expect(p.text('[data-testid="engine-levers"]')).toMatch(/^generic OpenAI-compatible · ratings not constrained \(the server type is unknown.*\): the score is read from the text · expected scores from 20 alternatives · 8 at once · 2,048-token context$/);
  });
});
