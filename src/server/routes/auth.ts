import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../guards.ts';
import { ErrorBody, UserView } from '../schemas.ts';

export const SESSION_COOKIE = 'gengbao_session';

function view(u: z.infer<typeof UserView>) {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, jurisdictionCode: u.jurisdictionCode, jurisdictionLevel: u.jurisdictionLevel, jurisdictionName: u.jurisdictionName };
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
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ user: UserView, expiresAt: z.string() }), 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const { token, user, expiresAt } = await app.services.auth.login(req.body.username, req.body.password, req.ip).catch((e) => {
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

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'End this session' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await app.services.auth.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', { schema: { tags: ['auth'], summary: 'Who am I, and what is my jurisdiction', response: { 200: z.object({ user: UserView, scopePrefix: z.string() }) } } }, async (req) => {
    const p = principalOf(req);
    return { user: view(p), scopePrefix: p.scope.prefix };
  });

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Issue an API token for scripts (shown once; send as Authorization: Bearer …)',
        body: z.object({ label: z.string().min(1).max(100), days: z.number().int().min(1).max(3650).optional() }),
        response: { 200: z.object({ token: z.string(), label: z.string(), expiresAt: z.string().nullable() }) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const now = app.services.now();
      const expiresAt = req.body.days ? new Date(now.getTime() + req.body.days * 86400_000) : null;
      const token = await app.services.auth.issueApiToken(p.id, req.body.label, expiresAt);
      return { token, label: req.body.label, expiresAt: expiresAt?.toISOString() ?? null };
    },
  );
};
