/** What the browser offers for running models, probed once at start-up. */
import { describeGpu, type GpuFacts, type GpuReport } from '../../core/environment.ts';

export class EnvironmentState {
  facts = $state<GpuFacts | null>(null);
  report = $derived<GpuReport | null>(this.facts ? describeGpu(this.facts) : null);
  readonly #probe: () => Promise<GpuFacts>;

  constructor(probe: () => Promise<GpuFacts>) {
    this.#probe = probe;
  }

  async load(): Promise<void> {
    this.facts = await this.#probe();
  }
}
