import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ServerDeps } from './context.ts';
import { installErrorHandler } from './errors.ts';
import { installInputGuard } from './input-guard.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { authRoutes, SESSION_COOKIE } from './routes/auth.ts';
import { cameraRoutes } from './routes/cameras.ts';
import { caseRoutes } from './routes/cases.ts';
import { documentRoutes } from './routes/documents.ts';
import { detectionModelRoutes } from './routes/detection-models.ts';
import { dossierRoutes } from './routes/dossiers.ts';
import { exchangeRoutes } from './routes/exchange.ts';
import { exportRoutes } from './routes/exports.ts';
import { fieldRoutes } from './routes/field.ts';
import { healthRoutes } from './routes/health.ts';
import { imageryRoutes } from './routes/imagery.ts';
import { jobRoutes } from './routes/jobs.ts';
import { jurisdictionRoutes } from './routes/jurisdictions.ts';
import { layerRoutes } from './routes/layers.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { oversightRoutes } from './routes/oversight.ts';
import { oversightRuleRoutes } from './routes/oversight-rules.ts';
import { supervisionRoutes } from './routes/supervision.ts';
import { polygonRoutes } from './routes/polygons.ts';
import { queueRoutes } from './routes/queues.ts';
import { reportRoutes } from './routes/reports.ts';
import { reviewListRoutes } from './routes/review-lists.ts';
import { settingsRoutes } from './routes/settings.ts';
import { searchRoutes } from './routes/search.ts';
import { tipRoutes } from './routes/tips.ts';
import { tileRoutes } from './routes/tiles.ts';
import { encodeTileHere } from './tiles/encoder.ts';
import { userRoutes } from './routes/users.ts';
import { webRoutes } from './routes/web.ts';
import { noteWrite } from './reply-cache.ts';

/** Route plugins, one file per resource. */
const ROUTES = [
  healthRoutes,
  authRoutes,
  jurisdictionRoutes,
  polygonRoutes,
  caseRoutes,
  monitoringRoutes,
  exportRoutes,
  layerRoutes,
  userRoutes,
  jobRoutes,
  tileRoutes,
  imageryRoutes,
  searchRoutes,
  queueRoutes,
  oversightRoutes,
  oversightRuleRoutes,
  supervisionRoutes,
  fieldRoutes,
  tipRoutes,
  cameraRoutes,
  ogcRoutes,
  reportRoutes,
  documentRoutes,
  exchangeRoutes,
  dossierRoutes,
  settingsRoutes,
  reviewListRoutes,
  detectionModelRoutes,
  webRoutes,
];

/**
 * Routes whose JSON carries photos as base64 (or a long track), with their body limits: the photo quotas
 * (field config) refuse most of it with a clear message; this only stops a body no quota could
 * allow before it is read into memory.
 */
const PHOTO_ROUTES: Record<string, number> = {
  '/api/field/submissions': 50 * 1024 * 1024,
  '/api/patrols/:id/findings': 50 * 1024 * 1024,
  // a day's track of an offline phone
  '/api/patrols/:id/points': 10 * 1024 * 1024,
  '/api/patrols/:id/end': 10 * 1024 * 1024,
  '/api/cameras/:cameraId/events': 20 * 1024 * 1024,
  '/api/public/tips': 32 * 1024 * 1024,
};

/**
 * Builds the HTTP server over the process's services. Authentication runs once per request in
 * a hook that binds a ScopedStore to the caller; routes reach data only through the services
 * and `req.store`.
 */
export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.env.GENGBAO_LOG_LEVEL === 'silent' ? false : { level: deps.env.GENGBAO_LOG_LEVEL },
    // X-Forwarded-For is believed only from the configured proxies (GENGBAO_TRUST_PROXY);
    // otherwise any client could name its own address and dodge the per-address limits.
    trustProxy: deps.env.GENGBAO_TRUST_PROXY?.length ? deps.env.GENGBAO_TRUST_PROXY : false,
    // One line per request (every map tile) drowns the log of a county machine; debug shows them.
    logController: new LogController({
      disableRequestLogging: !['debug', 'trace'].includes(deps.env.GENGBAO_LOG_LEVEL),
    }),
    // Documents and forms are small; routes that carry photos raise it (PHOTO_ROUTES).
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installInputGuard(app);
  installSecurityHeaders(app, { https: deps.secureCookies ?? false });
  app.addHook('onRoute', (route) => {
    const limit = PHOTO_ROUTES[route.url];
    if (limit && route.bodyLimit === undefined) route.bodyLimit = limit;
  });

  const { services } = deps;
  app.decorate('services', services);
  app.decorate('secureCookies', deps.secureCookies ?? false);
  app.decorate('tileFiles', deps.tileFiles ?? null);
  app.decorate('tileEncoder', deps.tileEncoder ?? encodeTileHere);
  app.decorateRequest('principal', null);
  app.decorateRequest('store', null);
  app.decorateRequest('credential', null);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Gengbao 耕保 API',
        version: '0.1.0',
        description:
          "Farmland protection: detection, overlay, dispatch, enforcement, supervision. Every read and write is scoped to the caller's jurisdiction.",
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (req) => {
    // Health answers for itself when the database is down; it needs no caller.
    if (req.routeOptions.url === '/api/health') return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7).trim()
      : req.cookies[SESSION_COOKIE];
    if (!token) return;
    const resolved = await services.auth.resolveCredential(token);
    if (resolved) {
      req.principal = resolved.principal;
      req.credential = { kind: resolved.kind, tokenId: resolved.tokenId };
      req.store = services.scopedStore(resolved.principal);
    }
  });

  // Cached list replies (reply-cache.ts) are not reused after a request that may have written.
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') noteWrite();
  });

  for (const routes of ROUTES) await app.register(routes);
  return app;
}
