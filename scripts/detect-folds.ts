/**
 * Where `npm run train:detect` leaves the held-out models of a sensor's learned classifier,
 * and how `npm run eval:detect` finds them: for s2 one model per OSCD city, trained without
 * that city; for rgb one per LEVIR source image, trained without its samples. So every scene
 * is scored by a model that never saw it. Not committed (.scratch/ is ignored): the train
 * script rebuilds them from ../shared/data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LearnedClassifier } from '../src/detect/learned/classifier.ts';

export const FOLDS_DIR = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  '.scratch',
  'detect-folds',
);

/** The file of `sensor`'s model trained without the scenes of `group`. */
export function foldPath(sensor: string, group: string): string {
  return join(FOLDS_DIR, `${sensor}-without-${group}.json`);
}

/**
 * The model trained without `group` (an OSCD city, a LEVIR source image), or undefined when
 * train:detect has not written it.
 */
export function loadFold(sensor: string, group: string): LearnedClassifier | undefined {
  const file = foldPath(sensor, group);
  if (!existsSync(file)) return undefined;
  const m = JSON.parse(readFileSync(file, 'utf8')) as LearnedClassifier;
  if (m.trainedOn.includes(group))
    throw new Error(`${file} was trained on ${group}: not a held-out model`);
  return m;
}
