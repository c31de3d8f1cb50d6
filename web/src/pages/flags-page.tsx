import { useEffect, useState } from 'react';
import { api, qs } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { linkTo } from '../router.ts';
import { useDeskText } from './desk-text.ts';

interface FlagItem {
  id: number;
  polygonId: number;
  code: string;
  kind: string;
  photo: number | null;
  detail: Record<string, unknown>;
  at: string;
  sha256: string | null;
  by: string | null;
}

const KINDS = ['hash_mismatch', 'too_far', 'outside_window', 'low_accuracy'];

/**
 * 举证异常: field photos the server's checks flagged (hash differs from the one taken at
 * capture, taken too far from the 图斑, outside the task window, poor GPS), newest first, each
 * with its 图斑 and the photo itself. The server's message is in English for logs: the page
 * says what happened in its own words from the flag's kind and figures.
 */
export function FlagsPage() {
  const t = useDeskText();
  const { t: tt, dateTime, num } = useI18n();
  const [kind, setKind] = useState('');
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; items: FlagItem[] } | null>(null);
  useEffect(() => {
    setData(null);
    api
      .get<{ total: number; items: FlagItem[] }>(
        `/api/field/flags/items${qs({ kind, limit: PAGE_SIZE, offset: page * PAGE_SIZE })}`,
      )
      .then(setData, () => setData({ total: 0, items: [] }));
  }, [kind, page]);
  const figure = (f: FlagItem) => {
    const d = f.detail;
    if (typeof d.distanceM === 'number') return t('distance', { m: num(Math.round(d.distanceM)) });
    if (typeof d.accuracyM === 'number') return t('accuracy', { m: num(Math.round(d.accuracyM)) });
    if (typeof d.takenAt === 'string') return dateTime(d.takenAt);
    return '';
  };
  return (
    <div data-testid="flags-page">
      <div className="filters">
        <label>
          {t('flagKind')}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setPage(0);
            }}
          >
            <option value="">{t('all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {tt(`fk_${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!data && <p className="muted">…</p>}
      {data && data.total === 0 && <p className="muted">{t('none')}</p>}
      {data && data.total > 0 && (
        <>
          <table className="list">
            <thead>
              <tr>
                <th>{t('flagAt')}</th>
                <th>{t('code')}</th>
                <th>{t('flagKind')}</th>
                <th>{t('detail')}</th>
                <th>{t('by')}</th>
                <th>{t('photo')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((f) => (
                <tr key={f.id}>
                  <td>{dateTime(f.at)}</td>
                  <td>
                    <a {...linkTo(`/polygons/${f.polygonId}`)}>{f.code}</a>
                  </td>
                  <td>
                    <span className="status st-returned">{tt(`fk_${f.kind}`)}</span>
                  </td>
                  <td>{figure(f)}</td>
                  <td>{f.by ?? ''}</td>
                  <td>
                    {f.sha256 ? (
                      <a href={`/api/field/evidence/${f.sha256}`} target="_blank" rel="noreferrer">
                        {t('photoN', { n: (f.photo ?? 0) + 1 })}
                      </a>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={data.total} page={page} onPage={setPage} />
        </>
      )}
    </div>
  );
}
