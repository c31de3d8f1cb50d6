import { beforeAll, describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';
import { testPng } from '../field/fixtures.ts';

/**
 * Findings: a push (下发) could name assignees from another county, who were then notified of
 * a case outside their jurisdiction; a camera's alarm placed outside the camera's county was
 * accepted. Both are refused now, changing nothing.
 */
describe.each(testBackends())('no data crosses county lines on $name', (backend) => {
  const fx = servedFixture(backend);
  let polygon: number;
  const userId = async (username: string) =>
    Number(
      (await fx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = $1`, [username]))[0]
        .id,
    );

  beforeAll(async () => {
    [{ id: polygon }] = await fx.db.query<{ id: number }>(
      `SELECT id FROM polygons WHERE code = 'P-NANCUN'`,
    );
  });

  const act = async (action: string, input: unknown) =>
    fx.s.app.inject({
      method: 'POST',
      url: `/api/polygons/${polygon}/transitions`,
      headers: { cookie: await fx.s.login('province') },
      payload: { action, input },
    });

  it('refuses a push naming an assignee of another county, or no user at all', async () => {
    const analysed = await act('analyse', {
      version: 1,
      totalMu: 1,
      layerMu: {},
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
    });
    expect(analysed.statusCode, analysed.body).toBe(200);
    const notices = async () =>
      (await fx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications'))[0].n;
    const before = await notices();
    const push = (assigneeIds: string[]) =>
      act('push', { version: 2, unitCode: '140525100200', assigneeIds });
    const foreign = await push([String(await userId('gaoping'))]);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error).toMatchObject({
      code: 'forbidden_jurisdiction',
      field: 'assigneeIds',
    });
    expect((await push(['999999'])).json().error).toMatchObject({
      code: 'bad_input',
      field: 'assigneeIds',
    });
    expect(await notices()).toBe(before);
    const [{ status }] = await fx.db.query<{ status: string }>(
      `SELECT status FROM polygons WHERE id = $1`,
      [polygon],
    );
    expect(status).toBe('analysed');
    const ok = await push([String(await userId('village'))]);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('refuses a camera alarm placed outside the camera’s county', async () => {
    const admin = await fx.s.login('admin');
    const cam = await fx.s.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { cookie: admin },
      payload: {
        id: 'cam-zz-1',
        jurisdictionCode: '140525100200',
        label: '南村东口',
        lon: 112.05,
        lat: 35.05,
      },
    });
    expect(cam.statusCode, cam.body).toBe(201);
    const send = (eventId: string, lon: number, lat: number) =>
      fx.s.app.inject({
        method: 'POST',
        url: '/api/cameras/cam-zz-1/events',
        headers: { 'x-camera-token': cam.json().token },
        payload: {
          eventId,
          at: new Date().toISOString(),
          snapshot: testPng(7).toString('base64'),
          lon,
          lat,
        },
      });
    const count = async () =>
      (await fx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM camera_events'))[0].n;
    const elsewhere = await send('e1', 113.4, 35.4);
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.message).toMatch(/outside the camera's county 140525/);
    expect((await send('e2', 10, 10)).statusCode).toBe(400);
    expect(await count()).toBe(0);
    // In the county but outside the camera's village: kept under the camera's own unit.
    const inCounty = await send('e3', 112.3, 35.3);
    expect(inCounty.statusCode, inCounty.body).toBeLessThan(300);
    const [row] = await fx.db.query<{ jurisdiction_code: string }>(
      `SELECT jurisdiction_code FROM camera_events`,
    );
    expect(row.jurisdiction_code).toBe('140525100200');
  });
});
