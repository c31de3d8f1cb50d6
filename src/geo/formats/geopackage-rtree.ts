import type { Database } from 'sql.js';
import { GengbaoError } from '../../errors.ts';
import type { BBox } from '../types.ts';

/** The shadow table of a layer's R-tree that holds its nodes, when it has one. */
export function rtreeNodeTable(db: Database, table: string, column: string): string | undefined {
  const nodes = `rtree_${table}_${column}_node`;
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  try {
    exists.bind([nodes]);
    return exists.step() ? nodes : undefined;
  } finally {
    exists.free();
  }
}

/**
 * The ids (the feature table's integer primary key) whose box in a GeoPackage layer's R-tree
 * (`rtree_<table>_<column>`, OGC 12-128r18 §F.3) passes `test`, ascending.
 *
 * sql.js is built without SQLite's R*Tree module, so the virtual table cannot be queried; its
 * nodes are read from the shadow table `rtree_<table>_<column>_node` (`rtreeNodeTable`) instead
 * and walked here. A node blob (SQLite's rtree.c) is a 2-byte depth (meaningful in the root,
 * node 1), a 2-byte cell count, then cells of an 8-byte id — a child node's number, or in a
 * leaf the feature's id — and four 4-byte floats minX, maxX, minY, maxY, all big-endian.
 * SQLite rounds the floats outwards, so a box here holds the feature's true box: the test can
 * only keep too many. Rows without geometry are not in the R-tree, so they are left out too.
 */
export function rtreeSelect(db: Database, nodes: string, test: (box: BBox) => boolean): number[] {
  const read = db.prepare(`SELECT data FROM "${nodes.replace(/"/g, '""')}" WHERE nodeno = ?`);
  const out: number[] = [];
  const box: BBox = [0, 0, 0, 0];
  try {
    const node = (no: number): DataView | undefined => {
      read.bind([no]);
      try {
        if (!read.step()) return undefined;
        const data = read.get()[0] as Uint8Array;
        return new DataView(data.buffer, data.byteOffset, data.byteLength);
      } finally {
        read.reset();
      }
    };
    const root = node(1);
    if (!root) return out;
    const walk = (view: DataView, depth: number) => {
      const cells = view.getUint16(2);
      for (let c = 0; c < cells; c++) {
        const at = 4 + c * 24;
        box[0] = view.getFloat32(at + 8);
        box[2] = view.getFloat32(at + 12);
        box[1] = view.getFloat32(at + 16);
        box[3] = view.getFloat32(at + 20);
        if (!test(box)) continue;
        const id = Number(view.getBigInt64(at));
        if (depth === 0) out.push(id);
        else {
          const child = node(id);
          if (!child)
            throw new GengbaoError(
              'bad_input',
              `GeoPackage 空间索引 ${nodes} 损坏（缺节点 ${id}）/ R-tree ${nodes} is damaged (node ${id} missing)`,
              { field: 'file' },
            );
          walk(child, depth - 1);
        }
      }
    };
    walk(root, root.getUint16(0));
  } finally {
    read.free();
  }
  return out.sort((a, b) => a - b);
}
