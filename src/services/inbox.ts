import { inboxOf, markRead } from '../store/cases.ts';
import type { Db } from '../store/db.ts';
import type { KeyValue } from '../store/keyset.ts';
import type { Principal } from '../store/users.ts';

/** A user's inbox: the notices the lifecycle sent to them and to their unit. */
export class InboxService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Newest first, a page at a time: `after` is the last row's key (created at, id). */
  async list(
    p: Principal,
    opts: { unreadOnly?: boolean; limit?: number; after?: KeyValue[] } = {},
  ) {
    return inboxOf(this.db, p, opts);
  }

  /** Marks notices read; returns how many were this user's to mark. */
  async markRead(p: Principal, ids: number[]): Promise<number> {
    return markRead(this.db, p, ids, this.now());
  }
}
