import { GengbaoError } from '../errors.ts';

/** One node of a WKT (OGC 01-009 WKT1, ESRI WKT or ISO 19162 WKT2) tree: `KEYWORD[arg, ...]`. */
export interface WktNode {
  keyword: string;
  args: Array<string | number | WktNode>;
}

/**
 * Parse well-known text into a tree. Written by hand because the grammar is tiny (keywords,
 * quoted strings, numbers, nested brackets) and the only npm parser (`wkt-parser`, used inside
 * proj4) flattens the tree into proj4 parameters, losing the names we need to recognise Chinese
 * datums and to refuse what we do not know.
 */
export function parseWkt(text: string): WktNode {
  let i = 0;
  const s = text.trim();
  const fail = (why: string): never => {
    throw new GengbaoError('bad_input', `not valid WKT (${why} at character ${i})`, {
      field: 'crs',
    });
  };
  const skip = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const node = (): WktNode => {
    skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!m) fail('keyword expected');
    const keyword = m![0].toUpperCase();
    i += m![0].length;
    skip();
    const open = s[i];
    if (open !== '[' && open !== '(') fail('"[" expected');
    const close = open === '[' ? ']' : ')';
    i++;
    const args: WktNode['args'] = [];
    for (;;) {
      skip();
      const c = s[i];
      if (c === undefined) fail('unterminated');
      if (c === close) {
        i++;
        return { keyword, args };
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '"') {
        let j = i + 1;
        let str = '';
        for (;;) {
          if (j >= s.length) fail('unterminated string');
          if (s[j] === '"') {
            if (s[j + 1] === '"') {
              str += '"';
              j += 2;
              continue;
            }
            break;
          }
          str += s[j++];
        }
        args.push(str);
        i = j + 1;
      } else if (/[-+0-9.]/.test(c)) {
        const num = /^[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?/.exec(s.slice(i));
        if (!num) fail('number expected');
        args.push(Number(num![0]));
        i += num![0].length;
      } else if (/[A-Za-z_]/.test(c)) {
        const save = i;
        const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i))![0];
        i += bare.length;
        skip();
        if (s[i] === '[' || s[i] === '(') {
          i = save;
          args.push(node());
        } else args.push(bare); // enumerations such as AXIS["E", EAST]
      } else fail(`unexpected "${c}"`);
    }
  };
  const root = node();
  skip();
  if (i !== s.length) fail('trailing text');
  return root;
}

/** Depth-first search for the first node whose keyword is one of `keywords`. */
export function findNode(root: WktNode, keywords: string[]): WktNode | undefined {
  if (keywords.includes(root.keyword)) return root;
  for (const a of root.args) {
    if (typeof a === 'object') {
      const hit = findNode(a, keywords);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The direct children of `node` with one of `keywords`. */
export function childNodes(node: WktNode, keywords: string[]): WktNode[] {
  return node.args.filter(
    (a): a is WktNode => typeof a === 'object' && keywords.includes(a.keyword),
  );
}

/** WKT of a Polygon or MultiPolygon (for CSV exports; GDAL reads a `WKT` column as geometry). */
export function toWkt(
  g:
    | { type: 'Polygon'; coordinates: number[][][] }
    | { type: 'MultiPolygon'; coordinates: number[][][][] },
): string {
  const ring = (r: number[][]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(', ')})`;
  const poly = (rs: number[][][]) => `(${rs.map(ring).join(', ')})`;
  return g.type === 'Polygon'
    ? `POLYGON ${poly(g.coordinates)}`
    : `MULTIPOLYGON (${g.coordinates.map(poly).join(', ')})`;
}
