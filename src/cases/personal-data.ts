/**
 * Personal data in a case (the parties' ID numbers and phone numbers, 个人信息保护法 "minimum
 * necessary"): who sees them whole, and the masking everyone else gets. The county
 * enforcement officer files the case, serves its documents and deals with the parties, so
 * needs them; reviewers, supervisors, monitors, field chiefs and administrators decide or
 * watch without contacting the parties, and see them masked (docs/DOMAIN.md "Personal data").
 */
import type { Role } from './roles.ts';
import { maskIdNumber, maskPhone } from './public-notice.ts';

/** Roles that see the parties' ID and phone numbers whole. */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['county_officer'];

export const seesPersonalData = (role: Role): boolean => PERSONAL_DATA_ROLES.includes(role);

const MASKS: Record<string, (v: string) => string> = { idNumber: maskIdNumber, phone: maskPhone };

/**
 * A copy of `value` with every `idNumber` and `phone` string masked, at any depth (a party in
 * an event's input, in the case state, in an amendment). Other values are kept as they are.
 * @example maskPersonalData({ parties: [{ name: '张三', phone: '13812345678' }] }) // phone '138****5678'
 */
export function maskPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskPersonalData) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = typeof v === 'string' && MASKS[k] ? MASKS[k](v) : maskPersonalData(v);
  return out as T;
}
