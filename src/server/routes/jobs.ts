import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { ErrorBody, items, Job } from '../../contract/views.ts';
import { ROLES } from '../../contract/vocabulary.ts';
import { principalOf, storeOf } from '../guards.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

const PAGE = { cap: 500, dflt: 100 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Heavy work as jobs: submit, then poll progress. */
export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  // Each type with who may submit it; `allowed` says whether the caller may.
  app.get(
    '/api/jobs/types',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Job types this server knows, with the roles that may submit each',
        response: {
          200: items(
            z.object({
              type: z.string(),
              description: z.string(),
              roles: z.array(z.enum(ROLES)),
              allowed: z.boolean(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const role = principalOf(req).role;
      return {
        items: jobDefinitions.map((d) => ({
          type: d.type,
          description: d.description,
          roles: [...d.roles],
          allowed: d.roles.includes(role),
        })),
      };
    },
  );

  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Jobs in my scope, newest first, a page at a time',
        querystring: z.object(pageQuery(PAGE)).omit({ total: true }),
        response: { 200: paged(Job), 400: ErrorBody },
      },
    },
    async (req) => {
      const store = storeOf(req);
      const { limit, after } = pageRequest('jobs', req.query, PAGE.cap, ['string', 'string']);
      // The key is (creation to the millisecond, id): refuse one that is neither before SQL casts it.
      if (after && (Number.isNaN(Date.parse(String(after[0]))) || !UUID.test(String(after[1]))))
        throw new GengbaoError('bad_input', 'cursor is not one this list gave', {
          field: 'cursor',
        });
      return readPage(
        'jobs',
        limit,
        (n) => store.jobs.list(n, after),
        (j) => [new Date(j.createdAt).toISOString(), j.id],
      );
    },
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'One job with its progress and result',
        params: z.object({ id: z.string().uuid() }),
        response: { 200: Job, 404: ErrorBody },
      },
    },
    async (req) => {
      const job = await storeOf(req).jobs.get(req.params.id);
      if (!job)
        throw new GengbaoError('not_found', `no job ${req.params.id} in your scope`, {
          field: 'id',
        });
      return job;
    },
  );

  app.post(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Submit a job',
        body: z.object({
          type: z.string().min(1),
          payload: z.record(z.string(), z.unknown()).default({}),
        }),
        response: { 202: Job, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => {
      const job = await app.services.jobs.submit(principalOf(req), req.body.type, req.body.payload);
      return reply.status(202).send(job);
    },
  );

  app.post(
    '/api/jobs/:id/retry',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Run a failed job again (a new job, same payload), if you may submit its type',
        params: z.object({ id: z.string().uuid() }),
        response: { 202: Job, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const job = await app.services.jobs.retry(principalOf(req), req.params.id);
      return reply.status(202).send(job);
    },
  );
};
