/**
 * Receipt codes for public tips (举报回执): 10 characters of Crockford base32 (no I, L, O, U,
 * so a code read over the phone is not misheard), 50 bits from the random bytes given — the
 * code is the only key to a tip's status, so it must not be guessable.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function receiptCode(random: Uint8Array): string {
  let bits = 0n;
  for (const b of random.subarray(0, 7)) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return out;
}

/** Normalises what a person types back (lower case, O for 0, I/L for 1, spaces and dashes). */
export function normaliseReceipt(s: string): string {
  return s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** A tip's status as the tipster sees it: no internal notes, no names. */
export type TipStatus = 'received' | 'accepted' | 'rejected';
