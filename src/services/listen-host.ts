import { verifyPassword } from '../accounts/password.ts';
import type { Queryable } from '../store/db.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/accounts.ts';
import { findUserForLogin } from '../store/users.ts';

/** The demo accounts that still log in with the password the README publishes. */
export async function accountsWithPublishedPassword(q: Queryable): Promise<string[]> {
  const out: string[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const u = await findUserForLogin(q, a.username);
    if (u && !u.disabled && (await verifyPassword(u.passwordHash, DEMO_PASSWORD)))
      out.push(a.username);
  }
  return out;
}

export interface ListenChoice {
  host: string;
  /** Why the server listens where it does, when it is not what the operator asked or may expect. */
  note?: string;
}

/**
 * Where `gengbao start` listens. HOST when the operator set it; otherwise every interface —
 * unless accounts with the published demo password exist, because then anyone on the network
 * could log in as the administrator: the demo answers on this machine only (127.0.0.1), and
 * says how to open it up. `gengbao init` makes an installation without demo accounts.
 */
export async function chooseListenHost(
  q: Queryable,
  configured: string | undefined,
): Promise<ListenChoice> {
  if (configured) return { host: configured };
  const exposed = await accountsWithPublishedPassword(q);
  if (!exposed.length) return { host: '0.0.0.0' };
  return {
    host: '127.0.0.1',
    note:
      `演示账号（${exposed.length} 个，含 ${exposed[0]}）仍使用公开的演示密码，因此只在本机 127.0.0.1 上提供服务。` +
      `Demo accounts with the published password exist (${exposed.length}, e.g. ${exposed[0]}), so Gengbao listens on this machine only (127.0.0.1). ` +
      'Set HOST=0.0.0.0 to serve the network anyway, or set up a real installation with `gengbao init` on a new data directory.',
  };
}
