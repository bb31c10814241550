import { describe, expect, it } from 'vitest';
import { cosine, dropNearDuplicates, mostDiverse, NearDuplicateFilter } from '../../../src/core/tokens/semantic.ts';

/** A unit vector at `deg` degrees in the plane. */
const at = (deg: number) => new Float32Array([Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]);

describe('cosine', () => {
  it('is the dot product of unit vectors', () => {
    expect(cosine(at(0), at(0))).toBeCloseTo(1, 6);
    expect(cosine(at(0), at(90))).toBeCloseTo(0, 6);
    expect(cosine(at(0), at(60))).toBeCloseTo(0.5, 6);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => cosine(new Float32Array(2), new Float32Array(3))).toThrow('vectors differ in length: 2 vs 3');
  });
});

describe('near-duplicate filter', () => {
  it('drops a segment at or above the threshold to a kept one, naming the nearest kept segment', () => {
    const items = [0, 10, 90, 95, 180, 25].map((deg, seq) => ({ seq, vector: at(deg) }));
    // cos 10° = 0.985, cos 5° = 0.996, cos 25° = 0.906.
    const r = dropNearDuplicates(items, 0.95);
    expect(r.kept).toBe(4);
    expect(r.dropped).toBe(2);
    expect(r.marks.map((m) => (m.kept ? `${m.seq}:kept` : `${m.seq}:dup-of-${m.nearDuplicateOf}`))).toEqual([
      '0:kept', '1:dup-of-0', '2:kept', '3:dup-of-2', '4:kept', '5:kept',
    ]);
    const m1 = r.marks[1];
    expect(m1 && !m1.kept ? m1.similarity : 0).toBeCloseTo(Math.cos(Math.PI / 18), 6);
  });

  it('compares with kept segments only, so a chain of small steps is not dropped', () => {
    const items = [0, 20, 40].map((deg, seq) => ({ seq, vector: at(deg) }));
    // 0→20 is 0.940 (< 0.95, kept); 40 is 0.940 from 20 and 0.766 from 0.
    expect(dropNearDuplicates(items, 0.95).kept).toBe(3);
    expect(dropNearDuplicates(items, 0.93).marks.map((m) => m.kept)).toEqual([true, false, true]);
  });

  it('rejects a threshold outside (-1, 1]', () => {
    expect(() => new NearDuplicateFilter(1.5)).toThrow('cosine threshold must be in (-1, 1], got 1.5');
  });
});

describe('most diverse N', () => {
  const items = [0, 5, 90, 92, 180, 178, 270].map((deg, seq) => ({ seq, vector: at(deg) }));

  it('picks spread-out segments by farthest-point order from a seeded start', () => {
    const picks = mostDiverse(items, 4, 7);
    expect(picks).toHaveLength(4);
    expect(new Set(picks).size).toBe(4);
    // Whatever the start, four picks land one in each quarter of the circle.
    const quarter = (seq: number) => ({ 0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3 })[seq];
    expect(new Set(picks.map(quarter)).size).toBe(4);
    expect(mostDiverse(items, 4, 7)).toEqual(picks);
  });

  it('follows the farthest point from a known start', () => {
    // seed 1 starts at floor(rand·7); whichever it is, the second pick is the farthest from it.
    const [first, second] = mostDiverse(items, 2, 1);
    const start = items[first as number]?.vector as Float32Array;
    const farthest = items.reduce((best, it) => (cosine(it.vector, start) < cosine(best.vector, start) ? it : best));
    expect(second).toBe(farthest.seq);
  });

  it('returns everything when N exceeds the items, and nothing for N = 0', () => {
    expect(mostDiverse(items, 99, 3).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(mostDiverse(items, 0, 3)).toEqual([]);
    expect(() => mostDiverse(items, 1.5, 3)).toThrow('N must be a whole number ≥ 0, got 1.5');
  });
});
