import { useState } from 'react';
import { useI18n } from '../i18n.ts';

/**
 * The detection chips (before / after, cut around the 图斑 by the detection run) of a detected
 * 图斑, side by side. 图斑 from other sources, or loaded without chips, have none: the card then
 * stays away rather than showing two broken images.
 */
export function DetectionChips({ polygonId }: { polygonId: number }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(0);
  if (failed >= 2) return null;
  const chip = (which: 'before' | 'after') => (
    <figure key={which} className="chip">
      <img
        src={`/api/polygons/${polygonId}/chips/${which}.png`}
        alt={t(which)}
        onError={() => setFailed((n) => n + 1)}
      />
      <figcaption>{t(which)}</figcaption>
    </figure>
  );
  return (
    <section className="card" data-testid="chips" hidden={failed > 0}>
      <h3>{t('chips')}</h3>
      <div className="chips">{[chip('before'), chip('after')]}</div>
    </section>
  );
}
