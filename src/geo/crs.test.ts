import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GengbaoError } from '../errors.ts';
import { crsFromEpsg, crsFromWkt, parseCrs, toLonLat } from './crs.ts';
import { onPath } from './formats/gdal.ts';

const ESRI_GK39 = `PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
const ESRI_XIAN_CM105 = `PROJCS["Xian_1980_3_Degree_GK_CM_105E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
const WKT2_CM108 = `PROJCRS["CGCS2000 / 3-degree Gauss-Kruger CM 108E",BASEGEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],CONVERSION["3-degree Gauss-Kruger CM 108E",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Longitude of natural origin",108,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Scale factor at natural origin",1,SCALEUNIT["unity",1]],PARAMETER["False easting",500000,LENGTHUNIT["metre",1]],PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],CS[Cartesian,2],AXIS["northing (X)",north,ORDER[1]],AXIS["easting (Y)",east,ORDER[2]],LENGTHUNIT["metre",1]]`;
const BEIJING54 = `PROJCS["Beijing_1954_3_Degree_GK_CM_114E",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
const LAMBERT = `PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",44.0],PARAMETER["Standard_Parallel_2",49.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]`;

describe('crsFromEpsg', () => {
  it('knows the CGCS2000 3° Gauss–Krüger zones with and without prefix', () => {
    expect(crsFromEpsg(4513)).toMatchObject({
      centralMeridian: 75,
      falseEasting: 25_500_000,
      datum: 'CGCS2000',
    });
    expect(crsFromEpsg(4526)).toMatchObject({ centralMeridian: 114, falseEasting: 38_500_000 });
    expect(crsFromEpsg(4533)).toMatchObject({ centralMeridian: 135, falseEasting: 45_500_000 });
    expect(crsFromEpsg(4534)).toMatchObject({ centralMeridian: 75, falseEasting: 500_000 });
    expect(crsFromEpsg(4554)).toMatchObject({ centralMeridian: 135, falseEasting: 500_000 });
  });
  it("knows Xi'an 1980, WGS84 and UTM north", () => {
    expect(crsFromEpsg(2369)).toMatchObject({
      centralMeridian: 135,
      falseEasting: 45_500_000,
      datum: 'Xian1980',
    });
    expect(crsFromEpsg(2370)).toMatchObject({
      centralMeridian: 75,
      falseEasting: 500_000,
      datum: 'Xian1980',
    });
    expect(crsFromEpsg(4610).geographic).toBe(true);
    expect(crsFromEpsg(4326).datum).toBe('WGS84');
    expect(crsFromEpsg(32650).proj4).toContain('+lon_0=117 +k=0.9996');
  });
  it('refuses unknown codes with a message', () => {
    expect(() => crsFromEpsg(2154)).toThrow(/EPSG:2154 is not a CRS Gengbao knows/);
  });
});

describe('crsFromWkt', () => {
  it('recognises ESRI and WKT2 Gauss–Krüger by their numbers', () => {
    expect(crsFromWkt(ESRI_GK39).proj4).toBe(crsFromEpsg(4527).proj4);
    expect(crsFromWkt(ESRI_XIAN_CM105).proj4).toBe(crsFromEpsg(2380).proj4);
    expect(crsFromWkt(WKT2_CM108).proj4).toBe(crsFromEpsg(4545).proj4);
  });
  it('refuses Beijing 1954, Lambert and garbage clearly', () => {
    expect(() => crsFromWkt(BEIJING54)).toThrow(/unsupported CRS \(ellipsoid Krasovsky_1940/);
    expect(() => crsFromWkt(LAMBERT)).toThrow(/projection Lambert_Conformal_Conic/);
    expect(() => crsFromWkt(ESRI_GK39.replace('"Meter",1.0', '"Foot",0.3048'))).toThrow(
      /linear unit Foot/,
    );
    expect(() => parseCrs('PROJCS["x",')).toThrow(GengbaoError);
    expect(() => parseCrs('Gauss zone 38')).toThrow(/neither EPSG/);
  });
});

describe('toLonLat', () => {
  it('puts the false easting on the central meridian', () => {
    const [lon] = toLonLat(crsFromEpsg(4526))([38_500_000, 3_930_000]);
    expect(lon).toBeCloseTo(114, 12);
  });
  it('refuses an easting with a zone prefix under a CRS without one', () => {
    expect(() => toLonLat(crsFromEpsg(4539))([38_560_000, 3_930_000])).toThrow(
      /wrong zone or zone prefix/,
    );
    expect(() => toLonLat(crsFromEpsg(4490))([200, 35])).toThrow(/outside the valid range/);
  });
  it.skipIf(!onPath('gdaltransform'))(
    'agrees with PROJ (gdaltransform) to 1e-9° (skipped when gdaltransform is not on PATH)',
    () => {
      for (const [code, x, y] of [
        [4527, 39_560_000, 3_930_000],
        [4545, 440_000, 3_800_000],
        [2379, 560_000, 3_930_000],
        [32649, 660_000, 3_930_000],
      ]) {
        const out = execFileSync(
          'gdaltransform',
          ['-s_srs', `EPSG:${code}`, '-t_srs', 'EPSG:4326', '-output_xy'],
          { input: `${x} ${y}\n` },
        )
          .toString()
          .trim()
          .split(/\s+/)
          .map(Number);
        // EPSG:4326 target in PROJ applies the datum shift it knows; for Xi'an 1980 it knows none,
        // so convert on the source ellipsoid alone, like Gengbao.
        const mine = toLonLat(crsFromEpsg(code))([x, y]);
        if (code === 2379) continue; // compared below on its own ellipsoid
        expect(mine[0]).toBeCloseTo(out[0], 9);
        expect(mine[1]).toBeCloseTo(out[1], 9);
      }
      const xian = execFileSync(
        'gdaltransform',
        ['-s_srs', 'EPSG:2379', '-t_srs', 'EPSG:4610', '-output_xy'],
        { input: '560000 3930000\n' },
      )
        .toString()
        .trim()
        .split(/\s+/)
        .map(Number);
      const mine = toLonLat(crsFromEpsg(2379))([560_000, 3_930_000]);
      expect(mine[0]).toBeCloseTo(xian[0], 9);
      expect(mine[1]).toBeCloseTo(xian[1], 9);
    },
  );
});
