import { GengbaoError } from '../errors.ts';
import type { Queryable } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import type { Scope } from '../store/scope.ts';
import { getUserById, type Principal, type User } from '../store/users.ts';

/**
 * Disables or re-enables an account inside the administrator's jurisdiction. Accounts are never
 * deleted: their names stay on the record's steps. A disabled account cannot log in, and its
 * sessions and tokens stop working at the next request (services/auth.ts). The change is
 * appended to the hash-chained record, as every change of who may act is.
 */
export async function setUserDisabled(
  q: Queryable,
  scope: Scope,
  admin: Principal,
  id: number,
  disabled: boolean,
  now: Date,
): Promise<User> {
  if (admin.role !== 'admin')
    throw new GengbaoError(
      'forbidden',
      '只有管理员可以停用账号 / only an administrator may disable accounts',
    );
  if (id === admin.id && disabled)
    throw new GengbaoError(
      'bad_input',
      '不能停用自己的账号 / you cannot disable your own account',
      { field: 'id' },
    );
  const user = await getUserById(q, id);
  if (!user || !scope.covers(user.jurisdictionCode))
    throw new GengbaoError('not_found', `no user ${id} in your jurisdiction`, { field: 'id' });
  await q.query('UPDATE users SET disabled = $2 WHERE id = $1', [id, disabled]);
  await appendEvents(q, scope, [
    {
      actorId: admin.id,
      entityType: 'user',
      entityId: String(id),
      jurisdictionCode: user.jurisdictionCode,
      type: disabled ? 'user_disabled' : 'user_enabled',
      payload: { username: user.username },
      at: now,
    },
  ]);
  return (await getUserById(q, id))!;
}
