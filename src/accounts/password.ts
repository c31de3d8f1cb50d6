import { hash, verify } from '@node-rs/argon2';
import { GengbaoError } from '../errors.ts';

/**
 * Passwords are stored as argon2id (RFC 9106) hashes with the library's defaults
 * (m = 19 MiB, t = 2, p = 1 — OWASP's recommended minimum), never in a reversible form.
 */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8)
    throw new GengbaoError('bad_input', 'a password needs at least 8 characters', {
      field: 'password',
    });
  return hash(password);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
