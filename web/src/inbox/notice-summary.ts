import { useI18n } from '../i18n.ts';
import { hasInboxText, useInboxText } from './inbox-text.ts';
import type { Notice } from './inbox-page.tsx';

/**
 * A notice in words in the UI language: its kind, and one line of what it is about from its
 * payload — a status, a deadline, a count by its name, never the stored code ("pushed").
 * A kind or value without words reads as 通知 or is left out.
 */
export function useNoticeWords() {
  const t = useInboxText();
  const { t: tt, date } = useI18n();
  /** An app word, or nothing when the app has none for `key`. */
  const word = (key: string) => {
    const w = tt(key);
    return w === key ? '' : w;
  };
  const kind = (k: string) => (hasInboxText(`kind_${k}`) ? t(`kind_${k}`) : t('kind_other'));
  const day = (v: unknown) => (typeof v === 'string' && v ? date(v) : '');
  const summary = (n: Pick<Notice, 'kind' | 'payload'>): string => {
    const p = n.payload;
    const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    const line = (...parts: string[]) => parts.filter(Boolean).join(' · ');
    switch (n.kind) {
      case 'digest': {
        const counts = Object.entries((p.counts ?? {}) as Record<string, number>).map(
          ([k, v]) => `${kind(k)} ${v}`,
        );
        return `${str(p.day)}：${counts.join('，')}`;
      }
      case 'deadline_reminder':
      case 'deadline_escalation':
        return line(
          word(`dl_${str(p.deadline)}`),
          p.dueAt ? `${t('dueBy')} ${day(p.dueAt)}` : '',
          typeof p.overdueDays === 'number' ? t('overdueDays', { n: p.overdueDays }) : '',
        );
      case 'require_joint_review':
        return typeof p.signOffs === 'number' ? t('signOffs', { n: p.signOffs }) : '';
      case 'building_resumed':
      case 'recheck_restored':
        return p.imageryDate ? `${t('imageryOn')} ${day(p.imageryDate)}` : '';
      case 'lead_handed_over':
        return line(word(`src_${str(p.source)}`), str(p.issuingBody), str(p.docNo));
      default:
        if (n.kind.startsWith('subscription.'))
          return line(str(p.subscriptionName), str(p.code), str(p.period));
        return p.status && word(`st_${str(p.status)}`)
          ? `${t('statusNow')}${word(`st_${str(p.status)}`)}`
          : '';
    }
  };
  return { kind, summary };
}
