import type { FastifyRequest } from 'fastify';
import { GengbaoError } from '../errors.ts';
import type { ScopedStore } from '../store/scoped-store.ts';
import type { Principal, Role } from '../store/users.ts';

/** The caller's scoped store; 401 when nobody is logged in. */
export function storeOf(req: FastifyRequest): ScopedStore {
  if (!req.store)
    throw new GengbaoError(
      'unauthenticated',
      'log in first (session cookie or Authorization: Bearer token)',
    );
  return req.store;
}

export function principalOf(req: FastifyRequest): Principal {
  storeOf(req);
  return req.principal!;
}

/** 403 unless the caller has one of `roles`. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Principal {
  const p = principalOf(req);
  if (!roles.includes(p.role))
    throw new GengbaoError(
      'forbidden',
      `this needs one of the roles ${roles.join(', ')}; you are ${p.role}`,
    );
  return p;
}
