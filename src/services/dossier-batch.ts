import { zipSync } from 'fflate';
import { GengbaoError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { listPolygons } from '../store/polygons.ts';
import type { Scope } from '../store/scope.ts';
import type { DossierService } from './dossier.ts';

/** At most this many dossiers in one zip: each is drawn with its imagery (about 0.2–1 s). */
export const MAX_DOSSIERS = 200;

/**
 * Dossiers of many 图斑 at once — the ones named, or a period's (optionally of one status or
 * unit) — as one zip of PDFs named by 图斑 code, for the bureau's paper files.
 */
export class DossierBatchService {
  constructor(
    private readonly db: Db,
    private readonly dossiers: DossierService,
  ) {}

  async zip(
    scope: Scope,
    sel: { ids?: number[]; period?: string; status?: string; jurisdictionCode?: string },
  ): Promise<{ name: string; bytes: Buffer; count: number }> {
    if (!sel.ids?.length && !sel.period)
      throw new GengbaoError('bad_input', '须选择图斑或监测期 / name the 图斑 or a period', {
        field: 'period',
      });
    const ids = sel.ids?.length
      ? sel.ids
      : (
          await listPolygons(this.db, scope, {
            period: sel.period,
            status: sel.status,
            jurisdictionCode: sel.jurisdictionCode,
            limit: MAX_DOSSIERS + 1,
          })
        ).map((p) => p.id);
    if (!ids.length)
      throw new GengbaoError('not_found', '所选范围内没有图斑 / no 图斑 in the selection');
    if (ids.length > MAX_DOSSIERS)
      throw new GengbaoError(
        'bad_input',
        `一次最多 ${MAX_DOSSIERS} 个图斑档案，请缩小范围 / at most ${MAX_DOSSIERS} dossiers at once`,
        {
          field: 'ids',
        },
      );
    const files: Record<string, Uint8Array> = {};
    // One after another: each PDF holds its imagery, and the pool of the server stays free.
    for (const id of ids) {
      const f = await this.dossiers.pdf(scope, id);
      files[f.name] = f.bytes;
    }
    const label = sel.period ?? `${ids.length}`;
    return {
      name: `dossiers-${label}.zip`,
      bytes: Buffer.from(zipSync(files, { level: 0 })),
      count: ids.length,
    };
  }
}
