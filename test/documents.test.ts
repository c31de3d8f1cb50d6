import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecord } from '../src/services/record-audit.ts';
import { apiCalls, seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { createHash } from 'node:crypto';
import { testBackends } from '../src/store/testing.ts';

/*
 * Enforcement documents over HTTP on both back-ends: a fixture case walked to its decision
 * and transfer gets each document at the step it belongs to, numbered per county, year and
 * kind (never twice, also when two clerks issue at once), stored as evidence and entered in
 * the record with its hashes; the PDF read back by pdftotext and the docx by unzip; a
 * province's template edit is checked, recorded and used.
 */
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
const H = '0123456789abcdef'.repeat(4);
const photo = (i: number, at: string) => ({
  sha256: H.slice(i) + H.slice(0, i),
  lon: 112.011,
  lat: 35.011,
  takenAt: at,
});
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(testBackends())('enforcement documents on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-documents-'));
  const clock = new Date('2026-11-20T02:00:00.000Z');
  const cookies: Record<string, string> = {};
  let id = 0;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => clock, dataDir: dir });
    for (const u of ['province', 'reviewer', 'zezhou', 'village']) cookies[u] = await s.login(u);
    const list = await s.app.inject({
      method: 'GET',
      url: '/api/polygons',
      headers: { cookie: cookies.province },
    });
    id = list.json().items.find((p: { code: string }) => p.code === 'P-NANCUN').id;
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const calls = apiCalls(() => s, cookies);
  const inject = calls.inject;
  const act = (user: string, action: string, input: Record<string, unknown>) =>
    calls.act(user, id, action, input);
  const issue = (kind: string, user = 'zezhou') =>
    inject(user, 'POST', `/api/polygons/${id}/documents`, { kind });

  it('issues each document where the case makes sense of it, numbered, stored and recorded', async () => {
    const at = clock.toISOString();
    await act('province', 'analyse', {
      totalMu: 6,
      layerMu: { farmland: 5.5, pbf: 1.25 },
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: true },
    });
    expect((await issue('stop_notice')).statusCode).toBe(409); // not pushed yet
    await inject('province', 'POST', '/api/dispatch', { period: '2026-11' });
    await act('village', 'verify', {
      photos: [photo(1, at), photo(2, at)],
      description: '耕地上新建砖混房屋一处',
      visitedAt: at,
      builder: '张三丰',
      use: '砖混结构厂房',
    });
    await act('zezhou', 'determine', {
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: 2026,
    });
    await act('reviewer', 'accept', {});

    // Only the county officer issues; the stop notice before the stop, with the next number.
    expect((await issue('stop_notice', 'village')).statusCode).toBe(403);
    expect((await issue('penalty_decision')).statusCode).toBe(409);
    const stop = await issue('stop_notice');
    expect(stop.statusCode, stop.body).toBe(201);
    expect(stop.json()).toMatchObject({
      kind: 'stop_notice',
      number: '泽州自然资责停〔2026〕1号',
      seq: 1,
      title: '责令停止违法行为通知书',
    });

    await act('village', 'stop', {
      method: 'stop_order',
      orderNo: stop.json().number,
      stoppedAt: at,
      photos: [photo(3, at)],
    });
    await act('zezhou', 'file_case', {
      mode: 'direct',
      caseNo: '泽自然资立〔2026〕12号',
      parties: [
        {
          kind: 'person',
          name: '张三丰',
          idNumber: '140525198001011234',
          address: '泽州县南村镇南村 8 号',
        },
      ],
    });
    expect((await issue('filing_approval')).json().number).toBe('泽州自然资立〔2026〕1号');
    await act('zezhou', 'decide', {
      decisionNo: '泽自然资决〔2026〕12号',
      measures: [
        { kind: 'demolish' },
        { kind: 'restore_land' },
        { kind: 'fine', amountYuan: 12000 },
      ],
      hearing: 'waived',
      investigationReportNo: '调查〔2026〕12号',
      rectifyBy: '2026-12-31',
    });
    await act('zezhou', 'transfer', {
      to: 'police',
      docNo: '泽自然资移〔2026〕3号',
      reason: '占用永久基本农田，涉嫌非法占用农用地罪',
    });

    // Two clerks at once: two documents, two numbers, the sequence never repeats.
    const [a, b] = await Promise.all([issue('penalty_decision'), issue('penalty_decision')]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(new Set([a.json().number, b.json().number])).toEqual(
      new Set(['泽州自然资罚〔2026〕1号', '泽州自然资罚〔2026〕2号']),
    );
    const demolition = await issue('demolition_notice');
    const transfer = await issue('transfer_letter');
    expect(transfer.statusCode, transfer.body).toBe(201);

    const list = (await inject('zezhou', 'GET', `/api/polygons/${id}/documents`)).json().items;
    expect(list.map((d: { kind: string }) => d.kind)).toEqual([
      'stop_notice',
      'filing_approval',
      'penalty_decision',
      'penalty_decision',
      'demolition_notice',
      'transfer_letter',
    ]);
    expect(new Set(list.map((d: { number: string }) => d.number)).size).toBe(6);
    // The 图斑's reply carries them in its record (the office timeline shows number, kind, hash).
    const record = (await inject('zezhou', 'GET', `/api/polygons/${id}`)).json().events as {
      seq: number;
      type: string;
      payload: { number?: string; pdfSha256?: string };
    }[];
    const issued = record.filter((e) => e.type === 'document.issued');
    expect(issued.map((e) => e.payload.number).sort()).toEqual(
      list.map((d: { number: string }) => d.number).sort(),
    );
    expect(record.map((e) => e.seq)).toEqual([...record.map((e) => e.seq)].sort((x, y) => x - y));
    // Another county does not see them.
    cookies.gaoping = await s.login('gaoping');
    expect((await inject('gaoping', 'GET', `/api/polygons/${id}/documents`)).statusCode).toBe(404);

    // In the record: each issuance an event with the number and the file's hash.
    const events = await db.query<{
      seq: number;
      hash: string;
      payload: { number: string; pdfSha256: string; docxSha256: string };
    }>(
      `SELECT seq, hash, payload FROM events WHERE entity_type = 'polygon_document' AND entity_id = $1 ORDER BY seq`,
      [String(id)],
    );
    expect(events.map((e) => e.payload.number)).toEqual(
      list.map((d: { number: string }) => d.number),
    );
    for (const [i, d] of list.entries()) {
      expect(d.eventSeq).toBe(Number(events[i].seq));
      const pdf = await inject(
        'zezhou',
        'GET',
        `/api/polygons/${id}/documents/${d.id}/file?format=pdf`,
      );
      expect(pdf.statusCode).toBe(200);
      expect(sha(pdf.rawPayload)).toBe(events[i].payload.pdfSha256);
    }
    const audit = await auditRecord(db);
    expect(audit.chain.ok, JSON.stringify(audit.chain)).toBe(true);
    expect(audit.mismatches).toEqual([]);

    // The decision's PDF says its number, the party and the place; its docx too.
    const decision = a.json();
    const pdf = (
      await inject('zezhou', 'GET', `/api/polygons/${id}/documents/${decision.id}/file?format=pdf`)
    ).rawPayload;
    const docx = await inject(
      'zezhou',
      'GET',
      `/api/polygons/${id}/documents/${decision.id}/file?format=docx`,
    );
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    writeFileSync(join(dir, 'd.pdf'), pdf);
    writeFileSync(join(dir, 'd.docx'), docx.rawPayload);
    const xml = execFileSync('unzip', ['-p', join(dir, 'd.docx'), 'word/document.xml']).toString(
      'utf8',
    );
    for (const t of [
      decision.number,
      '张三丰',
      '泽州县南村镇南村',
      '限期拆除、恢复耕地、罚款 12000 元',
      '2026年12月31日',
    ])
      expect(xml).toContain(t);
    if (hasPoppler) {
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'd.pdf'), '-'])
        .toString('utf8')
        .replace(/\s+/g, '');
      for (const t of [
        decision.number,
        '张三丰',
        '泽州县南村镇南村',
        '行政处罚决定书',
        '140525198001011234',
      ])
        expect(text).toContain(t);
      writeFileSync(
        join(dir, 't.pdf'),
        (await inject('zezhou', 'GET', `/api/polygons/${id}/documents/${transfer.json().id}/file`))
          .rawPayload,
      );
      const t2 = execFileSync('pdftotext', [join(dir, 't.pdf'), '-'])
        .toString('utf8')
        .replace(/\s+/g, '');
      expect(t2).toContain('公安机关');
      expect(t2).toContain(transfer.json().number);
    }
    expect(demolition.json().number).toBe('泽州自然资拆〔2026〕1号');
  });

  it('draws the dossiers of a period as one zip of PDFs, in the caller’s scope', async () => {
    cookies.reviewer = await s.login('reviewer');
    const res = await inject('reviewer', 'POST', '/api/dossiers', { period: '2026-11' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-dossier-count']).toBe('3');
    writeFileSync(join(dir, 'd.zip'), res.rawPayload);
    const names = execFileSync('unzip', ['-Z1', join(dir, 'd.zip')])
      .toString('utf8')
      .trim()
      .split('\n')
      .sort();
    expect(names).toEqual([
      'dossier-P-BEICUN.pdf',
      'dossier-P-GAOPING.pdf',
      'dossier-P-NANCUN.pdf',
    ]);
    const mine = await inject('zezhou', 'POST', '/api/dossiers', { ids: [id] });
    expect(mine.headers['x-dossier-count']).toBe('1');
    expect((await inject('zezhou', 'POST', '/api/dossiers', {})).statusCode).toBe(400);
  });

  it('lets the province edit a template — checked, recorded, used for the next number', async () => {
    const current = (await inject('zezhou', 'GET', '/api/documents/templates')).json();
    expect(current.province).toBe('14');
    const decision = current.kinds.find((k: { kind: string }) => k.kind === 'penalty_decision');
    expect(decision.source).toBe('national');
    const edited = { ...decision.template, number: '{county简称}自然资罚字〔{year}〕第{seq:3}号' };
    expect(
      (await inject('zezhou', 'PUT', '/api/documents/templates/penalty_decision', edited))
        .statusCode,
    ).toBe(403);
    const bad = await inject('province', 'PUT', '/api/documents/templates/penalty_decision', {
      ...edited,
      blocks: [{ type: 'paragraph', text: '{不存在}' }],
    });
    expect(bad.statusCode).toBe(400);
    const ok = await inject('province', 'PUT', '/api/documents/templates/penalty_decision', edited);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().source).toBe('province');
    const abbr = await inject('province', 'PUT', '/api/documents/abbreviations', {
      '140525': '泽',
    });
    expect(abbr.statusCode, abbr.body).toBe(200);
    const next = await issue('penalty_decision');
    expect(next.json().number).toBe('泽自然资罚字〔2026〕第003号');
    const recorded = await db.query<{ type: string; payload: { kind?: string; sha256?: string } }>(
      `SELECT type, payload FROM events WHERE entity_type = 'document_template' ORDER BY seq`,
    );
    expect(recorded.map((e) => e.type)).toEqual([
      'document_template.updated',
      'document_template.abbreviations',
    ]);
    expect(recorded[0].payload.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await inject('province', 'DELETE', '/api/documents/templates/penalty_decision')).json()
        .source,
    ).toBe('national');
  });
});
