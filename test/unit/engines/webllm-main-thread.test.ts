/**
 * web-llm is one 6 MB module: only the worker may import it at run time. This walks the real
 * import graph of the page-side engine (value imports only; `import type` is erased) and fails if
 * it reaches `@mlc-ai/web-llm`, and checks that the worker side does reach it (so the walk works).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const IMPORT = /^\s*(import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

function runtimeImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(resolve(root, entry));
  return packages;
}

describe('web-llm stays in its worker', () => {
  test('the page-side engine never imports web-llm at run time', () => {
    const packages = runtimeImports('src/adapters/webllm/webllm-engine.ts');
    expect([...packages].sort()).toEqual(['comlink']);
  });

  test('the worker entry does (the walk follows real imports)', () => {
    const packages = runtimeImports('workers/webllm.worker.ts');
    expect([...packages].sort()).toEqual(['@mlc-ai/web-llm', 'comlink']);
  });
});
