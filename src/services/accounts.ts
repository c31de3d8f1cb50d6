import { hashPassword } from '../accounts/password.ts';
import { checkNewPassword } from '../accounts/password-policy.ts';
import type { Db } from '../store/db.ts';
import type { Scope } from '../store/scope.ts';
import { insertUser, type NewUser, type User } from '../store/users.ts';

export type NewAccount = Omit<NewUser, 'passwordHash'> & { password: string };

/**
 * Accounts, created the same way from the office app (an administrator, inside their
 * jurisdiction) and from `gengbao user add` (the machine's operator): the password must pass
 * the password rules, is stored only as its argon2id hash, and the account's jurisdiction must
 * lie inside the creator's scope.
 */
export class AccountService {
  constructor(private readonly db: Db) {}

  async create(scope: Scope, account: NewAccount): Promise<User> {
    const { password, ...rest } = account;
    checkNewPassword(password, account.username);
    const passwordHash = await hashPassword(password);
    return this.db.transaction((tx) => insertUser(tx, scope, { ...rest, passwordHash }));
  }
}
