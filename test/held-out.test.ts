import { describe, expect, it } from 'vitest';
import { heldOut, summarise, type HeldOutScene, type RuleSetting } from '../scripts/held-out.ts';

const sweep: RuleSetting[] = [
  { name: 'low', config: { minZ: 3 } },
  { name: 'high', config: { minZ: 5 } },
];
/** Radiometric statistics of four bands per date, all at `x`. */
const vectorsAt = (x: number): number[][] => [Array(8).fill(x), Array(8).fill(x)];

describe('eval:detect held out: each scene scored with nothing chosen on its source', () => {
  // Source "a" (two scenes) does best with the high setting, every other source with the low.
  const scenes: HeldOutScene[] = [
    {
      scene: 'a1',
      source: 'a',
      sweep: [0.1, 0.9],
      learned: 0.5,
      reference: 0.2,
      vectors: vectorsAt(0),
    },
    {
      scene: 'a2',
      source: 'a',
      sweep: [0.1, 0.9],
      learned: 0.5,
      reference: 0.2,
      vectors: vectorsAt(0),
    },
    {
      scene: 'b',
      source: 'b',
      sweep: [0.6, 0.3],
      learned: 0.7,
      reference: 0.4,
      vectors: vectorsAt(0.01),
    },
    {
      scene: 'c',
      source: 'c',
      sweep: [0.5, 0.4],
      learned: 0.2,
      reference: 0.3,
      vectors: vectorsAt(-0.01),
    },
    {
      scene: 'd',
      source: 'd',
      sweep: [0.4, 0.45],
      learned: 0.6,
      reference: 0.5,
      vectors: vectorsAt(5),
    },
  ];
  const rows = heldOut(scenes, sweep);

  it("picks the rules' setting on the other sources only, holding a source's scenes out together", () => {
    // Without a, the low setting wins (mean 0.5 against 0.383): a's scenes get it though the
    // high one is far better on them; a's own scores never count.
    expect(rows.map((r) => r.setting)).toEqual(['low', 'low', 'high', 'high', 'high']);
    expect(rows[0].rules).toBe(0.1);
    expect(rows[2].rules).toBe(0.3);
  });

  it('gates by the domain of the other sources: out of it the rules decide, else the model', () => {
    expect(rows.map((r) => r.verdict)).toEqual([
      'in-domain',
      'in-domain',
      'in-domain',
      'in-domain',
      'out-of-domain',
    ]);
    expect(rows[4].auto).toBe(rows[4].rules);
    expect(rows[2].auto).toBe(0.7);
  });

  it('counts the scenes each configuration beats CVA + Otsu on', () => {
    expect(summarise(rows, 'learned')).toEqual({ mean: 0.5, wins: 4, scored: 5 });
    expect(summarise(rows, 'rules')?.wins).toBe(1);
    expect(summarise([{ ...rows[0], learned: undefined }], 'learned')).toBeUndefined();
  });
});
