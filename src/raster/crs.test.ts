import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { onPath } from '../geo/formats/gdal.ts';
import { crsFromGeoKeys, crsLabel, toLonLat, type GeoKeys } from './crs.ts';
import { encodeGeoTiff } from './geotiff-write.ts';
import { openScene } from './scene-source.ts';
import { tempDir, utmGrid } from './test-fixtures.ts';

/** User-defined Transverse Mercator keys as GIS software writes them when no EPSG code matches. */
const userTm = (over: GeoKeys = {}): GeoKeys => ({
  GTModelTypeGeoKey: 1,
  GeographicTypeGeoKey: 4490,
  ProjectedCSTypeGeoKey: 32767,
  ProjectionGeoKey: 32767,
  ProjCoordTransGeoKey: 1,
  ProjLinearUnitsGeoKey: 9001,
  ProjNatOriginLongGeoKey: 114,
  ProjNatOriginLatGeoKey: 0,
  ProjFalseEastingGeoKey: 500000,
  ProjFalseNorthingGeoKey: 0,
  ProjScaleAtNatOriginGeoKey: 1,
  ...over,
});

describe('crsFromGeoKeys', () => {
  it('reads EPSG codes: CGCS2000 and Xi’an 1980 Gauss–Krüger, UTM south, Web Mercator', () => {
    const k = (code: number): GeoKeys => ({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: code });
    expect(crsFromGeoKeys(k(4547), 'f')).toMatchObject({ datum: 'CGCS2000', centralMeridian: 114 });
    expect(crsFromGeoKeys(k(2383), 'f')).toMatchObject({ datum: 'Xian1980', centralMeridian: 114 });
    expect(crsFromGeoKeys(k(32750), 'f').proj4).toContain('+y_0=10000000');
    expect(crsFromGeoKeys(k(3857), 'f').proj4).toContain('+proj=merc');
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4490 }, 'f')).toMatchObject(
      { geographic: true, epsg: 4490 },
    );
  });

  it('reads a user-defined Gauss–Krüger zone and finds its EPSG code', () => {
    // By the geographic CRS's code, and by the ellipsoid's numbers alone.
    expect(crsFromGeoKeys(userTm(), 'f').epsg).toBe(4547);
    const byAxes = userTm({
      GeographicTypeGeoKey: 32767,
      GeogGeodeticDatumGeoKey: 32767,
      GeogSemiMajorAxisGeoKey: 6378137,
      GeogInvFlatteningGeoKey: 298.257222101,
    });
    expect(crsFromGeoKeys(byAxes, 'f').epsg).toBe(4547);
    // Xi'an 1980 by its datum code, 3° zone 38 with the zone prefix.
    const xian = userTm({
      GeographicTypeGeoKey: 32767,
      GeogGeodeticDatumGeoKey: 6610,
      ProjFalseEastingGeoKey: 38_500_000,
    });
    expect(crsFromGeoKeys(xian, 'f').epsg).toBe(2362);
    // UTM by EPSG's projection code on WGS 84.
    const utm = { GTModelTypeGeoKey: 1, GeographicTypeGeoKey: 4326, ProjectionGeoKey: 16150 };
    expect(crsFromGeoKeys({ ...utm, ProjectedCSTypeGeoKey: 32767 }, 'f').epsg).toBe(32750);
  });

  it('keeps a user-defined Transverse Mercator that is no registered zone, and projects with it', () => {
    const local = crsFromGeoKeys(
      userTm({ ProjScaleAtNatOriginGeoKey: 0.9999, PCSCitationGeoKey: 'city grid' }),
      'f',
    );
    expect(local.epsg).toBeUndefined();
    expect(crsLabel(local)).toBe('city grid');
    const [lon, lat] = toLonLat(local)(520_000, 3_900_000);
    const ref = proj4(
      '+proj=tmerc +lat_0=0 +lon_0=114 +k=0.9999 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m',
      'EPSG:4326',
    ).forward([520_000, 3_900_000]);
    expect(lon).toBeCloseTo(ref[0], 9);
    expect(lat).toBeCloseTo(ref[1], 9);
  });

  it('refuses what it cannot read, naming it', () => {
    const refused = (keys: GeoKeys | null): string => {
      try {
        crsFromGeoKeys(keys, 'scene.tif');
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused(null)).toMatch(/scene.tif: the file has no GeoTIFF georeference/);
    expect(refused(userTm({ ProjCoordTransGeoKey: 8 }))).toMatch(
      /projection method 8 .* is not Transverse Mercator/,
    );
    expect(refused(userTm({ ProjCoordTransGeoKey: undefined }))).toMatch(
      /without its projection method/,
    );
    expect(refused(userTm({ ProjLinearUnitsGeoKey: 9002 }))).toMatch(
      /linear unit 9002 is not the metre/,
    );
    // Beijing 1954: Krassowsky's ellipsoid.
    const beijing = userTm({
      GeographicTypeGeoKey: 32767,
      GeogSemiMajorAxisGeoKey: 6378245,
      GeogInvFlatteningGeoKey: 298.3,
    });
    expect(refused(beijing)).toMatch(/ellipsoid a=6378245 1\/f=298.3 is not/);
    expect(refused(userTm({ GeographicTypeGeoKey: 4214 }))).toMatch(/EPSG:4214/);
    expect(refused({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 2000 })).toMatch(
      /scene.tif: EPSG:2000 is not a CRS Gengbao knows/,
    );
  });
});

describe('GeoTIFF keys of a CRS without an EPSG code', () => {
  const local = crsFromGeoKeys(userTm({ ProjScaleAtNatOriginGeoKey: 0.9999 }), 'f');
  const grid = utmGrid(16, 16, { crs: local, originX: 520_000, originY: 3_900_000 });
  const file = join(tempDir(), 'local.tif');
  writeFileSync(file, encodeGeoTiff([new Uint8Array(256).fill(1)], grid, { tileSize: 16 }));

  it('are written so that the file reads back as the same CRS', async () => {
    const s = await openScene(file);
    expect(s.grid.crs.proj4).toBe(local.proj4);
    expect(s.grid.crs.epsg).toBeUndefined();
    await s.close();
  });

  it.skipIf(!onPath('gdalsrsinfo'))(
    'are read by GDAL as that Transverse Mercator (skipped when gdalsrsinfo is not on PATH)',
    () => {
      const p = execFileSync('gdalsrsinfo', ['-o', 'proj4', file], { encoding: 'utf8' });
      for (const part of ['+proj=tmerc', '+lon_0=114', '+k=0.9999', '+x_0=500000', '+ellps=GRS80'])
        expect(p).toContain(part);
    },
  );
});
