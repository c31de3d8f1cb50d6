/**
 * The 'auto' decision (SensorProfile.classifier, `--classifier auto`): the learned classifier
 * where the scene looks like the imagery it learned on, the rules elsewhere.
 *
 * Why: a classifier trained on one region and one camera can score far below the rules on
 * imagery of another kind. Held out, the learned rgb classifier beat the rules on LEVIR's
 * aerial pairs (F1 0.55 against 0.23) but fell to 0.39 against their 0.62 on Landsat's red,
 * green and blue, a scene it finds out of its domain (EVALUATION.md, "Held out").
 *
 * Before any window is classified, the rules' model is fitted on a sample (fit.ts; the rules
 * need no scene statistics of the classifier's) and the sample compared with the classifier's
 * training statistics (domain.ts). Out-of-domain, or values the classifier cannot read (16-bit
 * RGB for a model of 8-bit imagery), and the run decides with the rules; in-domain or
 * borderline, with the classifier. The rules go on with the model fitted here; the classifier
 * draws its own, larger sample (fit.ts LEARNED_SAMPLE), a small cost beside classifying the
 * scene.
 */
import { GengbaoError } from '../errors.ts';
import { domainReport } from './domain.ts';
import { fitModel, sampleSizeOf, type FittedModel } from './fit.ts';
import { checkLearnedFits } from './learned/features.ts';
import type { OpenedPair } from './open-pair.ts';
import type { DetectOptions } from './options.ts';
import type { DetectConfig, SensorId } from './profiles.ts';
import type { DateRadiometry } from './radiometry.ts';
import { planWindows } from './windows.ts';

export interface GateDecision {
  /** The configuration the run goes on with: `learned` kept, or null for the rules. */
  config: DetectConfig;
  /** Which decided and why, for the run's output; absent without a gate. */
  note?: string;
  /** When the rules decide: the model the gate fitted for them, which the run goes on with. */
  fitted?: FittedModel;
}

/** Decide between the learned classifier and the rules for an 'auto' run (see above). */
export async function gateByDomain(
  opened: OpenedPair,
  dates: [DateRadiometry, DateRadiometry] | null,
  config: DetectConfig,
  sensor: SensorId,
  opts: DetectOptions,
): Promise<GateDecision> {
  const learned = config.learned;
  if (!learned || !config.domainGate) return { config };
  const rules: DetectConfig = { ...config, learned: null };
  const fitted = await fitModel(
    opened,
    planWindows(opened, rules, opts),
    dates,
    rules,
    sampleSizeOf(opts, rules),
    opts.onProgress ?? ((): void => {}),
  );
  const { model, sample } = fitted;
  try {
    checkLearnedFits(learned, model, sample, `${opened.before.location}`);
  } catch (e) {
    if (!(e instanceof GengbaoError) || e.field !== 'classifier') throw e;
    return {
      config: rules,
      note: `decided by the rules: the learned classifier cannot read this scene (${e.message})`,
      fitted,
    };
  }
  const domain = domainReport(sensor, learned, model, sample);
  if (domain.verdict === 'out-of-domain')
    return {
      config: rules,
      note: `decided by the rules: the scene is out of the learned classifier's domain (${domain.distance?.toFixed(2)} training standard deviations)`,
      fitted,
    };
  return {
    config,
    note: `decided by the learned classifier: the scene is ${domain.verdict === 'unknown' ? 'of unknown domain' : domain.verdict} for it${domain.distance === undefined ? '' : ` (${domain.distance.toFixed(2)} training standard deviations)`}`,
  };
}
