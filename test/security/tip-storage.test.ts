import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPhotoFile } from '../../src/field/image.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../../src/server/testing.ts';
import { putSetting } from '../../src/store/settings.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: anonymous tips carried up to ~36 MB of photos each, checked only by their first
 * bytes and kept for ever (three requests wrote 108 MB in 4 s), with the tipster's EXIF (GPS)
 * kept too. Now tips are bounded per tip, per client per day, for everyone per day and in all;
 * photos are decoded as JPEG/PNG and rewritten without metadata or trailing bytes; anything
 * else is refused; photos of tips never taken up are deleted after 90 days.
 */

/** A real JPEG with an EXIF block holding a GPS position and an orientation, a comment, and bytes after its end. */
function phoneJpeg(seed: number, orientation = 6): Buffer {
  const w = 32;
  const h = 24;
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (seed * 31 + i * 7) & 255;
  const plain = jpeg.encode({ data, width: w, height: h }, 90).data;
  // EXIF (big-endian TIFF): IFD0 with Orientation and a GPS IFD pointer; the GPS IFD with a latitude ref.
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    0x2a,
    0,
    0,
    0,
    8,
    0,
    2,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0x88,
    0x25,
    0,
    4,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    38,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    2,
    0,
    0,
    0,
    2,
    0x4e,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const exifBody = Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    tiff,
    Buffer.from('GPS 35.4912N 112.8512E home of the tipster'),
  ]);
  const app1 = Buffer.concat([
    Buffer.from([0xff, 0xe1, (exifBody.length + 2) >> 8, (exifBody.length + 2) & 255]),
    exifBody,
  ]);
  const comment = Buffer.from('tipster phone serial 12345');
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment]);
  return Buffer.concat([
    plain.subarray(0, 2),
    app1,
    com,
    plain.subarray(2),
    Buffer.from('<html><script>alert(1)</script></html>'),
  ]);
}

function textPng(seed: number): Buffer {
  const png = new PNG({ width: 8, height: 8 });
  png.data.fill(seed & 255);
  const b = PNG.sync.write(png);
  // a tEXt chunk ("Comment" = the tipster's name) before IEND; its CRC is not checked by the stripper
  const text = Buffer.from('Comment\0Zhang San, 138-0000-0000', 'latin1');
  const chunk = Buffer.concat([Buffer.alloc(4), Buffer.from('tEXt'), text, Buffer.alloc(4)]);
  chunk.writeUInt32BE(text.length, 0);
  return Buffer.concat([b.subarray(0, b.length - 12), chunk, b.subarray(b.length - 12)]);
}

const b64 = (b: Buffer) => b.toString('base64');
const tipWith = (photos: Buffer[]) => ({
  lon: 112.05,
  lat: 35.05,
  description: '农田里在建房 a house on farmland',
  photos: photos.map((p) => ({ data: b64(p) })),
});

describe.each(testBackends())('tip storage on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let clock = new Date('2026-12-01T08:00:00Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-tips-'));
  let address = 0;
  const send = (body: object, remoteAddress = `203.0.113.${++address}`) =>
    s.app.inject({ method: 'POST', url: '/api/public/tips', payload: body, remoteAddress });
  const files = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence_files'))[0].n;
  const stored = async (receipt: string) =>
    (
      await db.query<{ photos: string[] }>('SELECT photos FROM public_tips WHERE receipt = $1', [
        receipt,
      ])
    )[0].photos;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => clock, dataDir });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a JPEG decoded and rewritten: no EXIF GPS, comment or trailing bytes, orientation kept, pixels unchanged', async () => {
    const original = phoneJpeg(1);
    const r = await send(tipWith([original]));
    expect(r.statusCode).toBe(200);
    const [sha] = await stored(r.json().receipt);
    const kept = readFileSync(join(dataDir, 'evidence', sha));
    expect(kept.length).toBeLessThan(original.length);
    for (const secret of ['GPS', 'tipster', 'serial', '<html>'])
      expect(kept.toString('latin1')).not.toContain(secret);
    expect(kept.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(kept.toString('latin1')).toContain('Exif\0\0'); // the orientation-only EXIF
    expect(kept.includes(Buffer.from([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6]))).toBe(true);
    expect(jpeg.decode(kept).data).toEqual(jpeg.decode(original).data);
    const [{ photo_bytes }] = await db.query<{ photo_bytes: number }>(
      'SELECT photo_bytes FROM public_tips WHERE receipt = $1',
      [r.json().receipt],
    );
    expect(photo_bytes).toBe(kept.length);
  });

  it('keeps a PNG without its text chunks', async () => {
    const r = await send(tipWith([textPng(7)]));
    expect(r.statusCode).toBe(200);
    const kept = readFileSync(join(dataDir, 'evidence', (await stored(r.json().receipt))[0]));
    expect(kept.toString('latin1')).not.toContain('Zhang San');
    expect(PNG.sync.read(kept).width).toBe(8);
  });

  it('refuses SVG, HTML and files that only start like an image, storing nothing', async () => {
    const before = await files();
    const fakes = [
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      Buffer.from('<!doctype html><html><body>hi</body></html>'),
      Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
        Buffer.from('JFIF\0<html><script>alert(1)</script></html>'),
      ]),
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from('<html></html>'),
      ]),
      Buffer.from('RIFF\0\0\0\0WEBPVP8 not really'),
    ];
    for (const f of fakes) {
      const r = await send(tipWith([f]));
      expect([400, 415]).toContain(r.statusCode);
      expect(r.json().error.message).toMatch(/照片|JPEG|PNG/);
    }
    expect(await files()).toBe(before);
  });

  it('refuses the same fakes as field photos (by their structure; field bytes are kept as sent)', () => {
    const fake = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
      Buffer.from('JFIF\0<html></html>'),
    ]);
    expect(() => assertPhotoFile(fake, 1e6, 'photos[0]')).toThrow(/not a valid photo/);
    expect(() => assertPhotoFile(Buffer.from('<svg/>'), 1e6, 'photos[0]')).toThrow(
      /not a JPEG, PNG/,
    );
    expect(assertPhotoFile(phoneJpeg(2), 1e6, 'photos[0]')).toBe('image/jpeg');
  });

  it('bounds one tip: photo count, each photo and the total', async () => {
    const many = await send(tipWith(Array.from({ length: 7 }, (_, i) => phoneJpeg(10 + i))));
    expect(many.statusCode).toBe(400);
    const big = 'A'.repeat(Math.ceil((9 * 1024 * 1024 * 4) / 3));
    const one = await send({ ...tipWith([]), photos: [{ data: big }] });
    expect(one.statusCode).toBe(400);
    expect(one.json().error.message).toMatch(/limit is 8\.0 MB/);
    const seven = 'A'.repeat(Math.ceil((7 * 1024 * 1024 * 4) / 3));
    const total = await send({
      ...tipWith([]),
      photos: [{ data: seven }, { data: seven }, { data: seven }],
    });
    expect(total.statusCode).toBe(400);
    expect(total.json().error.message).toMatch(/limit per tip is 20\.0 MB/);
  });

  it('applies the per-client and per-day quotas, and a photo flood never stops text tips', async () => {
    const photo = phoneJpeg(20);
    expect((await send(tipWith([photo]), '198.51.100.1')).statusCode).toBe(200);
    // The first photo was kept smaller than sent (stripped); a second would pass the day's bytes.
    await putSetting(db, 'field.config', {
      tipPhotoBytesPerDayPerIp: photo.length,
      tipsPerDayPerIp: 3,
      tipsPerHourPerIp: 100,
    });
    expect((await send(tipWith([phoneJpeg(21)]), '198.51.100.1')).statusCode).toBe(429); // client's photo bytes today
    expect((await send(tipWith([]), '198.51.100.1')).statusCode).toBe(200); // text still taken
    expect((await send(tipWith([]), '198.51.100.1')).statusCode).toBe(200);
    expect((await send(tipWith([]), '198.51.100.1')).statusCode).toBe(429); // three tips today
    // Everyone together: the day's photo bytes.
    await putSetting(db, 'field.config', { tipPhotoBytesPerDay: 1, tipsPerHourPerIp: 100 });
    const day = await send(tipWith([phoneJpeg(22)]));
    expect(day.statusCode).toBe(429);
    expect(day.json().error.message).toMatch(/without photos/);
    expect((await send(tipWith([]))).statusCode).toBe(200);
    // The cap on photos kept at once.
    await putSetting(db, 'field.config', { tipPhotoBytesStored: 1, tipsPerHourPerIp: 100 });
    expect((await send(tipWith([phoneJpeg(23)]))).statusCode).toBe(429);
    await putSetting(db, 'field.config', {});
  });

  it('parallel tips from one client cannot pass the hourly limit together', async () => {
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => send(tipWith([]), '198.51.100.77')),
    );
    expect(rs.filter((r) => r.statusCode === 200)).toHaveLength(5);
  });

  it('deletes photos of tips rejected or left untriaged for 90 days, keeping evidence still in use', async () => {
    const shared = phoneJpeg(30);
    const rejected = (await send(tipWith([phoneJpeg(31), shared]))).json().receipt;
    const untouched = (await send(tipWith([phoneJpeg(32)]))).json().receipt;
    const accepted = (await send(tipWith([shared]))).json().receipt;
    const officer = await s.login('zezhou');
    const idOf = async (receipt: string) =>
      (
        await db.query<{ id: number }>('SELECT id FROM public_tips WHERE receipt = $1', [receipt])
      )[0].id;
    const triage = (id: number, outcome: string) =>
      s.app.inject({
        method: 'POST',
        url: `/api/tips/${id}/triage`,
        headers: { cookie: officer },
        payload: { outcome, reason: outcome === 'accept' ? '核实属实' : '不属实' },
      });
    expect((await triage(await idOf(rejected), 'reject')).statusCode).toBe(200);
    expect((await triage(await idOf(accepted), 'accept')).statusCode).toBe(200);
    const [gone, sharedSha] = await stored(rejected);
    const [untouchedSha] = await stored(untouched);

    clock = new Date(clock.getTime() + 89 * 86400_000);
    expect((await s.services.fieldLeads.sweepTipPhotos()).tips).toBe(0);
    clock = new Date(clock.getTime() + 2 * 86400_000);
    const swept = await s.services.fieldLeads.sweepTipPhotos();
    expect(swept.tips).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(dataDir, 'evidence', gone))).toBe(false);
    expect(existsSync(join(dataDir, 'evidence', untouchedSha))).toBe(false);
    expect(existsSync(join(dataDir, 'evidence', sharedSha))).toBe(true); // evidence of the accepted tip's 图斑
    // The tips themselves stay, and their tipsters still see the outcome.
    const status = await s.app.inject({ method: 'GET', url: `/api/public/tips/${rejected}` });
    expect(status.json().status).toBe('rejected');
    expect((await s.services.fieldLeads.sweepTipPhotos()).tips).toBe(0);
  });
});
