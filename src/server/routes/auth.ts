import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { MAX_LIVE_API_TOKENS } from '../../services/auth.ts';
import { principalOf } from '../guards.ts';
import { ErrorBody, UserView } from '../schemas.ts';

export const SESSION_COOKIE = 'gengbao_session';

function view(u: z.infer<typeof UserView>) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    jurisdictionCode: u.jurisdictionCode,
    jurisdictionLevel: u.jurisdictionLevel,
    jurisdictionName: u.jurisdictionName,
  };
}

/** Password login to an HTTP-only session cookie; API tokens for scripts. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets an HTTP-only session cookie',
        security: [],
        body: z.object({
          username: z.string().min(1).max(64),
          password: z.string().min(1).max(256),
        }),
        response: {
          200: z.object({ user: UserView, expiresAt: z.string() }),
          401: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const { token, user, expiresAt } = await app.services.auth
        .login(req.body.username, req.body.password, req.ip)
        .catch((e) => {
          // Failed logins are logged (and stored in login_attempts) for the security officer.
          req.log.warn({ username: req.body.username, ip: req.ip, code: e.code }, 'login refused');
          throw e;
        });
      req.log.info({ username: user.username, ip: req.ip }, 'login');
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: app.secureCookies,
        expires: expiresAt,
      });
      return { user: view(user), expiresAt: expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await app.services.auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who am I, and what is my jurisdiction',
        response: { 200: z.object({ user: UserView, scopePrefix: z.string() }) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return { user: view(p), scopePrefix: p.scope.prefix };
    },
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Issue an API token for scripts (shown once; send as Authorization: Bearer …); from a browser session only',
        body: z.object({
          label: z.string().trim().min(1).max(100),
          days: z.number().int().min(1).max(366).optional(),
        }),
        response: {
          200: z.object({
            id: z.number(),
            token: z.string(),
            label: z.string(),
            expiresAt: z.string(),
          }),
          403: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      // A leaked token must not be able to mint its own replacements and outlive revocation.
      if (req.credential?.kind !== 'session')
        throw new GengbaoError(
          'forbidden',
          'API tokens are issued from a logged-in browser session, not with another API token',
          { field: 'authorization' },
        );
      const { token, id, expiresAt } = await app.services.auth.issueApiToken(
        p.id,
        req.body.label,
        req.body.days,
      );
      return { id, token, label: req.body.label, expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: `My live API tokens (never their secrets; at most ${MAX_LIVE_API_TOKENS}, so one reply)`,
        response: { 200: z.object({ items: z.array(TokenView) }) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const items = await app.services.auth.apiTokens(p.id);
      return {
        items: items.map((t) => ({
          id: t.id,
          label: t.label,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of my API tokens (at once)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ ok: z.literal(true) }), 404: ErrorBody },
      },
    },
    async (req) => {
      const p = principalOf(req);
      await app.services.auth.revokeApiToken(p.id, req.params.id);
      return { ok: true as const };
    },
  );
};

const TokenView = z.object({
  id: z.number(),
  label: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string(),
});
