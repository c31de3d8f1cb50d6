import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../store/users.ts';
import { UserRecord } from '../../contract/views.ts';
import { setUserDisabled } from '../../services/user-admin.ts';
import { principalOf, requireRole, storeOf } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

const PAGE = { cap: 1000, dflt: 1000 };

/** Accounts in the caller's jurisdiction; administrators create them. */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Accounts in my scope by unit and username, a page at a time',
        querystring: z.object(pageQuery(PAGE)).omit({ total: true }),
        response: { 200: paged(UserRecord), 400: ErrorBody },
      },
    },
    async (req) => {
      const store = storeOf(req);
      const { limit, after } = pageRequest('users', req.query, PAGE.cap, ['string', 'string']);
      return readPage(
        'users',
        limit,
        (n) => store.users.list(n, after),
        (u) => [u.jurisdictionCode, u.username],
      );
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account inside my jurisdiction (admin)',
        body: z.object({
          username: z.string().regex(/^[a-zA-Z0-9._-]{2,64}$/, 'letters, digits, . _ - (2–64)'),
          displayName: z.string().min(1).max(100),
          password: z.string().min(1).max(256),
          role: z.enum(ROLES),
          jurisdictionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/),
          phone: z.string().max(30).optional(),
        }),
        response: { 201: UserRecord, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const user = await app.services.accounts.create(principalOf(req).scope, req.body);
      return reply.status(201).send(user);
    },
  );

  app.post(
    '/api/users/:id/disabled',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Disable or re-enable an account in my jurisdiction (admin); recorded in the hash-chained record',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ disabled: z.boolean() }),
        response: { 200: UserRecord, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const admin = requireRole(req, 'admin');
      return storeOf(req).transaction((q, scope) =>
        setUserDisabled(q, scope, admin, req.params.id, req.body.disabled, app.services.now()),
      );
    },
  );
};
