/**
 * Few-shot examples: k seed pairs shown (reversed) to an instruct model standing in for the
 * backward model, and as rating examples. The choice is seeded and diverse (core/seed/exemplars),
 * the user can pin, swap, unpin and reshuffle, and it is saved with the project so the augment
 * stage shows the model exactly the examples the user saw here.
 *
 * Saved in project settings under 'exemplars' (`EXEMPLARS_SETTING`), a plain object:
 *
 *   { k: number,          // how many examples the prompt shows (default 4)
 *     seed: number,       // the shuffle seed; "Shuffle" adds one
 *     pinned: string[],   // SeedPair ids the user fixed: kept through shuffles and re-picks
 *     chosen: string[],   // SeedPair ids in the order the prompt shows them
 *     excluded: string[] } // ids swapped away: not picked again until the next shuffle
 *
 * `chosen` can name pairs deleted since it was saved; read it through `loadExemplars(ps)` (or
 * `resolveExemplarIds`), which drops those and tops the list up to k the same seeded way.
 */
import type { SeedPair } from '../../core/records.ts';
import { DEFAULT_INSTRUCTION_CHARS, DEFAULT_RESPONSE_CHARS, exemplarsByIds, pickExemplars, swapExemplar } from '../../core/seed/exemplars.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export const EXEMPLARS_SETTING = 'exemplars';

export interface ExemplarSetting {
  k: number;
  seed: number;
  pinned: string[];
  chosen: string[];
  excluded: string[];
}

export const DEFAULT_EXEMPLARS: Readonly<ExemplarSetting> = Object.freeze({ k: 4, seed: 42, pinned: [], chosen: [], excluded: [] });

/** Examples can be 1 to this many. */
export const MAX_EXEMPLARS = 16;

/** A saved value of any age, with missing fields filled from the defaults. */
export function exemplarSetting(saved: Partial<ExemplarSetting> | undefined): ExemplarSetting {
  return {
    k: saved?.k ?? DEFAULT_EXEMPLARS.k,
    seed: saved?.seed ?? DEFAULT_EXEMPLARS.seed,
    pinned: [...(saved?.pinned ?? [])],
    chosen: [...(saved?.chosen ?? [])],
    excluded: [...(saved?.excluded ?? [])],
  };
}

/**
 * The ids to show: the saved choice minus deleted pairs (pinned ones always kept), cut to k or
 * topped up to k by the seeded, diverse pick.
 */
export function resolveExemplarIds(pairs: readonly SeedPair[], s: ExemplarSetting): string[] {
  const present = new Set(pairs.map((p) => p.id));
  const pinned = new Set(s.pinned.filter((id) => present.has(id)));
  let ids = s.chosen.filter((id) => present.has(id));
  for (const id of pinned) if (!ids.includes(id)) ids.push(id);
  if (ids.length > s.k) {
    let room = Math.max(0, s.k - pinned.size);
    ids = ids.filter((id) => pinned.has(id) || room-- > 0);
  }
  if (ids.length < s.k) ids = pickExemplars(pairs, { k: s.k, seed: s.seed }, ids, s.excluded);
  return ids;
}

/** The saved examples as the augment stage takes them, reading the seed pairs from the project store. */
export async function loadExemplars(ps: ProjectState): Promise<{ instruction: string; response: string }[]> {
  const store = ps.store ?? (await ps.open());
  if (!store) return [];
  const pairs: SeedPair[] = [];
  await store.scan<SeedPair>('seeds', (chunk) => {
    pairs.push(...chunk);
  });
  const setting = exemplarSetting(ps.setting<Partial<ExemplarSetting> | undefined>(EXEMPLARS_SETTING, undefined));
  return exemplarsByIds(pairs, resolveExemplarIds(pairs, setting)).map((p) => ({ instruction: p.instruction, response: p.response }));
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => b[i] === id);

export class ExemplarState {
  readonly ps: ProjectState;
  readonly #pairs: () => readonly SeedPair[];
  readonly setting = $derived.by(() => exemplarSetting(this.ps.setting<Partial<ExemplarSetting> | undefined>(EXEMPLARS_SETTING, undefined)));
  readonly ids = $derived.by(() => resolveExemplarIds(this.#pairs(), this.setting));
  readonly chosen = $derived.by(() => exemplarsByIds(this.#pairs(), this.ids));
  /** Pairs within the length bounds the pick uses (pinned pairs may lie outside). */
  readonly eligible = $derived.by(() => this.#pairs().filter((p) => inBounds(p)).length);

  constructor(ps: ProjectState, pairs: () => readonly SeedPair[]) {
    this.ps = ps;
    this.#pairs = pairs;
  }

  isPinned(id: string): boolean {
    return this.setting.pinned.includes(id);
  }

  /** Saves the shown choice when it differs from the saved one (pairs were added or deleted). */
  async sync(): Promise<void> {
    if (!sameIds(this.ids, this.setting.chosen)) await this.#save({ chosen: this.ids });
  }

  async pin(id: string): Promise<void> {
    if (this.isPinned(id)) return;
    const shown = this.ids;
    let chosen = shown;
    if (!shown.includes(id)) {
      // Takes the place of the last unpinned example, or adds one when every example is pinned.
      const last = shown.findLastIndex((x) => !this.isPinned(x));
      chosen = last >= 0 ? shown.map((x, i) => (i === last ? id : x)) : [...shown, id];
    }
    const k = Math.max(this.setting.k, chosen.length);
    await this.#save({ k, chosen, pinned: [...this.setting.pinned, id] });
  }

  async unpin(id: string): Promise<void> {
    await this.#save({ chosen: this.ids, pinned: this.setting.pinned.filter((x) => x !== id) });
  }

  /** Replaces one example by the most different pair not yet shown; the old one is not picked again. */
  async swap(id: string): Promise<void> {
    const s = this.setting;
    const chosen = swapExemplar(this.#pairs(), this.ids, id, { k: s.k, seed: s.seed }, s.excluded);
    await this.#save({ chosen, pinned: s.pinned.filter((x) => x !== id), excluded: [...s.excluded, id] });
  }

  /** A fresh seeded pick around the pinned examples. */
  async shuffle(): Promise<void> {
    const s = this.setting;
    const seed = s.seed + 1;
    const chosen = pickExemplars(this.#pairs(), { k: s.k, seed }, s.pinned);
    await this.#save({ seed, chosen, excluded: [] });
  }

  async setK(k: number): Promise<void> {
    const next = { ...this.setting, k: Math.min(MAX_EXEMPLARS, Math.max(1, Math.round(k))) };
    await this.#save({ k: next.k, chosen: resolveExemplarIds(this.#pairs(), next) });
  }

  async #save(change: Partial<ExemplarSetting>): Promise<void> {
    await this.ps.saveSetting(EXEMPLARS_SETTING, { ...this.setting, ...change });
  }
}

function inBounds(p: SeedPair): boolean {
  const [iLo, iHi] = DEFAULT_INSTRUCTION_CHARS;
  const [rLo, rHi] = DEFAULT_RESPONSE_CHARS;
  return p.instruction.length >= iLo && p.instruction.length <= iHi && p.response.length >= rLo && p.response.length <= rHi;
}
