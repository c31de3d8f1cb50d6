/**
 * `npm run domain:detect [-- --sensor s2|rgb]`: the training dates' radiometric statistics
 * (src/detect/domain.ts) stored with the shipped model as its `domain`, without retraining:
 * each scene the model names in `trainedOn` (OSCD's cities for s2, LEVIR's samples for rgb)
 * (rgb: every LEVIR sample cut from the images it names) is run through the rules, its statistics per date taken from the run's domain report, and
 * their mean and standard deviation written into the model file (kept on one line).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectChanges } from '../src/detect/detect.ts';
import { domainReference, statNames } from '../src/detect/domain.ts';
import type { LearnedClassifier } from '../src/detect/learned/classifier.ts';
import { openScene } from '../src/raster/scene-source.ts';
import { levirImage, levirSamples, levirScene } from './levir.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.indexOf('--sensor');
const sensors = arg > 0 ? [process.argv[arg + 1] as 's2' | 'rgb'] : (['s2', 'rgb'] as const);

for (const sensor of sensors) {
  const file = join(root, 'src/detect/learned', `${sensor}-model.json`);
  const model = JSON.parse(readFileSync(file, 'utf8')) as LearnedClassifier;
  const data = resolve(root, '../shared/data', sensor === 's2' ? 'oscd' : 'levir');
  const dates: number[][] = [];
  let names: string[] = [];
  // rgb's trainedOn names LEVIR's source images; its samples are cut from them.
  const scenes =
    sensor === 's2'
      ? model.trainedOn
      : levirSamples(data).filter((s) => model.trainedOn.includes(levirImage(s)));
  for (const name of scenes) {
    const before =
      sensor === 's2' ? await openScene(join(data, name, 'before')) : levirScene(data, 'A', name);
    const after =
      sensor === 's2' ? await openScene(join(data, name, 'after')) : levirScene(data, 'B', name);
    const r = await detectChanges(before, after, { sensor, config: { learned: null } });
    await Promise.all([before.close(), after.close()]);
    const v = r.domain.vectors;
    if (!v) throw new Error(`${name}: no domain statistics`);
    names = statNames(v[0].length / 2);
    dates.push(v[0], v[1]);
    process.stderr.write(`${sensor} ${name}\n`);
  }
  model.domain = domainReference(names, dates);
  // One line, as train:detect writes it (the model files are excluded from prettier).
  writeFileSync(
    file,
    JSON.stringify(model) + (readFileSync(file, 'utf8').endsWith('\n') ? '\n' : ''),
  );
  process.stderr.write(`${sensor}: ${JSON.stringify(model.domain)}\n`);
}
