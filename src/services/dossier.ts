import { GengbaoError } from '../errors.ts';
import { distanceToArealM } from '../field/distance.ts';
import { tilesCovering } from '../field/package.ts';
import { bboxIntersects } from '../geo/bbox.ts';
import {
  actionLabel,
  recordedPhotos,
  type DossierData,
  type DossierImage,
  type DossierPhoto,
} from '../reports/dossier.ts';
import { dossierPdf } from '../reports/dossier-pdf.ts';
import type { Db } from '../store/db.ts';
import { actorLabelsOf, caseStateOf, polygonIdByCode, unitChainOf } from '../store/dossier-data.ts';
import { chainHeadOf, eventsOf } from '../store/events.ts';
import { sha256Hex, type EvidenceFiles } from '../store/field-evidence-files.ts';
import { listImagery, type ImageryRecord } from '../store/imagery.ts';
import { getJurisdiction } from '../store/jurisdictions.ts';
import { getPolygon, type PolygonRecord } from '../store/polygons.ts';
import { Scope } from '../store/scope.ts';
import type { ChipFiles } from './chips.ts';

/** Zoom of the imagery drawn round a 图斑 without detection chips: about 0.6 m a pixel at 35°N. */
const TILE_ZOOM = 18;

type RenderTile = (uri: string, t: { z: number; x: number; y: number }) => Promise<Buffer | null>;

/**
 * The 图斑 dossier (图斑档案, src/reports/dossier.ts) of one 图斑 in the caller's scope: gathers
 * the polygon, its places, imagery, photos (re-hashed from the evidence store) and record,
 * and draws the PDF.
 */
export class DossierService {
  constructor(
    private readonly db: Db,
    private readonly chips: ChipFiles,
    private readonly evidence: EvidenceFiles,
    private readonly renderTile: RenderTile,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The id of a 图斑 by its code, in the scope (the CLI names 图斑 by code). */
  async idOf(scope: Scope, code: string): Promise<number> {
    const id = await polygonIdByCode(this.db, scope, code);
    if (id === null)
      throw new GengbaoError('not_found', `no 图斑 ${code} in your jurisdiction`, {
        field: 'polygon',
      });
    return id;
  }

  /** Everything the dossier shows. */
  async data(scope: Scope, id: number): Promise<DossierData> {
    const p = await getPolygon(this.db, scope, id);
    if (!p?.geometry)
      throw new GengbaoError('not_found', `no polygon ${id} in your jurisdiction`, { field: 'id' });
    const [events, head, places, before, after, state] = await Promise.all([
      eventsOf(this.db, scope, 'polygon', String(id)),
      chainHeadOf(this.db),
      unitChainOf(this.db, p.jurisdictionCode),
      this.image(p, 'before'),
      this.image(p, 'after'),
      caseStateOf(this.db, scope, id),
    ]);
    const actors = await actorLabelsOf(
      this.db,
      events.map((e) => e.actorId ?? ''),
    );
    const smallest = places[0]
      ? await getJurisdiction(this.db, Scope.system(), places[0].code)
      : null;
    return {
      code: p.code,
      period: p.period,
      source: p.source,
      status: p.status,
      areaMu: p.areaMu,
      places,
      geometry: p.geometry,
      locator: smallest?.geometry ? { name: smallest.name, geometry: smallest.geometry } : null,
      before,
      after,
      state,
      properties: p.properties,
      photos: await this.photos(p, state),
      events: events.map((e) => ({
        seq: e.seq,
        at: e.at,
        action: actionLabel(e.type),
        actor: e.actorId ? (actors.get(e.actorId) ?? `用户 ${e.actorId}`) : '系统',
        hash: e.hash,
      })),
      chainHead: head,
      generatedAt: this.now().toISOString(),
    };
  }

  /** The dossier as PDF, with its file name. */
  async pdf(scope: Scope, id: number): Promise<{ name: string; bytes: Buffer }> {
    const d = await this.data(scope, id);
    return { name: `dossier-${d.code}.pdf`, bytes: await dossierPdf(d) };
  }

  /**
   * One side of the pair: the detection chip when the 图斑 was detected, else the stored
   * scene of that role (or the earliest / latest scene) over it, as tiles. Scenes are found by
   * footprint, like a field package's: the picture of a 图斑 in scope is part of its case.
   */
  private async image(p: PolygonRecord, side: 'before' | 'after'): Promise<DossierImage | null> {
    const chip = await this.chips.read(p.code, side);
    if (chip) return { kind: 'chip', png: chip, label: '变化检测证据图' };
    const scenes = (await listImagery(this.db, Scope.system())).filter(
      (img) => img.bbox && bboxIntersects(img.bbox, p.bbox),
    );
    const byDate = [...scenes].sort((a, b) =>
      (a.acquiredOn ?? '').localeCompare(b.acquiredOn ?? ''),
    );
    // A scene stored as this side of a pair; else, with two or more, the earliest or latest.
    const img: ImageryRecord | undefined =
      scenes.find((s) => s.meta.role === side) ??
      (byDate.length > 1 ? (side === 'before' ? byDate[0] : byDate[byDate.length - 1]) : undefined);
    if (!img) return null;
    const tiles = [];
    for (const t of tilesCovering(p.bbox, TILE_ZOOM, 80, 9)) {
      const png = await this.renderTile(img.uri, t).catch(() => null);
      if (png?.length) tiles.push({ ...t, png });
    }
    return tiles.length
      ? { kind: 'tiles', tiles, label: `${img.acquiredOn ?? ''} ${img.name}`.trim() }
      : null;
  }

  /** The photos the record names, each re-hashed from the evidence store when it is there. */
  private async photos(p: PolygonRecord, state: DossierData['state']): Promise<DossierPhoto[]> {
    const out: DossierPhoto[] = [];
    for (const ph of recordedPhotos(state)) {
      const bytes = await this.evidence.read(ph.sha256).catch(() => null);
      out.push({
        ...ph,
        distanceM: p.geometry ? distanceToArealM([ph.lon, ph.lat], p.geometry) : null,
        check: !bytes ? 'missing' : sha256Hex(bytes) === ph.sha256 ? 'ok' : 'mismatch',
      });
    }
    return out;
  }
}
