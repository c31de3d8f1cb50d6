import { Fragment } from 'react';
import type { PolygonDetail } from '../../../src/contract/types.ts';
import { useI18n } from '../i18n.ts';

/** What `analyse` recorded on the case (cases/states.ts `analysis`), as far as the page reads it. */
export interface AnalysisFact {
  totalMu?: number;
  layerMu?: Record<string, number>;
  preJudgment?: { approval?: string; onFarmland?: boolean; onPermanentBasicFarmland?: boolean };
}

/** The units a 图斑 lies in, county to village, by name (never the code). */
export function PlaceNames({ polygon }: { polygon: PolygonDetail }) {
  const order = ['county', 'township', 'village'];
  const named = polygon.places
    .filter((p) => order.includes(p.level))
    .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
  return (
    <span data-testid="place-names">
      {named.map((p, i) => (
        <span key={p.code} data-place={p.level}>
          {i > 0 && ' · '}
          {p.name}
        </span>
      ))}
    </span>
  );
}

/** The overlay's stored flags (analyze/figures.ts `Flag`, Chinese words) to their i18n keys. */
const FLAG_KEY: Record<string, string> = {
  已批: 'flag_approved',
  部分已批: 'flag_partly_approved',
  未批: 'flag_unapproved',
  占耕: 'flag_on_farmland',
  未批占耕: 'flag_unapproved_farmland',
  占永农: 'flag_on_pbf',
  占生态红线: 'flag_on_redline',
  设施农用地: 'flag_facility',
  临时用地: 'flag_temporary',
  宅基地: 'flag_homestead',
};

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The 套合 figures a reviewer decides from, in 亩: the overlay stored on the 图斑 (its export
 * columns) where there is one, else what `analyse` recorded on the case; and the pre-judgment
 * flags (预判), a lead for the field check, never a verdict.
 */
export function OverlayFigures({
  polygon,
  analysis,
}: {
  polygon: PolygonDetail;
  analysis?: AnalysisFact;
}) {
  const { t, mu, lang } = useI18n();
  const pr = polygon.properties;
  const layer = analysis?.layerMu ?? {};
  const rows: [string, number | undefined][] = [
    ['ov_total', num(pr.area_mu) ?? analysis?.totalMu],
    ['ov_farmland', num(pr.farm_mu) ?? layer.farmland],
    ['ov_pbf', num(pr.pbf_mu) ?? layer.pbf],
    ['ov_unapproved', num(pr.unappr_mu)],
    ['ov_approved', num(pr.appr_mu) ?? layer.approval],
    ['ov_redline', num(pr.red_mu) ?? layer.redline],
    ['ov_facility', num(pr.facil_mu) ?? layer.facility],
    ['ov_temporary', num(pr.temp_mu) ?? layer.temporary],
    ['ov_homestead', num(pr.home_mu) ?? layer.homestead],
  ];
  const shown = rows.filter((r): r is [string, number] => r[1] !== undefined);
  const pj = analysis?.preJudgment;
  const flags =
    typeof pr.flags === 'string' && pr.flags
      ? pr.flags
          .split(',')
          .filter(Boolean)
          .map((f) => (FLAG_KEY[f] ? t(FLAG_KEY[f]) : f))
      : pj
        ? [
            ...(pj.approval ? [t(`flag_${pj.approval}`)] : []),
            ...(pj.onFarmland ? [t('flag_on_farmland')] : []),
            ...(pj.onPermanentBasicFarmland ? [t('flag_on_pbf')] : []),
          ]
        : [];
  return (
    <section className="card" data-testid="overlay">
      <h3>{t('overlay')}</h3>
      {shown.length <= 1 && <p className="muted">{t('noOverlay')}</p>}
      {shown.length > 1 && (
        <table className="overlay-table">
          <tbody>
            {shown.map(([key, v]) => (
              <tr
                key={key}
                data-figure={key}
                className={v > 0 && key !== 'ov_total' ? 'nonzero' : ''}
              >
                <th>{t(key)}</th>
                <td>{mu(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {flags.length > 0 && (
        <p data-testid="flags">
          <span className="muted">
            {t('preJudgment')}
            {lang === 'zh' ? '：' : ': '}
          </span>
          {flags.map((f, i) => (
            <Fragment key={f}>
              {i > 0 && ' '}
              <span className="tag">{f}</span>
            </Fragment>
          ))}
        </p>
      )}
    </section>
  );
}
