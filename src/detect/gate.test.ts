import { describe, expect, it } from 'vitest';
import { memoryScene } from '../raster/memory-scene.ts';
import { syntheticPair } from '../raster/test-fixtures.ts';
import { detectChanges } from './detect.ts';
import { domainReference, statNames } from './domain.ts';
import type { LearnedClassifier } from './learned/classifier.ts';
import { shippedClassifier } from './learned/shipped.ts';

const pair = syntheticPair(128, 3);
const scene = (label: string, bands: Uint16Array[]) =>
  memoryScene(label, pair.grid, { '1': bands[0], '2': bands[1], '3': bands[2], '4': bands[3] });
const run = (config: { learned: LearnedClassifier | null; domainGate?: boolean }) =>
  detectChanges(scene('before', pair.before), scene('after', pair.after), {
    sensor: 's2',
    config,
  });

describe("the 'auto' decision: the learned classifier where the scene is in its domain", async () => {
  const rules = await run({ learned: null });
  const [b, a] = rules.domain.vectors!;
  // A classifier whose training statistics are this scene's own (in-domain), and one whose
  // are ten standard deviations away in every statistic (out-of-domain).
  const near = domainReference(statNames(4), [b, a]);
  const far = { ...near, mean: near.mean.map((m, i) => m + 10 * Math.max(near.sd[i], 0.05)) };
  const shipped = shippedClassifier('s2');
  const inDomain: LearnedClassifier = { ...shipped, domain: near };
  const outOfDomain: LearnedClassifier = { ...shipped, domain: far };

  it('decides with the learned classifier on a scene like its training data, and says so', async () => {
    const r = await run({ learned: inDomain, domainGate: true });
    expect(r.classifier).toBe('learned');
    expect(r.classifierNote).toMatch(/^decided by the learned classifier: the scene is in-domain/);
    const plain = await run({ learned: inDomain });
    expect(plain.classifierNote).toBeUndefined();
    expect(Array.from(r.mask)).toEqual(Array.from(plain.mask));
  });

  it('decides with the rules on a scene out of its domain: the rules’ mask, and why', async () => {
    const r = await run({ learned: outOfDomain, domainGate: true });
    expect(r.classifier).toBe('rules');
    expect(r.classifierNote).toMatch(
      /^decided by the rules: the scene is out of the learned classifier's domain \(\d+\.\d\d training standard deviations\)/,
    );
    expect(Array.from(r.mask)).toEqual(Array.from(rules.mask));
    // Without the gate the same classifier decides, whatever the domain.
    const ungated = await run({ learned: outOfDomain });
    expect(ungated.classifier).toBe('learned');
    expect(ungated.domain.verdict).toBe('out-of-domain');
  });
});
