import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { GengbaoError, httpStatusOf, isGengbaoError } from '../errors.ts';
import { isDbConnectionFailure } from '../store/db-errors.ts';

/**
 * Every error leaves the server as `{ error: { code, message, field } }`: GengbaoErrors by
 * their code, schema violations as bad_input naming the first offending field, a database that
 * does not answer as db_unreachable (503: the request was fine, retry later), anything
 * unexpected as a logged 500 that does not leak internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | GengbaoError | Error, req, reply) => {
    if (isGengbaoError(err)) {
      return reply.status(httpStatusOf(err.code)).send({ error: err.toJSON() });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const field = String(first.instancePath ?? '')
        .replace(/^\//, '')
        .replace(/\//g, '.');
      return reply.status(400).send({
        error: {
          code: 'bad_input',
          message: `${err.validationContext ?? 'request'}${field ? `.${field}` : ''}: ${first.message}`,
          field: field || undefined,
        },
      });
    }
    const fe = err as FastifyError;
    if (fe.statusCode && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({
        error: { code: fe.statusCode === 404 ? 'not_found' : 'bad_input', message: fe.message },
      });
    }
    if (isDbConnectionFailure(err)) {
      req.log.error({ err }, 'database unreachable');
      return reply
        .status(503)
        .header('retry-after', '30')
        .send({
          error: {
            code: 'db_unreachable',
            message:
              '数据库暂时无法连接，请稍后再试 · the database is unreachable; try again in a moment',
          },
        });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'internal error; see the server log' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` },
    }),
  );
}
