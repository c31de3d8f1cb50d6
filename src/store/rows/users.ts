import { z } from 'zod';
import { ROLES } from '../../cases/role-ids.ts';
import { JURISDICTION_LEVELS } from '../../grid/levels.ts';
import { col, defineTable } from '../table.ts';

/**
 * A user with their unit's level and name: read as `users u JOIN jurisdictions j`, so select
 * with alias 'u'. The password hash is not here: only login reads it (USER_LOGIN).
 */
export const USERS = defineTable('users', {
  id: col.int('id'),
  username: col.text('username'),
  displayName: col.text('display_name'),
  role: col.text('role').described(z.enum(ROLES)),
  jurisdictionCode: col.text('jurisdiction_code'),
  jurisdictionLevel: col
    .text('jurisdiction_level', 'j.level')
    .described(z.enum(JURISDICTION_LEVELS)),
  jurisdictionName: col.text('jurisdiction_name', 'j.name'),
  phone: col.text('phone').orNull(),
  disabled: col.bool('disabled'),
});

export const USER_LOGIN = USERS.extend({ passwordHash: col.text('password_hash') });
