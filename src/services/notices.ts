import { endOfLocalDay, dayToIso, isoToDay, localDay } from '../cases/calendar.ts';
import { GengbaoError } from '../errors.ts';
import { bboxOf } from '../geo/bbox.ts';
import { intersect, prepare } from '../geo/overlay.ts';
import { checkInputGeometry } from '../geo/validate-input.ts';
import type { Db } from '../store/db.ts';
import {
  advanceCursor,
  deleteSubscription,
  deliveriesOf,
  getCursor,
  insertDelivery,
  insertKeyedNotification,
  insertSubscription,
  maxIds,
  noticeCountsBetween,
  polygonNoticesAfter,
  polygonsAfter,
  subscriptionsMeeting,
  subscriptionsOf,
  unreadCount,
  type PolygonEventSource,
} from '../store/notices.ts';
import { getUserById, principalOf, type Principal } from '../store/users.ts';
import { assertWebhookAllowed, newWebhookSecret, type WebhookAllowList } from './webhooks.ts';

/** The events an area subscription can ask for. */
export const SUBSCRIPTION_EVENTS = ['new_polygon', 'overdue', 'resumed'] as const;
export type SubscriptionEvent = (typeof SUBSCRIPTION_EVENTS)[number];

/** Which stored notices are which subscription event (resumed building comes with the re-check). */
const NOTICE_EVENTS: Record<string, SubscriptionEvent> = {
  deadline_escalation: 'overdue',
  building_resumed: 'resumed',
};

/** China Standard Time: the digest's day. */
const CST_MINUTES = 8 * 60;

/**
 * Notices beyond the lifecycle's own: unread counts, area-of-interest subscriptions (a drawn or
 * uploaded area, the events wanted, optionally a webhook) fanned out from the store's streams
 * of new 图斑 and of notices, and the daily digest. Every notice has a key per (event,
 * subscriber), so producing it again — a retry, a second process — stores nothing twice.
 */
/** Area subscriptions one person may keep. */
export const MAX_SUBSCRIPTIONS = 50;

export class NoticeService {
  constructor(
    private readonly db: Db,
    private readonly webhookAllow: WebhookAllowList,
    private readonly now: () => Date = () => new Date(),
  ) {}

  unread(p: Principal): Promise<number> {
    return unreadCount(this.db, p);
  }

  /**
   * A new subscription of the caller: the area checked like any geometry handed in, the
   * webhook URL only on an origin the administrator allowed. The webhook's signing secret is
   * returned this once.
   */
  async subscribe(
    p: Principal,
    s: { name: string; geometry: unknown; events: SubscriptionEvent[]; webhookUrl?: string },
  ) {
    const geometry = checkInputGeometry(s.geometry, { field: 'geometry' });
    // Every new notice is matched against every subscription, and the list is one reply.
    if ((await subscriptionsOf(this.db, p.id)).length >= MAX_SUBSCRIPTIONS)
      throw new GengbaoError(
        'conflict',
        `已有 ${MAX_SUBSCRIPTIONS} 个区域订阅，请先删除不再需要的 / you already have ${MAX_SUBSCRIPTIONS} area subscriptions: delete one first`,
        { field: 'name' },
      );
    const webhookUrl = s.webhookUrl ? assertWebhookAllowed(s.webhookUrl, this.webhookAllow) : null;
    const secret = webhookUrl ? newWebhookSecret() : null;
    await this.ensureCursors();
    const sub = await insertSubscription(this.db, {
      userId: p.id,
      jurisdictionCode: p.jurisdictionCode,
      name: s.name,
      geometry,
      bbox: bboxOf(geometry),
      events: [...new Set(s.events)],
      webhookUrl,
      webhookSecret: secret,
      at: this.now(),
    });
    return { ...sub, ...(secret ? { webhookSecret: secret } : {}) };
  }

  subscriptions(p: Principal) {
    return subscriptionsOf(this.db, p.id);
  }

  async unsubscribe(p: Principal, id: number): Promise<void> {
    if (!(await deleteSubscription(this.db, p.id, id)))
      throw new GengbaoError('not_found', `no subscription ${id} of yours`, { field: 'id' });
  }

  deliveries(p: Principal) {
    return deliveriesOf(this.db, p.id);
  }

  /**
   * The streams start at what exists now: a new installation does not notify its history. A
   * stream is started once (marked, even at 0), so what comes after the first subscription on
   * an installation with no notices yet is told, not skipped as history.
   */
  private async ensureCursors(): Promise<void> {
    const max = await maxIds(this.db);
    for (const [name, id] of [
      ['sub:polygons', max.polygon],
      ['sub:notices', max.notification],
    ] as const) {
      const c = await getCursor(this.db, name);
      if (c.lastId === 0 && c.value === null) await advanceCursor(this.db, name, id, 'started');
    }
  }

  /**
   * Reads the new 图斑 and notices since the cursors and tells each subscriber whose area they
   * meet, in their jurisdiction: a keyed inbox notice and, with a webhook, a keyed delivery.
   */
  async fanOut(): Promise<{ notices: number; deliveries: number }> {
    await this.ensureCursors();
    const out = { notices: 0, deliveries: 0 };
    for (;;) {
      const { lastId } = await getCursor(this.db, 'sub:polygons');
      const page = await polygonsAfter(this.db, lastId);
      for (const e of page) await this.tell('new_polygon', `new_polygon:${e.polygonId}`, e, out);
      if (!page.length) break;
      await advanceCursor(this.db, 'sub:polygons', page.at(-1)!.id);
    }
    for (;;) {
      const { lastId } = await getCursor(this.db, 'sub:notices');
      const page = await polygonNoticesAfter(this.db, lastId, Object.keys(NOTICE_EVENTS));
      for (const e of page)
        await this.tell(
          NOTICE_EVENTS[e.noticeKind],
          `${NOTICE_EVENTS[e.noticeKind]}:${e.id}`,
          e,
          out,
        );
      if (!page.length) {
        // Nothing of interest: skip over whatever else was stored meanwhile.
        const max = await maxIds(this.db);
        if (max.notification > lastId)
          await advanceCursor(this.db, 'sub:notices', max.notification);
        break;
      }
      await advanceCursor(this.db, 'sub:notices', page.at(-1)!.id);
    }
    return out;
  }

  private async tell(
    event: SubscriptionEvent,
    eventKey: string,
    e: PolygonEventSource,
    out: { notices: number; deliveries: number },
  ): Promise<void> {
    const shape = prepare(e.geometry);
    for (const sub of await subscriptionsMeeting(this.db, event, e.bbox)) {
      // A subscriber hears only of 图斑 in their own jurisdiction, whatever area they drew.
      const user = await getUserById(this.db, sub.userId);
      if (!user || user.disabled || !principalOf(user).scope.covers(e.jurisdictionCode)) continue;
      if (!sub.geometry || !intersect(prepare(sub.geometry as never), shape)) continue;
      const payload = {
        event,
        subscription: sub.id,
        subscriptionName: sub.name,
        polygon: e.polygonId,
        code: e.code,
        period: e.period,
        source: e.source,
        jurisdictionCode: e.jurisdictionCode,
      };
      const at = this.now();
      if (
        await insertKeyedNotification(this.db, {
          key: `sub:${sub.id}:${eventKey}`,
          userId: sub.userId,
          jurisdictionCode: e.jurisdictionCode,
          polygonId: e.polygonId,
          kind: `subscription.${event}`,
          payload,
          at,
        })
      )
        out.notices++;
      if (
        sub.webhookUrl &&
        (await insertDelivery(this.db, {
          subscriptionId: sub.id,
          eventKey,
          url: sub.webhookUrl,
          body: { ...payload, key: eventKey, at: at.toISOString() },
          at,
        }))
      )
        out.deliveries++;
    }
  }

  /**
   * The daily digest: for each user who got notices on a China-time day, one stored notice
   * counting them by kind. Run for yesterday once today has begun; keyed per user and day.
   */
  async digest(day?: string): Promise<{ day: string; users: number }> {
    const nowMs = this.now().getTime();
    const target = day ?? dayToIso(localDay(nowMs, CST_MINUTES) - 1);
    if (!day && (await getCursor(this.db, 'digest')).value === target)
      return { day: target, users: 0 };
    const d = isoToDay(target);
    const from = new Date(endOfLocalDay(d - 1, CST_MINUTES) + 1);
    const to = new Date(endOfLocalDay(d, CST_MINUTES) + 1);
    const byUser = new Map<
      number,
      { jurisdictionCode: string; counts: Record<string, number>; total: number }
    >();
    for (const r of await noticeCountsBetween(this.db, from, to)) {
      const u = byUser.get(r.userId) ?? {
        jurisdictionCode: r.jurisdictionCode,
        counts: {},
        total: 0,
      };
      u.counts[r.kind] = r.n;
      u.total += r.n;
      byUser.set(r.userId, u);
    }
    let users = 0;
    for (const [userId, u] of byUser)
      if (
        await insertKeyedNotification(this.db, {
          key: `digest:${userId}:${target}`,
          userId,
          jurisdictionCode: u.jurisdictionCode,
          polygonId: null,
          kind: 'digest',
          payload: { day: target, counts: u.counts, total: u.total },
          at: this.now(),
        })
      )
        users++;
    if (!day) await advanceCursor(this.db, 'digest', 0, target);
    return { day: target, users };
  }
}
