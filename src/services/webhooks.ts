import { createHmac, randomBytes } from 'node:crypto';
import { GengbaoError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { finishDelivery, subscriptionSecret, takeDueDeliveries } from '../store/notices.ts';
import { parseHttpList } from './http-list.ts';

/**
 * Outbound webhooks, so a bureau can wire SMS or its messaging platform to Gengbao's notices.
 * A webhook URL is never whatever a user types: its origin must be one an administrator listed
 * in GENGBAO_WEBHOOK_ALLOW (otherwise a user could make the server call any internal service).
 * Each body is signed with the subscription's own secret (HMAC-SHA256 over `timestamp.body`),
 * each (event, subscriber) is one stored delivery that retries reuse — so a receiver that
 * dedupes on X-Gengbao-Delivery acts once — and failures back off exponentially.
 */
export interface WebhookAllowList {
  /** `https://host[:port]` origins, as URL.origin writes them. */
  origins: string[];
}

export const NO_WEBHOOKS_ALLOWED: WebhookAllowList = { origins: [] };

export function parseWebhookAllow(text: string | undefined): WebhookAllowList {
  const origins = parseHttpList(text, 'GENGBAO_WEBHOOK_ALLOW', 'origin').map(
    ({ url }) => url.origin,
  );
  return { origins };
}

/** A webhook URL checked against the allow-list (no user name or password in it either). */
export function assertWebhookAllowed(
  url: string,
  allow: WebhookAllowList,
  field = 'webhookUrl',
): string {
  let u: URL | null = null;
  try {
    u = new URL(url);
  } catch {
    /* refused below */
  }
  if (!u || u.username || u.password || !allow.origins.includes(u.origin))
    throw new GengbaoError(
      'forbidden',
      '推送地址不在管理员允许的范围内：请管理员把其主机加入 GENGBAO_WEBHOOK_ALLOW / this webhook URL is not allowed: ask an administrator to add its origin to GENGBAO_WEBHOOK_ALLOW',
      { field },
    );
  return u.toString();
}

export const newWebhookSecret = () => randomBytes(32).toString('hex');

/** The signature header's value: `sha256=` HMAC-SHA256 of `${timestamp}.${body}` under the secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookPolicy {
  /** First retry after this; each next one twice as long, at most an hour. */
  baseDelayMs: number;
  /** Attempts in all before a delivery is marked failed. */
  maxAttempts: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  baseDelayMs: 30_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
};

/** Sends the deliveries that are due; safe in several processes (each is leased to one). */
export class WebhookSender {
  constructor(
    private readonly db: Db,
    private readonly allow: WebhookAllowList,
    private readonly now: () => Date = () => new Date(),
    private readonly policy: WebhookPolicy = DEFAULT_WEBHOOK_POLICY,
  ) {}

  async deliverDue(): Promise<{ delivered: number; failed: number }> {
    const at = this.now();
    const due = await takeDueDeliveries(
      this.db,
      at,
      new Date(at.getTime() + this.policy.timeoutMs * 2),
    );
    let delivered = 0;
    let failed = 0;
    for (const d of due) {
      const error = await this.send(d.id, d.subscriptionId, d.url, d.eventKey, d.body).catch(
        (e: Error) => e.message,
      );
      if (error === null) {
        delivered++;
        await finishDelivery(this.db, d.id, { delivered: true, at: this.now() });
      } else {
        failed++;
        const last = d.attempts + 1 >= this.policy.maxAttempts;
        const delay = Math.min(this.policy.baseDelayMs * 2 ** d.attempts, 3600_000);
        await finishDelivery(this.db, d.id, {
          delivered: false,
          error,
          nextAt: last ? null : new Date(this.now().getTime() + delay),
        });
      }
    }
    return { delivered, failed };
  }

  /** One attempt; null when the receiver answered 2xx, else what went wrong. */
  private async send(
    id: number,
    subscriptionId: number,
    url: string,
    eventKey: string,
    body: Record<string, unknown>,
  ): Promise<string | null> {
    // Checked again at sending: the administrator may have taken the origin off the list since.
    assertWebhookAllowed(url, this.allow);
    const secret = await subscriptionSecret(this.db, subscriptionId);
    if (!secret) return 'the subscription has no secret';
    const text = JSON.stringify(body);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual', // a redirect could lead off the allowed origin
      signal: AbortSignal.timeout(this.policy.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Gengbao-Webhook',
        'x-gengbao-delivery': eventKey,
        'x-gengbao-delivery-id': String(id),
        'x-gengbao-timestamp': timestamp,
        'x-gengbao-signature': signWebhook(secret, timestamp, text),
      },
      body: text,
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
  }
}
