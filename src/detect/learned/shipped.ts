import { readFileSync } from 'node:fs';
import { GengbaoError } from '../../errors.ts';
import { PROFILES, type ClassifierChoice, type SensorId } from '../profiles.ts';
import type { LearnedClassifier } from './classifier.ts';

/** Sensors a learned classifier is trained for (`npm run train:detect` writes each). */
export const LEARNED_SENSORS: readonly SensorId[] = ['s2', 'rgb'];

/**
 * The learned classifier shipped for a sensor: s2 trained on OSCD's cities, rgb on the LEVIR
 * samples. Read from the file on use: runs of the other sensors never need it.
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
 * The learned classifier a run decides with: for `choice` 'learned' or 'auto' the sensor's
 * shipped model, for 'rules' none (null), without a choice the sensor's default
 * (SensorProfile.classifier). The CLI, the detection job and detectChanges all resolve the
 * choice here (and whether the domain gates it: gatedByDomain).
 */
export function classifierFor(
  sensor: SensorId,
  choice?: ClassifierChoice,
): LearnedClassifier | null {
  const c = choice ?? PROFILES[sensor].classifier;
  // 'auto' on a sensor no classifier is trained for is the rules; 'learned' is refused.
  if (c === 'rules' || (c === 'auto' && !LEARNED_SENSORS.includes(sensor))) return null;
  return shippedClassifier(sensor);
}

/** Whether a run with `choice` (absent: the sensor's default) is 'auto' (DetectConfig.domainGate). */
export function gatedByDomain(sensor: SensorId, choice?: ClassifierChoice): boolean {
  return (choice ?? PROFILES[sensor].classifier) === 'auto';
}

/**
 * Each sensor's model, read once per process: the same object each time, so a server's
 * detection runs on the main thread build its trees' code once (compiled-trees.ts caches by
 * classifier), not once per run.
 */
const loaded = new Map<SensorId, LearnedClassifier>();
