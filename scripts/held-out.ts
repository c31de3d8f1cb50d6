/**
 * The held-out part of `npm run eval:detect`: every configuration considered for a sensor's
 * default, each scene scored with nothing learned, tuned or gated on its source, so the
 * defaults (src/detect/profiles.ts) are chosen on data they never saw.
 *
 * A source is one independent acquisition: an OSCD city (its own Sentinel-2 tile, dates and
 * ground), a LEVIR source image (two samples cut from one image are held out together), the
 * Nanjing Landsat scene. ../shared/data holds one dataset per sensor, so leaving a dataset
 * out would leave a sensor's configuration nothing of its kind to learn from; sources within
 * it are the finest units that share nothing. For each configuration:
 *
 * - rules: the settings picked from a sweep (RULE_SWEEPS) by the mean F1 of the OTHER sources;
 * - learned: the model (and its cut-off) `npm run train:detect` trained without the source;
 * - auto (gate.ts): the learned model where the scene is not out-of-domain for it, judged
 *   against the radiometric statistics of the OTHER sources' dates (domain.ts), else the rules
 *   as above.
 */
import {
  BORDERLINE,
  dateDistance,
  domainReference,
  IN_DOMAIN,
  statNames,
} from '../src/detect/domain.ts';
import type { DetectConfig } from '../src/detect/profiles.ts';

/** A setting of the rules a sweep tries, with its name in the tables. */
export interface RuleSetting {
  name: string;
  config: Partial<DetectConfig>;
}

/**
 * The settings swept for each sensor's rules: the values the shipped settings were picked from
 * (src/detect/README.md), so that choosing among them without a source is what choosing them
 * was, less that source.
 */
export const RULE_SWEEPS: Record<'s2' | 'rgb', RuleSetting[]> = {
  s2: [3, 3.5, 4, 4.5, 5].flatMap((minZ) =>
    [true, false].map((on) => ({
      name: `z ≥ ${minZ}, seasonal and greening rules ${on ? 'on' : 'off'}`,
      config: { minZ, rejectGreening: on, rejectSeasonal: on },
    })),
  ),
  rgb: [0.5, 1, 1.5, 2, 3].flatMap((minZ) =>
    (['otsu', 'ki'] as const).map((threshold) => ({
      name: `z ≥ ${minZ}, ${threshold === 'otsu' ? 'Otsu' : 'Kittler–Illingworth'}`,
      config: { minZ, threshold },
    })),
  ),
};

/** One scene's scores under every configuration, and what the gate needs of it. */
export interface HeldOutScene {
  scene: string;
  /** The source it belongs to: scenes of one source are held out together. */
  source: string;
  /** F1 of each RULE_SWEEPS setting, in order. */
  sweep: number[];
  /** F1 of the model trained without the source (undefined: train:detect has not written it). */
  learned?: number;
  /** F1 of CVA + Otsu (reference_cva.py) on the same files. */
  reference?: number;
  /** The scene's radiometric statistics per date (domain.ts), from a rules run. */
  vectors?: number[][];
}

export interface HeldOutRow {
  scene: string;
  rules: number;
  /** The rules setting picked without the scene's source. */
  setting: string;
  learned?: number;
  /** Domain verdict against the other sources, and what 'auto' scored with it. */
  verdict?: string;
  distance?: number;
  auto?: number;
  reference?: number;
}

/** The mean of `xs` (0 for none). */
export const mean = (xs: number[]): number =>
  xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Each scene scored by every configuration with its own source left out. */
export function heldOut(scenes: HeldOutScene[], sweep: RuleSetting[]): HeldOutRow[] {
  return scenes.map((s) => {
    const others = scenes.filter((o) => o.source !== s.source);
    const best = sweep
      .map((_, k) => mean(others.map((o) => o.sweep[k])))
      .reduce((b, m, k, all) => (m > all[b] ? k : b), 0);
    const row: HeldOutRow = {
      scene: s.scene,
      rules: s.sweep[best],
      setting: sweep[best].name,
      learned: s.learned,
      reference: s.reference,
    };
    const dated = others.filter((o) => o.vectors);
    if (s.vectors && dated.length > 0 && s.learned !== undefined) {
      const ref = domainReference(
        statNames(s.vectors[0].length / 2),
        dated.flatMap((o) => o.vectors!),
      );
      const d = Math.max(...s.vectors.map((v) => dateDistance(ref, v).distance));
      row.distance = d;
      row.verdict = d <= IN_DOMAIN ? 'in-domain' : d <= BORDERLINE ? 'borderline' : 'out-of-domain';
      row.auto = row.verdict === 'out-of-domain' ? row.rules : s.learned;
    }
    return row;
  });
}

export type Configuration = 'rules' | 'learned' | 'auto';

/** Mean F1 of a configuration over the rows, and how many scenes it beats CVA + Otsu on. */
export function summarise(
  rows: HeldOutRow[],
  c: Configuration,
): { mean: number; wins: number; scored: number } | undefined {
  const f1 = rows.map((r) => r[c]);
  if (f1.some((x) => x === undefined)) return undefined;
  const xs = f1 as number[];
  return {
    mean: mean(xs),
    wins: rows.filter((r, i) => r.reference !== undefined && xs[i] > r.reference).length,
    scored: rows.filter((r) => r.reference !== undefined).length,
  };
}

const CONFIGURATION_NAMES: Record<Configuration, string> = {
  rules: 'rules, settings picked without the source',
  learned: 'learned, trained without the source',
  auto: 'auto: learned unless out of its domain, else the rules',
};

/**
 * The held-out section's tables: per sensor and configuration the mean F1 against CVA +
 * Otsu's, with the default marked; then each scene.
 */
export function heldOutTables(
  sets: {
    sensor: string;
    source: string;
    rows: HeldOutRow[];
    defaultIs: Configuration;
  }[],
): string[] {
  const fmt = (x?: number): string => (x === undefined ? '—' : x.toFixed(3));
  const out = [
    '| sensor | source (held out by) | scenes | configuration | mean F1 held out | mean F1 CVA + Otsu | scenes it beats CVA + Otsu on | |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const set of sets) {
    const ref = mean(set.rows.map((r) => r.reference ?? 0));
    for (const c of ['rules', 'learned', 'auto'] as const) {
      const s = summarise(set.rows, c);
      if (!s) continue;
      const isDefault = c === set.defaultIs;
      out.push(
        `| ${set.sensor} | ${set.source} | ${set.rows.length} | ${CONFIGURATION_NAMES[c]} | ${isDefault ? `**${fmt(s.mean)}**` : fmt(s.mean)} | ${fmt(ref)} | ${s.wins} of ${s.scored} | ${isDefault ? '**the default**' : ''} |`,
      );
    }
  }
  for (const set of sets) {
    out.push(
      '',
      `### ${set.sensor}: ${set.source}, each scene held out`,
      '',
      '| scene | rules | rules setting picked without it | learned | domain (against the other sources) | auto | CVA + Otsu |',
      '|---|---|---|---|---|---|---|',
    );
    for (const r of set.rows)
      out.push(
        `| ${r.scene} | ${fmt(r.rules)} | ${r.setting} | ${fmt(r.learned)} | ${r.verdict ? `${r.verdict} (${r.distance!.toFixed(2)})` : '—'} | ${fmt(r.auto)} | ${fmt(r.reference)} |`,
      );
  }
  return out;
}
