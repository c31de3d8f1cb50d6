import { readFileSync } from 'node:fs';
import { GengbaoError } from '../../errors.ts';
import type { SensorId } from '../profiles.ts';
import type { LearnedClassifier } from './classify-learned.ts';

/**
 * The learned classifier shipped for a sensor (`npm run train:detect` writes it; only s2 has
 * one). Read from the file on use: most runs use the rules and never need it.
 */
export function shippedClassifier(sensor: SensorId): LearnedClassifier {
  if (sensor !== 's2')
    throw new GengbaoError(
      'bad_input',
      `no learned classifier is trained for sensor ${sensor} (only s2); use the rules`,
      { field: 'classifier' },
    );
  const file = new URL('./s2-model.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as LearnedClassifier;
}
