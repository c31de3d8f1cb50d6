import { loadEnv } from '../config/env.ts';
import { buildServices, type Services } from '../services/container.ts';
import { openMigratedDb } from '../store/open.ts';

/**
 * Runs one CLI command on the application: opens and migrates the database of the
 * environment, builds the services through the composition root, and closes both afterwards
 * whatever happened.
 */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const env = loadEnv();
  const db = await openMigratedDb(env);
  const services = buildServices({ db, dataDir: env.GENGBAO_DATA_DIR });
  try {
    return await fn(services);
  } finally {
    await services.close();
    await db.close();
  }
}
