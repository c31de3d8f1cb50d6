import { randomInt } from 'node:crypto';
import { hashPassword } from '../accounts/password.ts';
import { checkNewPassword } from '../accounts/password-policy.ts';
import { GengbaoError } from '../errors.ts';
import type { JurisdictionLevel } from '../grid/index.ts';
import type { Db } from '../store/db.ts';
import { countUsers } from '../store/installation.ts';
import { getJurisdiction, insertJurisdictions } from '../store/jurisdictions.ts';
import { Scope } from '../store/scope.ts';
import { insertUser } from '../store/users.ts';

/** Characters of generated passwords: no 0/O, 1/l/I, so one read off a screen is typed right. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#%+=@';

/** A random password of `length` that passes the password rules (about 5.9 bits a character). */
export function generatePassword(length = 16): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
    try {
      checkNewPassword(out);
      return out;
    } catch {
      // Too few kinds of character by chance: draw again.
    }
  }
}

export interface FirstAdministrator {
  jurisdictionCode: string;
  jurisdictionName: string;
  level: JurisdictionLevel;
  username: string;
  /** Absent: one is generated and returned once. */
  password?: string;
}

/**
 * `gengbao init`: a real installation's first step. Creates the top unit of the bureau's grid
 * (province, city or county) and its first administrator, with a generated password shown once
 * — and no demo data, so no account has the published demo password. Refused once any account
 * exists: an installation is initialised once, later accounts are created by the administrator.
 */
export async function initInstallation(
  db: Db,
  first: FirstAdministrator,
): Promise<{ username: string; password: string; generated: boolean }> {
  const password = first.password ?? generatePassword();
  checkNewPassword(password, first.username);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    if ((await countUsers(tx)) > 0) {
      throw new GengbaoError(
        'conflict',
        '已初始化：数据库中已有账号，后续账号由管理员在系统中创建。Already initialised: accounts exist; the administrator creates further accounts.',
      );
    }
    const system = Scope.system();
    if (!(await getJurisdiction(tx, system, first.jurisdictionCode))) {
      await insertJurisdictions(tx, system, [
        {
          code: first.jurisdictionCode,
          level: first.level,
          parentCode: null,
          name: first.jurisdictionName,
          geometry: null,
          meta: { initialisedBy: 'gengbao init' },
        },
      ]);
    }
    await insertUser(tx, system, {
      username: first.username,
      displayName: '系统管理员',
      passwordHash,
      role: 'admin',
      jurisdictionCode: first.jurisdictionCode,
    });
  });
  return { username: first.username, password, generated: first.password === undefined };
}
