/**
 * Which collapsible sections of a step the user opened (try-it, token budget, sampling, prompt
 * template…), kept with the project so a section stays as the user left it across steps and
 * reloads. Everything starts closed: a first run needs only what is open by default.
 */
import type { ProjectState } from './project.svelte.ts';

const KEY = 'openSections';

export class OpenSections {
  readonly #ps: ProjectState;

  constructor(ps: ProjectState) {
    this.#ps = ps;
  }

  isOpen(id: string): boolean {
    return this.#ps.setting<Record<string, boolean>>(KEY, {})[id] === true;
  }

  async set(id: string, open: boolean): Promise<void> {
    if (this.isOpen(id) === open) return;
    await this.#ps.saveSetting(KEY, { ...this.#ps.setting<Record<string, boolean>>(KEY, {}), [id]: open });
  }
}

export const openSectionsOf = (ps: ProjectState): OpenSections => ps.part('openSections', (p) => new OpenSections(p));
