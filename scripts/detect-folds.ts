/**
 * Where `npm run train:detect` leaves its leave-one-city-out models of the s2 learned
 * classifier, and how `npm run eval:detect` finds them: one model per OSCD city, trained
 * without that city, so each city is scored by a model that never saw it. Not committed
 * (.scratch/ is ignored): the train script rebuilds them from ../shared/data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LearnedClassifier } from '../src/detect/learned/classify-learned.ts';

export const FOLDS_DIR = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  '.scratch',
  'detect-folds',
);

export function foldPath(city: string): string {
  return join(FOLDS_DIR, `s2-without-${city}.json`);
}

/** The model trained without `city`, or undefined when train:detect has not written it. */
export function loadFold(city: string): LearnedClassifier | undefined {
  const file = foldPath(city);
  if (!existsSync(file)) return undefined;
  const m = JSON.parse(readFileSync(file, 'utf8')) as LearnedClassifier;
  if (m.trainedOn.includes(city))
    throw new Error(`${file} was trained on ${city}: not a held-out model`);
  return m;
}
