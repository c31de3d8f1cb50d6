/**
 * The real administrative data of Jincheng, derived from npm packages by
 * `scripts/derive-jincheng.ts` and committed as `src/demo/data/jincheng-admin.json`.
 */
import data from './data/jincheng-admin.json' with { type: 'json' };
import type { JinchengAdminData } from './types.ts';

/** The committed Jincheng admin data (6 counties with boundaries, 77 townships, 1,729 villages). */
export const jinchengAdmin = data as unknown as JinchengAdminData;
