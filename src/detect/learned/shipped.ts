import { readFileSync } from 'node:fs';
import { GengbaoError } from '../../errors.ts';
import { PROFILES, type SensorId } from '../profiles.ts';
import type { LearnedClassifier } from './classifier.ts';

/** Sensors a learned classifier is trained for (`npm run train:detect` writes each). */
export const LEARNED_SENSORS: readonly SensorId[] = ['s2', 'rgb'];

/**
 * The learned classifier shipped for a sensor: s2 trained on OSCD's cities, rgb on the LEVIR
 * samples. Read from the file on use: most runs use the rules and never need it.
 */
export function shippedClassifier(sensor: SensorId): LearnedClassifier {
  if (!LEARNED_SENSORS.includes(sensor))
    throw new GengbaoError(
      'bad_input',
      `no learned classifier is trained for sensor ${sensor} (only ${LEARNED_SENSORS.join(', ')}); use the rules`,
      { field: 'classifier' },
    );
  let c = loaded.get(sensor);
  if (!c) {
    const file = new URL(`./${sensor}-model.json`, import.meta.url);
    c = JSON.parse(readFileSync(file, 'utf8')) as LearnedClassifier;
    loaded.set(sensor, c);
  }
  return c;
}

/**
 * The learned classifier a run decides with: for `choice` 'learned' the sensor's shipped model,
 * for 'rules' none (null), without a choice the sensor's default (SensorProfile.classifier).
 * The CLI, the detection job and detectChanges all resolve the choice here.
 */
export function classifierFor(
  sensor: SensorId,
  choice?: 'rules' | 'learned',
): LearnedClassifier | null {
  return (choice ?? PROFILES[sensor].classifier) === 'learned' ? shippedClassifier(sensor) : null;
}

/**
 * Each sensor's model, read once per process: the same object each time, so a server's
 * detection runs on the main thread build its trees' code once (compiled-trees.ts caches by
 * classifier), not once per run.
 */
const loaded = new Map<SensorId, LearnedClassifier>();
