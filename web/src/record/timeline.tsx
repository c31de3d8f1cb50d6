import type { PolygonDetail } from '../../../src/contract/types.ts';
import type { Bilingual } from '../../../src/contract/vocabulary.ts';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n.ts';
import { placeName } from '../place-name.tsx';
import { documentFacts, factsOf, RECORD_ENTRY_WORDS, type FactContext } from './facts.ts';

/** Record times are read in China time whatever the browser's zone (deadlines are in it too). */
export function useChinaTime() {
  const { lang } = useI18n();
  const f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (iso: string) => f.format(new Date(iso));
}

/**
 * The units the record names by code (下发 to a township, the county …) that are not among the
 * places the 图斑 lies in, by name: fetched once each (place-name.tsx), "…" while loading.
 */
function useUnitNames(polygon: PolygonDetail): { code: string; name: string }[] {
  const known = new Set(polygon.places.map((p) => p.code));
  const codes = [
    ...new Set(
      polygon.events
        .map((e) => (e.payload.input as Record<string, unknown> | undefined)?.unitCode)
        .filter((c): c is string => typeof c === 'string' && !known.has(c)),
    ),
  ].sort();
  const key = codes.join(',');
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    for (const c of key ? key.split(',') : [])
      placeName(c).then((n) => live && setNames((m) => ({ ...m, [c]: n })));
    return () => {
      live = false;
    };
  }, [key]);
  return [
    ...polygon.places,
    ...codes.map((code) => ({
      code,
      name: names[code] && names[code] !== code ? names[code] : '…',
    })),
  ];
}

/**
 * The record of a 图斑 as a timeline: when (China time), what (the action's name), the status
 * it moved to, who (name and unit, not a role or an id) and the facts entered, in words.
 */
export function Timeline({
  polygon,
  choices,
}: {
  polygon: PolygonDetail;
  choices: Record<string, Record<string, Bilingual>>;
}) {
  const { t, lang, num } = useI18n();
  const time = useChinaTime();
  const places = useUnitNames(polygon);
  const ctx: FactContext = { lang, choices, places, t, num, time };
  return (
    <>
      {polygon.personalData === 'masked' && <p className="muted small">{t('personalMasked')}</p>}
      <ol className="timeline" data-testid="timeline">
        {polygon.events.map((e) => {
          const action = String(e.payload.action ?? e.type.replace(/^polygon\./, ''));
          const from = e.payload.from as string | null | undefined;
          const to = e.payload.to as string | undefined;
          const actor = e.actorId ? polygon.actors[e.actorId] : undefined;
          // An issued document is its own entry (entity polygon_document): number, kind, hashes.
          const facts =
            e.type === 'document.issued'
              ? documentFacts(e.payload, ctx)
              : factsOf(action, (e.payload.input ?? {}) as Record<string, unknown>, ctx);
          const title = RECORD_ENTRY_WORDS[action]?.[lang] ?? t(`act_${action}`);
          return (
            <li key={e.seq} data-seq={e.seq} data-action={action}>
              <time dateTime={e.at}>{time(e.at)}</time> <b>{title}</b>
              {to && from && from !== to && (
                <span className="muted">
                  {' '}
                  {`${t(`st_${from}`)} → `}
                  {t(`st_${to}`)}
                </span>
              )}
              <small className="actor">
                {' · '}
                {actor
                  ? lang === 'zh'
                    ? `${actor.displayName}（${actor.unitName}）`
                    : `${actor.displayName} (${actor.unitName})`
                  : t('system')}
              </small>
              {facts.length > 0 && (
                <ul className="facts">
                  {facts.map((f, i) => (
                    <li key={i}>
                      <span className="muted">{f.label}</span>
                      {lang === 'zh' ? '：' : ': '}
                      {f.text}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
