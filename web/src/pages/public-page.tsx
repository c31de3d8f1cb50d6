import { useEffect, useState } from 'react';
import './desk.css';
import { qs } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PAGE_SIZE, Pager } from '../pager.tsx';
import { linkTo } from '../router.ts';
import { useDeskText } from './desk-text.ts';

interface Notice {
  polygonId: string;
  caseNo: string;
  decisionNo: string;
  parties: { kind: string; name: string }[];
  areaMu?: number;
  measures: { kind: string; amountYuan?: number }[];
  closedAt: string;
  summary: string;
}
interface Publication {
  polygonId: number;
  jurisdictionCode: string;
  notice: Notice;
  publishedAt: string;
}

/** County names for the public list: the public region's outlines carry them (no login needed). */
function useCountyNames(): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    fetch('/api/public/region')
      .then(
        (r) => r.json() as Promise<{ features: { properties: { code: string; name: string } }[] }>,
      )
      .then((fc) =>
        setNames(
          Object.fromEntries(fc.features.map((f) => [f.properties.code, f.properties.name])),
        ),
      )
      .catch(() => undefined);
  }, []);
  return names;
}

/**
 * 执法公示, for anyone without logging in: the closed cases a bureau published, personal data
 * already masked by the server, newest first and paged; with the way to send a tip and to
 * follow one by its receipt.
 */
export function PublicPage({ loggedIn }: { loggedIn: boolean }) {
  const t = useDeskText();
  const { lang, setLang, t: tt, date, mu, num } = useI18n();
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; items: Publication[] } | null>(null);
  const [receipt, setReceipt] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const counties = useCountyNames();
  useEffect(() => {
    fetch(`/api/public/cases${qs({ limit: PAGE_SIZE, offset: page * PAGE_SIZE })}`)
      .then((r) => r.json() as Promise<{ total: number; items: Publication[] }>)
      .then(setData, () => setData({ total: 0, items: [] }));
  }, [page]);
  const look = async (e: React.FormEvent) => {
    e.preventDefault();
    const res = await fetch(`/api/public/tips/${encodeURIComponent(receipt.trim())}`);
    if (!res.ok) return setStatus(lang === 'zh' ? '未找到该回执编号' : 'No tip with that receipt');
    const s = (await res.json()) as { status: string; createdAt: string };
    setStatus(`${date(s.createdAt)} · ${t(`ls_${s.status}`)}`);
  };
  const measure = (m: { kind: string; amountYuan?: number }) =>
    t(`m_${m.kind}`) +
    (m.amountYuan ? ` ${num(m.amountYuan)} ${lang === 'zh' ? '元' : 'yuan'}` : '');
  return (
    <div className="public-page" data-testid="public-page">
      <header className="topbar">
        <span className="brand">
          {tt('appName')} <small>{t('publicTitle')}</small>
        </span>
        <nav>
          <a href="/tip">{t('tipLink')}</a>
          {!loggedIn && <a {...linkTo('/')}>{t('loginLink')}</a>}
        </nav>
        <button className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {tt('language')}
        </button>
      </header>
      <div className="page">
        <h2>{t('publicTitle')}</h2>
        <p className="muted">{t('publicIntro')}</p>
        {data && data.total === 0 && <p className="muted">{t('none')}</p>}
        {data && data.total > 0 && (
          <>
            <div className="notices">
              {data.items.map((p) => (
                <article key={p.polygonId} className="card notice" data-testid="public-notice">
                  <h3>
                    {counties[p.jurisdictionCode.slice(0, 6)] ?? ''} · {p.notice.decisionNo}
                  </h3>
                  <dl>
                    <dt>{t('caseNo')}</dt>
                    <dd>{p.notice.caseNo}</dd>
                    <dt>{t('parties')}</dt>
                    <dd>{p.notice.parties.map((x) => x.name).join('、')}</dd>
                    {p.notice.areaMu !== undefined && (
                      <>
                        <dt>{t('areaMu')}</dt>
                        <dd>{mu(p.notice.areaMu)}</dd>
                      </>
                    )}
                    <dt>{t('measures')}</dt>
                    <dd>{p.notice.measures.map(measure).join('、')}</dd>
                    <dt>{t('closedAt')}</dt>
                    <dd>{date(p.notice.closedAt)}</dd>
                    <dt>{t('publishedAt')}</dt>
                    <dd>{date(p.publishedAt)}</dd>
                  </dl>
                  <p>{p.notice.summary}</p>
                </article>
              ))}
            </div>
            <Pager total={data.total} page={page} onPage={setPage} size={PAGE_SIZE} />
          </>
        )}
        <section className="card receipt-lookup">
          <h3>{t('receiptLink')}</h3>
          <form onSubmit={look} className="row">
            <input
              value={receipt}
              onChange={(e) => setReceipt(e.target.value)}
              placeholder={t('receipt')}
              required
              minLength={6}
              data-testid="receipt-input"
            />
            <button type="submit">{lang === 'zh' ? '查询' : 'Look up'}</button>
          </form>
          {status && <p data-testid="receipt-status">{status}</p>}
        </section>
      </div>
    </div>
  );
}
