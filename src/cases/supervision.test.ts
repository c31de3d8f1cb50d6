import { describe, expect, it } from 'vitest';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import { allowedActions } from './lifecycle.ts';
import { replay } from './reducer.ts';
import {
  act,
  day,
  officer,
  reviewer,
  stateAfter,
  supervisor,
  thrown,
  walk,
} from './test-fixtures.ts';

/*
 * 挂牌督办 → progress → 摘牌, and the receipt and outcome of a transfer: side actions that
 * keep the state, recorded facts that replay to the same state.
 */
describe('listing a case (挂牌督办) and lifting it (摘牌)', () => {
  const listing = {
    authority: '山西省自然资源厅',
    docNo: '晋自然资督〔2026〕3号',
    deadline: '2027-03-31',
  };

  it('is listed by a higher authority, reported on by the county, lifted once resolved', () => {
    const decided = stateAfter('decide');
    expect(thrown(() => act(decided, 'list_case', listing, officer, day(21))).code).toBe(
      'forbidden',
    );
    const listed = act(decided, 'list_case', listing, supervisor, day(21));
    expect(listed.state.status).toBe('decided');
    expect(listed.state.listing).toMatchObject({ ...listing, by: supervisor.id, progress: [] });
    expect(listed.triggers).toContainEqual({ kind: 'notify', audience: 'county', scope: '140525' });
    expect(thrown(() => act(listed.state, 'list_case', listing, supervisor, day(21))).code).toBe(
      'conflict',
    );

    const progress = act(
      listed.state,
      'report_listing_progress',
      { progress: '已下达限期拆除决定' },
      officer,
      day(22),
    );
    expect(progress.state.listing?.progress).toHaveLength(1);
    // Not yet resolved on the ground: the listing stays.
    expect(
      thrown(() =>
        act(
          progress.state,
          'lift_listing',
          { docNo: '摘牌〔2027〕1号', reason: '已整改' },
          supervisor,
          day(23),
        ),
      ).code,
    ).toBe('conflict');
    expect(
      allowedActions(progress.state, supervisor, DEFAULT_CASES_CONFIG, day(23)).map(
        (a) => a.action,
      ),
    ).not.toContain('lift_listing');
  });

  it('lifts the listing of a closed case, and the record replays to the same state', () => {
    const steps = walk('close');
    const closed = steps[steps.length - 1].state;
    // A listing is for open cases; list before closing, as a real one would be.
    const before = walk('recheck_pass');
    const listed = act(before[before.length - 1].state, 'list_case', listing, reviewer, day(80));
    const done = act(listed.state, 'close', { summary: '已拆除复耕，结案' }, officer, day(81));
    const lifted = act(
      done.state,
      'lift_listing',
      { docNo: '摘牌〔2027〕1号', reason: '整改到位' },
      supervisor,
      day(82),
    );
    expect(lifted.state.listing?.lifted).toMatchObject({
      docNo: '摘牌〔2027〕1号',
      by: supervisor.id,
    });
    expect(closed.listing).toBeUndefined();
    const events = [...before.map((s) => s.event), listed.event, done.event, lifted.event];
    expect(replay(events)).toEqual(lifted.state);
  });
});

describe('transfer receipts and outcomes', () => {
  it('names an existing transfer and carries a receipt or an outcome', () => {
    const decided = stateAfter('decide');
    expect(
      thrown(() =>
        act(decided, 'transfer_feedback', { transferDocNo: 'x', receiptNo: '1' }, officer, day(22)),
      ).code,
    ).toBe('conflict');
    const sent = act(
      decided,
      'transfer',
      { to: 'police', docNo: '移送〔2026〕1号', reason: '涉嫌非法占用农用地罪' },
      officer,
      day(22),
    );
    expect(
      thrown(() =>
        act(
          sent.state,
          'transfer_feedback',
          { transferDocNo: '移送〔2026〕9号', receiptNo: 'R1' },
          officer,
          day(23),
        ),
      ).field,
    ).toBe('transferDocNo');
    expect(
      thrown(() =>
        act(
          sent.state,
          'transfer_feedback',
          { transferDocNo: '移送〔2026〕1号' },
          officer,
          day(23),
        ),
      ).code,
    ).toBe('bad_input');
    const receipt = act(
      sent.state,
      'transfer_feedback',
      {
        transferDocNo: '移送〔2026〕1号',
        receiptNo: '泽公受字〔2026〕15号',
        receivedAt: '2026-12-14',
      },
      officer,
      day(24),
    );
    const outcome = act(
      receipt.state,
      'transfer_feedback',
      { transferDocNo: '移送〔2026〕1号', outcome: 'filed', outcomeNote: '已立案侦查' },
      officer,
      day(40),
    );
    expect(outcome.state.status).toBe('decided');
    expect(outcome.state.transferFeedback?.map((f) => f.outcome ?? f.receiptNo)).toEqual([
      '泽公受字〔2026〕15号',
      'filed',
    ]);
  });
});
