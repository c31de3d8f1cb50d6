import Flatbush from 'flatbush';
import { equalAreaM2 } from '../geo/equal-area.ts';
import { intersect, prepare, unionAll, type Prepared } from '../geo/overlay.ts';
import type { Areal, BBox, Feature } from '../geo/types.ts';
import type { AnalysisConfig } from './config.ts';
import { LAYER_KINDS, PERMIT_KINDS, type LayerKind } from './kinds.ts';
import { area, type Flag, type PolygonFigures } from './figures.ts';

/** Layer pieces inside polygons, in a form worker threads can send back (structured clone). */
export interface OverlayState {
  /** Per kind (LAYER_KINDS order), per polygon: summed piece areas in m². */
  sums: Float64Array[];
  /** Per kind, polygon index → its pieces, for kinds whose geometry is needed later. */
  pieces: Array<Map<number, Areal[]>>;
}

interface JurisdictionInfo {
  id: string | number;
  code?: string;
  name?: string;
}

/**
 * 套合 by streaming: the polygons under analysis (thousands) are indexed once with flatbush;
 * reference features (up to millions of parcels) then stream past, each meeting only the
 * polygons its box touches. Memory holds the polygons and the pieces found, never a whole
 * reference layer. Partial states from worker threads merge (`merge`) before `finish`.
 */
export class OverlayAccumulator {
  readonly prepared: Prepared[];
  readonly areas: Float64Array;
  readonly state: OverlayState;
  private readonly index: Flatbush;
  private readonly keepPieces: boolean[];
  private readonly jurisdictions: JurisdictionInfo[] = [];
  private readonly bestJurisdiction: Int32Array;
  private readonly bestOverlap: Float64Array;
  private readonly earlier: Array<Array<{ id: string | number; iou: number }>>;
  private readonly grid: {
    minX: number;
    minY: number;
    maxX: number;
    maxY: number;
    cell: number;
    size: number;
    cells: Uint8Array;
  };

  constructor(
    readonly polygons: Feature[],
    readonly config: AnalysisConfig,
  ) {
    const n = polygons.length;
    this.prepared = polygons.map((p) => prepare(p.geometry));
    this.areas = Float64Array.from(polygons, (p) => equalAreaM2(p.geometry));
    this.index = new Flatbush(Math.max(1, n));
    for (const p of this.prepared) this.index.add(...p.bbox);
    if (n === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
    this.grid = occupancyGrid(this.prepared.map((p) => p.bbox));
    this.keepPieces = LAYER_KINDS.map(
      (k) => k === 'farmland' || PERMIT_KINDS.includes(k) || config.overlaps[k] === 'union',
    );
    this.state = {
      sums: LAYER_KINDS.map(() => new Float64Array(n)),
      pieces: LAYER_KINDS.map(() => new Map()),
    };
    this.bestJurisdiction = new Int32Array(n).fill(-1);
    this.bestOverlap = new Float64Array(n);
    this.earlier = Array.from({ length: n }, () => []);
  }

  /** Each (polygon index, intersection) of a geometry with the polygons. */
  private *overlaps(geometry: Areal): Generator<[number, Areal]> {
    const ref = prepare(geometry);
    for (const i of this.index.search(...ref.bbox)) {
      const piece = intersect(this.prepared[i], ref);
      if (piece) yield [i, piece];
    }
  }

  /**
   * Whether a box touches any polygon under analysis: features that don't can be skipped unread.
   * A coarse occupancy grid over the polygons' extent answers most boxes in a few array reads
   * (a million parcels ask); boxes covering many cells go to the flatbush index.
   */
  touches(bbox: BBox): boolean {
    const g = this.grid;
    if (bbox[2] < g.minX || bbox[0] > g.maxX || bbox[3] < g.minY || bbox[1] > g.maxY) return false;
    const x0 = Math.max(0, Math.floor((bbox[0] - g.minX) / g.cell));
    const x1 = Math.min(g.size - 1, Math.floor((bbox[2] - g.minX) / g.cell));
    const y0 = Math.max(0, Math.floor((bbox[1] - g.minY) / g.cell));
    const y1 = Math.min(g.size - 1, Math.floor((bbox[3] - g.minY) / g.cell));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) <= 64) {
      let any = false;
      for (let y = y0; y <= y1 && !any; y++)
        for (let x = x0; x <= x1 && !any; x++) any = g.cells[y * g.size + x] === 1;
      if (!any) return false;
    }
    let hit = false;
    this.index.search(bbox[0], bbox[1], bbox[2], bbox[3], () => {
      hit = true;
      return false;
    });
    return hit;
  }

  /** Add one feature of a reference layer. */
  addLayerFeature(kind: LayerKind, feature: Feature): void {
    const k = LAYER_KINDS.indexOf(kind);
    for (const [i, piece] of this.overlaps(feature.geometry)) {
      this.state.sums[k][i] += equalAreaM2(piece);
      if (this.keepPieces[k]) {
        const list = this.state.pieces[k].get(i);
        if (list) list.push(piece);
        else this.state.pieces[k].set(i, [piece]);
      }
    }
  }

  /** Add one jurisdiction (county/township/village polygon); the largest overlap wins. */
  addJurisdiction(feature: Feature): void {
    const j = this.jurisdictions.length;
    const props = feature.properties ?? {};
    const code = props[this.config.jurisdictionCodeField];
    const name = props[this.config.jurisdictionNameField];
    this.jurisdictions.push({
      id: feature.id ?? (code as string | undefined) ?? j,
      code: code === undefined || code === null ? undefined : String(code),
      name: name === undefined || name === null ? undefined : String(name),
    });
    for (const [i, piece] of this.overlaps(feature.geometry)) {
      const a = equalAreaM2(piece);
      if (a > this.bestOverlap[i]) {
        this.bestOverlap[i] = a;
        this.bestJurisdiction[i] = j;
      }
    }
  }

  /** Add one polygon of an earlier period; linked when IoU ≥ the threshold. */
  addEarlier(feature: Feature, fallbackId: string | number): void {
    const otherArea = equalAreaM2(feature.geometry);
    for (const [i, piece] of this.overlaps(feature.geometry)) {
      const inter = equalAreaM2(piece);
      const iou = inter / (this.areas[i] + otherArea - inter);
      if (iou >= this.config.iouThreshold)
        this.earlier[i].push({ id: feature.id ?? fallbackId, iou: Math.round(iou * 1e4) / 1e4 });
    }
  }

  /** Fold in a partial state computed elsewhere (a worker thread) on the same polygons. */
  merge(other: OverlayState): void {
    other.sums.forEach((s, k) => s.forEach((v, i) => (this.state.sums[k][i] += v)));
    other.pieces.forEach((m, k) =>
      m.forEach((list, i) => {
        const mine = this.state.pieces[k].get(i);
        if (mine) mine.push(...list);
        else this.state.pieces[k].set(i, [...list]);
      }),
    );
  }

  /** The figures of every polygon, in input order. */
  finish(): PolygonFigures[] {
    const cfg = this.config;
    return this.polygons.map((polygon, i) => {
      const total = this.areas[i];
      const layerM2 = LAYER_KINDS.map((kind, k) => {
        const pieces = this.state.pieces[k].get(i);
        if (cfg.overlaps[kind] === 'union' && pieces && pieces.length > 1)
          return equalAreaM2(unionAll(pieces)!);
        return this.state.sums[k][i];
      });
      const permitPieces = PERMIT_KINDS.flatMap(
        (kind) => this.state.pieces[LAYER_KINDS.indexOf(kind)].get(i) ?? [],
      );
      const approvedGeometry = unionAll(permitPieces);
      const approvedM2 = approvedGeometry ? equalAreaM2(approvedGeometry) : 0;
      const farmlandK = LAYER_KINDS.indexOf('farmland');
      let unapproved = this.state.sums[farmlandK][i];
      if (approvedGeometry) {
        const approvedPrepared = prepare(approvedGeometry);
        for (const piece of this.state.pieces[farmlandK].get(i) ?? []) {
          const covered = intersect(prepare(piece), approvedPrepared);
          if (covered) unapproved -= equalAreaM2(covered);
        }
      }
      unapproved = Math.max(0, unapproved);
      const byKind = Object.fromEntries(LAYER_KINDS.map((kind, k) => [kind, layerM2[k]])) as Record<
        LayerKind,
        number
      >;
      const j = this.bestJurisdiction[i];
      const info = j >= 0 ? this.jurisdictions[j] : undefined;
      return {
        id: polygon.id ?? i,
        total: area(total),
        layers: Object.fromEntries(LAYER_KINDS.map((kind) => [kind, area(byKind[kind])])) as Record<
          LayerKind,
          ReturnType<typeof area>
        >,
        approved: area(approvedM2),
        unapprovedFarmland: area(unapproved),
        flags: prejudge(total, byKind, approvedM2, unapproved, cfg),
        ...(info
          ? {
              jurisdiction: {
                ...info,
                share: Math.round((this.bestOverlap[i] / total) * 1e4) / 1e4,
              },
            }
          : {}),
        earlier: [...this.earlier[i]].sort((a, b) => b.iou - a.iou),
      };
    });
  }
}

/** Cells per side of the occupancy grid (4 M cells, 4 MB). */
const GRID = 2048;

/** Mark the cells of a GRID × GRID grid over the boxes' extent that any box touches. */
function occupancyGrid(boxes: BBox[]) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of boxes) {
    minX = Math.min(minX, b[0]);
    minY = Math.min(minY, b[1]);
    maxX = Math.max(maxX, b[2]);
    maxY = Math.max(maxY, b[3]);
  }
  const cell = Math.max(maxX - minX, maxY - minY, 1e-9) / GRID;
  const cells = new Uint8Array(GRID * GRID);
  for (const b of boxes) {
    const x0 = Math.floor((b[0] - minX) / cell);
    const x1 = Math.min(GRID - 1, Math.floor((b[2] - minX) / cell));
    const y0 = Math.floor((b[1] - minY) / cell);
    const y1 = Math.min(GRID - 1, Math.floor((b[3] - minY) / cell));
    for (let y = y0; y <= y1; y++) cells.fill(1, y * GRID + x0, y * GRID + x1 + 1);
  }
  return { minX, minY, maxX, maxY, cell, size: GRID, cells };
}

/**
 * Pre-judgment flags: whether the polygon is covered by approvals (已批 / 部分已批 / 未批),
 * whether it takes farmland (占耕), unapproved farmland (未批占耕), permanent basic farmland
 * (占永农) or red-line land (占生态红线), and which permit kinds it touches.
 */
export function prejudge(
  totalM2: number,
  byKind: Record<LayerKind, number>,
  approvedM2: number,
  unapprovedFarmlandM2: number,
  cfg: AnalysisConfig,
): Flag[] {
  const min = cfg.minAreaM2;
  const flags: Flag[] = [];
  if (approvedM2 >= cfg.approvedShare * totalM2 && approvedM2 >= min) flags.push('已批');
  else if (approvedM2 >= min) flags.push('部分已批');
  else flags.push('未批');
  if (byKind.farmland >= min) flags.push('占耕');
  if (unapprovedFarmlandM2 >= min) flags.push('未批占耕');
  if (byKind.pbf >= min) flags.push('占永农');
  if (byKind.redline >= min) flags.push('占生态红线');
  if (byKind.facility >= min) flags.push('设施农用地');
  if (byKind.temporary >= min) flags.push('临时用地');
  if (byKind.homestead >= min) flags.push('宅基地');
  return flags;
}
