import { describe, expect, it } from 'vitest';
import { drawSpotCheck, stratumSize, type SpotCheckItem } from './spotcheck.ts';

/** A period's verdicts: 3 counties × 3 verdicts, strata of different sizes. */
function verdicts(): SpotCheckItem[] {
  const out: SpotCheckItem[] = [];
  const counties = ['140521', '140522', '140525'];
  const kinds: [string, number][] = [
    ['illegal', 40],
    ['lawful', 25],
    ['other', 3],
  ];
  counties.forEach((c, ci) => {
    for (const [v, n] of kinds)
      for (let i = 0; i < n + ci; i++)
        out.push({ id: `${c}-${v}-${String(i).padStart(3, '0')}`, countyCode: c, verdict: v });
  });
  return out;
}
const plan = { rate: 0.1, minPerStratum: 2, seed: 'c0ffee-2026-11' };

describe('stratified spot-check sample', () => {
  it('draws ⌈rate·n⌉ per stratum, at least the minimum, at most the stratum', () => {
    expect(stratumSize(30, 0.1, 2)).toBe(3);
    expect(stratumSize(40, 0.1, 2)).toBe(4);
    expect(stratumSize(41, 0.1, 2)).toBe(5);
    expect(stratumSize(5, 0.1, 2)).toBe(2);
    expect(stratumSize(1, 0.1, 2)).toBe(1);
    expect(stratumSize(0, 0.1, 2)).toBe(0);
  });

  it('covers every county × verdict stratum with members of that stratum only', () => {
    const items = verdicts();
    const s = drawSpotCheck(items, plan);
    expect(s.strata.map((x) => [x.countyCode, x.verdict, x.population, x.ids.length])).toEqual([
      ['140521', 'illegal', 40, 4],
      ['140521', 'lawful', 25, 3],
      ['140521', 'other', 3, 2],
      ['140522', 'illegal', 41, 5],
      ['140522', 'lawful', 26, 3],
      ['140522', 'other', 4, 2],
      ['140525', 'illegal', 42, 5],
      ['140525', 'lawful', 27, 3],
      ['140525', 'other', 5, 2],
    ]);
    for (const st of s.strata)
      for (const id of st.ids) expect(id.startsWith(`${st.countyCode}-${st.verdict}-`)).toBe(true);
    expect(new Set(s.ids).size).toBe(s.ids.length);
    expect(s.population).toBe(items.length);
    expect(s).toMatchObject(plan);
  });

  it('is reproducible from the recorded seed, whatever the input order', () => {
    const items = verdicts();
    const a = drawSpotCheck(items, plan);
    const b = drawSpotCheck([...items].reverse(), { ...plan });
    expect(b.ids).toEqual(a.ids);
    const other = drawSpotCheck(items, { ...plan, seed: 'another-seed-2026' });
    expect(other.ids).not.toEqual(a.ids);
  });

  it('leaves other counties untouched when a county is added', () => {
    const items = verdicts();
    const a = drawSpotCheck(items, plan);
    const more = [
      ...items,
      ...Array.from({ length: 12 }, (_, i) => ({
        id: `140581-illegal-${i}`,
        countyCode: '140581',
        verdict: 'illegal',
      })),
    ];
    const b = drawSpotCheck(more, plan);
    expect(b.strata.filter((s) => s.countyCode !== '140581')).toEqual(a.strata);
  });

  it('draws every member about equally often over many seeds', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: `p${i}`,
      countyCode: '140525',
      verdict: 'illegal',
    }));
    const counts = new Map<string, number>();
    for (let s = 0; s < 2000; s++) {
      for (const id of drawSpotCheck(items, {
        rate: 0.1,
        minPerStratum: 1,
        seed: `seed-number-${s}`,
      }).ids)
        counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // Expected 200 each; ±60 is beyond 4 standard deviations (σ ≈ 13.4).
    for (const id of items.map((x) => x.id))
      expect(Math.abs((counts.get(id) ?? 0) - 200)).toBeLessThan(60);
  });

  it('refuses a bad plan or duplicate items', () => {
    expect(() => drawSpotCheck(verdicts(), { ...plan, rate: 0 })).toThrow(
      expect.objectContaining({ code: 'bad_input', field: 'rate' }),
    );
    expect(() => drawSpotCheck(verdicts(), { ...plan, seed: 'short' })).toThrow(
      expect.objectContaining({ field: 'seed' }),
    );
    const dup = [
      { id: 'x', countyCode: '140525', verdict: 'illegal' },
      { id: 'x', countyCode: '140525', verdict: 'lawful' },
    ];
    expect(() => drawSpotCheck(dup, plan)).toThrow(expect.objectContaining({ field: 'id' }));
  });
});
