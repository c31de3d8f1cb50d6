import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScene, bandNameOf } from './scene-source.ts';
import { crsFromEpsg } from './crs.ts';
import { encodeGeoTiff } from './geotiff-write.ts';
import { onPath } from '../geo/formats/gdal.ts';
import {
  tempDir,
  utmGrid,
  writeBandFolder,
  writeMultiband,
  writeWithGdal,
} from './test-fixtures.ts';

const dir = tempDir();
const grid = utmGrid(300, 200);
const bands = [0, 1, 2].map((b) =>
  Uint16Array.from({ length: 300 * 200 }, (_, i) => (i * (b + 1)) % 65535),
);

describe('openScene', () => {
  it.skipIf(!onPath('gdal_translate'))(
    'reads an orthophoto alpha channel as nodata on the colour bands, white fill or not (skipped when gdal_translate is not on PATH)',
    async () => {
      // RGBA as drone photogrammetry writes it: alpha 0 over the left quarter, whose colour
      // here is white (fill that the all-zero test would not catch).
      const g = utmGrid(128, 32, { pixelWidth: 0.05, pixelHeight: 0.05 });
      const n = 128 * 32;
      const fill = (i: number) => i % 128 < 32;
      const rgba = [
        ...[90, 120, 60].map((v) => Uint8Array.from({ length: n }, (_, i) => (fill(i) ? 255 : v))),
        Uint8Array.from({ length: n }, (_, i) => (fill(i) ? 0 : 255)),
      ];
      const file = writeWithGdal(join(dir, 'rgba.tif'), rgba, g, ['PHOTOMETRIC=RGB', 'ALPHA=YES']);
      const s = await openScene(file);
      const [r, b] = await s.readBands(['1', '3'], { x0: 16, y0: 0, width: 64, height: 32 });
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 64; x++) {
          const i = y * 64 + x;
          if (x < 16) {
            expect(r[i]).toBeNaN();
            expect(b[i]).toBeNaN();
          } else {
            expect(r[i]).toBe(90);
            expect(b[i]).toBe(60);
          }
        }
      // The alpha band itself reads as it is, and still masks the others read with it.
      const [a] = await s.readBands(['4'], { x0: 0, y0: 0, width: 128, height: 1 });
      expect([a[0], a[127]]).toEqual([0, 255]);
      const [g2, a2] = await s.readBands(['2', '4'], { x0: 0, y0: 0, width: 128, height: 1 });
      expect([g2[0], g2[127], a2[0], a2[127]]).toEqual([NaN, 120, 0, 255]);
    },
  );

  it.skipIf(!onPath('gdal_translate'))(
    'reads JPEG-compressed YCbCr RGB, as orthophotos are stored, as red, green and blue (skipped when gdal_translate is not on PATH)',
    async () => {
      // Four uniform 64² patches, red, green, blue and grey, written by GDAL as aerial
      // orthophotos are: JPEG with the YCbCr colour model.
      const colours = [
        [200, 30, 30],
        [30, 200, 30],
        [30, 30, 200],
        [128, 128, 128],
      ];
      const g = utmGrid(256, 64, { pixelWidth: 0.1, pixelHeight: 0.1 });
      const rgb = [0, 1, 2].map((c) =>
        Uint8Array.from({ length: 256 * 64 }, (_, i) => colours[Math.floor((i % 256) / 64)][c]),
      );
      const jpeg = writeWithGdal(join(dir, 'rgb-jpeg.tif'), rgb, g, [
        'COMPRESS=JPEG',
        'PHOTOMETRIC=YCBCR',
        'TILED=YES',
      ]);
      const s = await openScene(jpeg);
      expect(s.bandNames).toEqual(['1', '2', '3']);
      const [r, gr, b] = await s.readBands(['1', '2', '3'], {
        x0: 0,
        y0: 0,
        width: 256,
        height: 64,
      });
      colours.forEach(([R, G, B], k) => {
        // The middle of each patch, away from JPEG's ringing at the patch edges.
        const i = 32 * 256 + k * 64 + 32;
        expect(Math.abs(r[i] - R)).toBeLessThanOrEqual(6);
        expect(Math.abs(gr[i] - G)).toBeLessThanOrEqual(6);
        expect(Math.abs(b[i] - B)).toBeLessThanOrEqual(6);
      });
    },
  );

  it('reads windows of a tiled DEFLATE multiband file with its grid and CRS', async () => {
    const file = writeMultiband(join(dir, 'multi.tif'), bands, grid, { nodata: 0 });
    const s = await openScene(file);
    expect(s.bandNames).toEqual(['1', '2', '3']);
    expect(s.grid.crs.epsg).toBe(32649);
    expect(s.grid).toMatchObject({
      width: 300,
      height: 200,
      originX: 500000,
      originY: 4000000,
      pixelWidth: 10,
    });
    expect(s.nodata).toBe(0);
    const [b3, b1] = await s.readBands(['3', '1'], { x0: 250, y0: 190, width: 50, height: 10 });
    expect(b1[0]).toBe(bands[0][190 * 300 + 250]);
    expect(b3[9 * 50 + 49]).toBe(bands[2][199 * 300 + 299]);
    await s.close();
  });

  it('reads a folder of per-band files, stripped and uncompressed, Float32 and UInt8', async () => {
    const folder = writeBandFolder(join(dir, 'bands'), ['B02', 'B03', 'B04'], bands, grid, {
      tiled: false,
      deflate: false,
    });
    writeFileSync(
      join(folder, 'B08.tif'),
      encodeGeoTiff([Float32Array.from(bands[0], (v) => v / 3)], grid),
    );
    writeFileSync(
      join(folder, 'SCL.tif'),
      encodeGeoTiff([Uint8Array.from(bands[0], (v) => v % 11)], grid),
    );
    const s = await openScene(folder);
    expect(s.bandNames.sort()).toEqual(['B02', 'B03', 'B04', 'B08', 'SCL']);
    const [nir, scl, red] = await s.readBands(['B08', 'SCL', 'B04'], {
      x0: 7,
      y0: 3,
      width: 5,
      height: 5,
    });
    expect(nir[0]).toBeCloseTo(bands[0][3 * 300 + 7] / 3, 3);
    expect(scl[6]).toBe(bands[0][4 * 300 + 8] % 11);
    expect(red[4]).toBe(bands[2][3 * 300 + 11]);
    await s.close();
  });

  it('names bands from Landsat and Sentinel file names', () => {
    expect(bandNameOf('/x/LC08_L2SP_119038_20200101_SR_B4.TIF')).toBe('B4');
    expect(bandNameOf('T50RQV_20200101_B8A.tif')).toBe('B8A');
    expect(bandNameOf('B02.tif')).toBe('B02');
  });

  it('reads an http URL with range requests', async () => {
    const file = writeMultiband(join(dir, 'remote.tif'), bands, grid);
    const bytes = readFileSync(file);
    let ranges = 0;
    const server: Server = createServer((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      if (!m) {
        res.writeHead(200, { 'content-length': bytes.length });
        res.end(bytes);
        return;
      }
      ranges++;
      const a = Number(m[1]);
      const b = Math.min(Number(m[2]), bytes.length - 1);
      res.writeHead(206, {
        'content-range': `bytes ${a}-${b}/${bytes.length}`,
        'content-length': b - a + 1,
      });
      res.end(bytes.subarray(a, b + 1));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    afterAll(() => server.close());
    const port = (server.address() as { port: number }).port;
    const s = await openScene(`http://127.0.0.1:${port}/remote.tif`);
    const [b2] = await s.readBands(['2'], { x0: 100, y0: 100, width: 3, height: 3 });
    expect(b2[0]).toBe(bands[1][100 * 300 + 100]);
    expect(ranges).toBeGreaterThan(0);
    await s.close();
  });

  it('refuses a missing band, a truncated file, a non-TIFF, an unknown CRS and an unreachable URL clearly', async () => {
    const file = writeMultiband(join(dir, 'ok.tif'), bands, grid);
    const s = await openScene(file);
    await expect(s.readBands(['4'], { x0: 0, y0: 0, width: 1, height: 1 })).rejects.toThrow(
      /band 4 is missing/,
    );
    await s.close();
    const full = readFileSync(file);
    const cut = join(dir, 'cut.tif');
    writeFileSync(cut, full.subarray(0, Math.floor(full.length / 3)));
    await expect(openScene(cut)).rejects.toMatchObject({
      name: 'GengbaoError',
      message: expect.stringContaining('cut.tif'),
    });
    const junk = join(dir, 'junk.tif');
    writeFileSync(junk, Buffer.from('this is not a tiff at all'));
    await expect(openScene(junk)).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('junk.tif'),
    });
    const odd = join(dir, 'odd.tif');
    writeFileSync(
      odd,
      encodeGeoTiff(bands, { ...grid, crs: { ...crsFromEpsg(32649), epsg: 2000 } }),
    );
    await expect(openScene(odd)).rejects.toThrow(/odd.tif: EPSG:2000 is not a CRS Gengbao knows/);
    await expect(openScene('http://127.0.0.1:9/nothing.tif')).rejects.toThrow(
      /cannot read the URL/,
    );
    // JPEG 2000 inside TIFF (compression 34712): geotiff.js has no decoder for it.
    const jp2 = Buffer.from(encodeGeoTiff(bands, grid, { deflate: false }));
    const ifd = jp2.readUInt32LE(4);
    for (let e = 0; e < jp2.readUInt16LE(ifd); e++)
      if (jp2.readUInt16LE(ifd + 2 + e * 12) === 259)
        jp2.writeUInt16LE(34712, ifd + 2 + e * 12 + 8);
    const odd2 = join(dir, 'jp2.tif');
    writeFileSync(odd2, jp2);
    await expect(openScene(odd2)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('jp2.tif'),
    });
    await expect(openScene(join(dir, 'absent.tif'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('says a Level-1 product located only by RPCs must be orthorectified first', async () => {
    // Our file with its GeoKeys tag renamed: no georeference, as a Gaofen L1A TIFF has none.
    const bytes = Buffer.from(encodeGeoTiff(bands, grid, { deflate: false }));
    const rename = (from: number, to: number): Buffer => {
      const b = Buffer.from(bytes);
      const ifd = b.readUInt32LE(4);
      for (let e = 0; e < b.readUInt16LE(ifd); e++)
        if (b.readUInt16LE(ifd + 2 + e * 12) === from) b.writeUInt16LE(to, ifd + 2 + e * 12);
      return b;
    };
    const plain = join(dir, 'GF2_PMS1_L1A.tiff');
    writeFileSync(plain, rename(34735, 65000));
    await expect(openScene(plain)).rejects.toThrow(/has no GeoTIFF georeference/);
    writeFileSync(join(dir, 'GF2_PMS1_L1A.rpb'), 'satId = "GF2";\n');
    await expect(openScene(plain)).rejects.toThrow(
      /GF2_PMS1_L1A\.tiff: a Level-1 product located only by rational polynomial coefficients \(RPC\), not orthorectified: orthorectify it first, e\.g\. gdalwarp -rpc/,
    );
    // The RPCs in the TIFF's own RPC tag (50844), as GDAL writes them.
    const tagged = join(dir, 'rpc-tag.tif');
    writeFileSync(tagged, rename(34735, 50844));
    await expect(openScene(tagged)).rejects.toThrow(
      /rpc-tag\.tif: a Level-1 product located only by/,
    );
  });

  it('says how to convert JPEG 2000, a .jp2 band or a SAFE folder holding them', async () => {
    // The first bytes of a JP2 file: its signature box.
    const jp2 = join(dir, 'T50SKF_20230415T030539_B02_10m.jp2');
    writeFileSync(jp2, Buffer.from('0000000c6a5020200d0a870a', 'hex'));
    await expect(openScene(jp2)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(
        /B02_10m\.jp2: JPEG 2000 .* is not read; convert .* gdal_translate -of COG/,
      ),
    });
    const safe = join(dir, 'S2B_MSIL2A_20230415T030539_N0509_R075_T50SKF_20230415T060406.SAFE');
    mkdirSync(join(safe, 'GRANULE'), { recursive: true });
    await expect(openScene(safe)).rejects.toThrow(
      /\.SAFE: the folder holds no \.tif band files; JPEG 2000 .* is not read/,
    );
  });
});
