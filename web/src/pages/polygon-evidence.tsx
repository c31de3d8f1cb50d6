import { useEffect, useState } from 'react';
import type { PolygonEvent } from '../api.ts';
import { api } from '../api.ts';
import type { RecordPhoto } from '../forms/form-values.ts';
import { useI18n } from '../i18n.ts';
import { useChinaTime } from '../record/timeline.tsx';

/** A photo of the record with the action that cited it. */
export type CitedPhoto = RecordPhoto & { action: string };

/** Every GPS-stamped photo the record holds (verification, stop, enforcement, rectification …), each once. */
export function photosOf(events: readonly PolygonEvent[]): CitedPhoto[] {
  const seen = new Set<string>();
  return events.flatMap((e) => {
    const input = (e.payload.input ?? {}) as { photos?: RecordPhoto[] };
    return (input.photos ?? [])
      .filter((ph) => !seen.has(ph.sha256) && seen.add(ph.sha256))
      .map((ph) => ({ ...ph, action: String(e.payload.action ?? e.type) }));
  });
}

/** What the server says of the field evidence (GET /api/field/polygons/:id/evidence). */
interface EvidenceReply {
  submissions: { id: string; photos: { sha256: string }[] }[];
  flags: { submissionId: string | null; kind: string; photo: number }[];
}

/**
 * Field photos: each opens its original, with where and when it was taken (China time) and
 * the hash check — photos uploaded through the field app were re-hashed by the server on
 * receipt (a mismatch is flagged); others were not.
 */
export function Evidence({ polygonId, photos }: { polygonId: number; photos: CitedPhoto[] }) {
  const { t, num } = useI18n();
  const time = useChinaTime();
  const [reply, setReply] = useState<EvidenceReply | null>(null);
  const [missing, setMissing] = useState<Set<string>>(new Set());
  useEffect(() => {
    api
      .get<EvidenceReply>(`/api/field/polygons/${polygonId}/evidence`)
      .then(setReply, () => setReply({ submissions: [], flags: [] }));
  }, [polygonId]);
  if (!photos.length) return null;
  const uploaded = new Set(reply?.submissions.flatMap((s) => s.photos.map((p) => p.sha256)) ?? []);
  const flagsOf = (sha: string) =>
    (reply?.flags ?? [])
      .filter(
        (f) =>
          reply?.submissions.find((s) => s.id === f.submissionId)?.photos[f.photo]?.sha256 === sha,
      )
      .map((f) => f.kind);
  return (
    <section className="card">
      <h3>
        {t('evidence')} ({photos.length})
      </h3>
      <ul className="photos" data-testid="photos">
        {photos.map((p, i) => {
          const flags = flagsOf(p.sha256);
          const url = `/api/field/evidence/${p.sha256}`;
          const absent = missing.has(p.sha256);
          return (
            <li key={p.sha256} className="photo">
              {absent ? (
                <span className="thumb missing">{t('originalMissing')}</span>
              ) : (
                <a href={url} target="_blank" rel="noreferrer" title={t('openOriginal')}>
                  <img
                    className="thumb"
                    src={url}
                    alt={`${t('photo')} ${i + 1}`}
                    loading="lazy"
                    onError={() => setMissing((m) => new Set(m).add(p.sha256))}
                  />
                </a>
              )}
              <div>
                <b>
                  {t('photo')} {i + 1} · {t(`act_${p.action}`)}
                </b>
                <br />
                <small>
                  {t('takenAt')} {time(p.takenAt)}
                </small>
                <br />
                <small>
                  {t('takenWhere')} {num(p.lon, 5)}, {num(p.lat, 5)}
                </small>
                <br />
                <small
                  className={
                    flags.includes('hash_mismatch')
                      ? 'error'
                      : uploaded.has(p.sha256)
                        ? 'ok'
                        : 'muted'
                  }
                >
                  {flags.includes('hash_mismatch')
                    ? t('fk_hash_mismatch')
                    : uploaded.has(p.sha256)
                      ? t('hashChecked')
                      : t('hashNotChecked')}
                </small>
                {flags
                  .filter((k) => k !== 'hash_mismatch')
                  .map((k) => (
                    <small key={k} className="error">
                      {' '}
                      · {t(`fk_${k}`)}
                    </small>
                  ))}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
