import Flatbush from 'flatbush';
import { bboxOf } from '../geo/bbox.ts';
import { containsPoint, pointOnSurface } from '../geo/contains.ts';
import type { Areal } from '../geo/types.ts';

export interface GridCell {
  code: string;
  geometry: Areal;
}

/**
 * Finds the jurisdiction (the finest level given: usually villages) that contains a point —
 * the 田长制 cell responsible for whatever lies there. A flatbush index over the cells' boxes
 * narrows each lookup to a few candidates; an exact point-in-polygon test decides.
 */
export class GridLocator {
  private readonly index: Flatbush;

  constructor(private readonly cells: GridCell[]) {
    this.index = new Flatbush(Math.max(cells.length, 1));
    for (const c of cells) {
      const b = bboxOf(c.geometry);
      this.index.add(b[0], b[1], b[2], b[3]);
    }
    if (!cells.length) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** The code of the cell containing (lon, lat), or null outside every cell. */
  locatePoint(lon: number, lat: number): string | null {
    for (const i of this.index.search(lon, lat, lon, lat)) {
      const cell = this.cells[i];
      if (cell && containsPoint(cell.geometry, lon, lat)) return cell.code;
    }
    return null;
  }

  /** The cell responsible for a geometry: the one containing a point inside it; null outside the grid. */
  locate(geometry: Areal): string | null {
    const [x, y] = pointOnSurface(geometry);
    return this.locatePoint(x, y);
  }
}

/**
 * The code of the finest cell a geometry lies in, asking each locator in turn (finest level
 * first: villages, then townships, then counties), or null outside the whole grid.
 */
export function locateIn(grid: readonly GridLocator[], g: Areal): string | null {
  for (const l of grid) {
    const code = l.locate(g);
    if (code) return code;
  }
  return null;
}
