import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.ts';

/** This component's words (kept here, not in the shared dictionary): Chinese first. */
const TEXT = {
  title: { zh: '执法文书与档案', en: 'Enforcement documents and dossier' },
  dossier: { zh: '下载图斑档案（PDF）', en: 'Download the dossier (PDF)' },
  issued: { zh: '已签发文书', en: 'Issued documents' },
  none: { zh: '尚未签发文书。', en: 'No document issued yet.' },
  issue: { zh: '签发', en: 'Issue' },
  docx: { zh: 'Word', en: 'docx' },
  hash: { zh: '记录', en: 'record' },
} as const;

interface IssuedDocument {
  id: number;
  kind: string;
  title: string;
  number: string;
  pdfSha256: string;
  docxSha256: string | null;
  issuedAt: string;
  eventSeq: number | null;
}
interface KindView {
  kind: string;
  label: string;
}

/**
 * The 图斑's paper: the dossier (图斑档案) as PDF, the enforcement documents issued on its case
 * (PDF, docx to edit, each with its record entry), and a button per kind of document. The
 * server decides who may issue what and when; its refusal is shown as it comes.
 */
export function CasePaper({ polygonId }: { polygonId: number }) {
  const { lang } = useI18n();
  const tx = (k: keyof typeof TEXT) => TEXT[k][lang];
  const [docs, setDocs] = useState<IssuedDocument[]>([]);
  const [kinds, setKinds] = useState<KindView[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .get<{ items: IssuedDocument[] }>(`/api/polygons/${polygonId}/documents`)
      .then((r) => setDocs(r.items))
      .catch(() => setDocs([]));
  }, [polygonId]);
  useEffect(() => {
    load();
    api
      .get<{ kinds: KindView[] }>('/api/documents/templates')
      .then((r) => setKinds(r.kinds))
      .catch(() => setKinds([]));
  }, [load]);

  async function issue(kind: string) {
    setBusy(true);
    setMessage(null);
    try {
      const d = await api.post<IssuedDocument>(`/api/polygons/${polygonId}/documents`, { kind });
      setMessage(`${d.title} ${d.number}`);
      load();
    } catch (e) {
      // "中文 / English": the half in the page's language.
      const text = e instanceof ApiError ? e.message : String(e);
      const [zh, en] = text.split(' / ');
      setMessage(lang === 'en' && en ? en : zh);
    } finally {
      setBusy(false);
    }
  }

  const file = (d: IssuedDocument, format: 'pdf' | 'docx') =>
    `/api/polygons/${polygonId}/documents/${d.id}/file?format=${format}`;
  return (
    <section className="card" data-testid="case-paper">
      <h3>{tx('title')}</h3>
      <p>
        <a href={`/api/polygons/${polygonId}/dossier.pdf`} download data-testid="dossier-download">
          {tx('dossier')}
        </a>
      </p>
      <h4>{tx('issued')}</h4>
      {docs.length === 0 && <p className="muted">{tx('none')}</p>}
      <ul data-testid="issued-documents">
        {docs.map((d) => (
          <li key={d.id} data-kind={d.kind}>
            <a href={file(d, 'pdf')} download>
              {d.title} {d.number}
            </a>
            {d.docxSha256 && (
              <>
                {' · '}
                <a href={file(d, 'docx')} download>
                  {tx('docx')}
                </a>
              </>
            )}
            <span className="muted" title={d.pdfSha256}>
              {' '}
              · {tx('hash')} #{d.eventSeq} · SHA-256 {d.pdfSha256.slice(0, 12)}…
            </span>
          </li>
        ))}
      </ul>
      <div className="actions">
        {kinds.map((k) => (
          <button
            key={k.kind}
            data-document={k.kind}
            disabled={busy}
            onClick={() => void issue(k.kind)}
          >
            {tx('issue')} {k.label}
          </button>
        ))}
      </div>
      {message && (
        <p className="muted" data-testid="document-message">
          {message}
        </p>
      )}
    </section>
  );
}
