import { col, defineTable } from '../table.ts';

/** A stored image (scene) over part of the region; `uri` is a local path or URL to a GeoTIFF/COG. */
export const IMAGERY = defineTable('imagery', {
  id: col.int('id'),
  name: col.text('name'),
  acquiredOn: col.day('acquired_on').orNull(),
  uri: col.text('uri'),
  jurisdictionCode: col.text('jurisdiction_code'),
  bbox: col.box('bbox').orNull(),
  meta: col.json<Record<string, unknown>>('meta').or(() => ({})),
});
