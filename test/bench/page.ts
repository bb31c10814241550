/**
 * The in-browser half of `npm run bench`: the runner (run.ts) opens this page in headless
 * Chromium and calls `runBench(name, input)`, which imports test/bench/browser/<name>.ts and
 * runs its default export where the real code runs — real IndexedDB, workers, WebGPU.
 */
import type { BenchFigure } from './figure.ts';

type BrowserBench = (input: unknown) => Promise<BenchFigure[]>;
const modules = import.meta.glob<{ default: BrowserBench }>('./browser/*.ts');

declare global {
  interface Window {
    runBench(name: string, input: unknown): Promise<BenchFigure[]>;
  }
}

window.runBench = async (name, input) => {
  const load = modules[`./browser/${name}.ts`];
  if (!load) throw new Error(`No browser bench named ${name}`);
  const status = document.getElementById('status');
  if (status) status.textContent = `running ${name}`;
  const figures = await (await load()).default(input);
  if (status) status.textContent = `done ${name}`;
  return figures;
};
