import { describe, expect, it } from 'vitest';
import { GengbaoError } from '../errors.ts';
import { allowedActions, applyTransition } from './lifecycle.ts';
import { ACTIONS } from './inputs.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import type { PolygonCaseState } from './states.ts';
import {
  act,
  admin,
  day,
  monitor,
  officer,
  otherCountyOfficer,
  reviewer,
  supervisor,
  villageChief,
  walk,
} from './test-fixtures.ts';

/** Every state of the main line plus the branches: returned, disputed, lawful-reviewed. */
function states(): PolygonCaseState[] {
  const main = walk('close').map((s) => s.state);
  const determined = main[4];
  const returned = act(determined, 'return', { reason: 'x' }, reviewer, day(6)).state;
  const disputed = act(returned, 'dispute', { reason: 'y' }, officer, day(7)).state;
  const verified = main[3];
  const lawful = act(
    verified,
    'determine',
    { category: 'lawful', approvalDocNo: 'z' },
    officer,
    day(5),
  ).state;
  const lawfulReviewed = act(lawful, 'accept', {}, reviewer, day(6)).state;
  return [...main, returned, disputed, lawful, lawfulReviewed];
}

describe('allowedActions agrees with applyTransition', () => {
  it('offers exactly the actions that pass every check before the input', () => {
    const actors = [
      monitor,
      reviewer,
      officer,
      villageChief,
      supervisor,
      admin,
      otherCountyOfficer,
    ];
    let offered = 0;
    for (const s of states()) {
      for (const actor of actors) {
        const allowed = new Set(
          allowedActions(s, actor, DEFAULT_CASES_CONFIG, day(100)).map((a) => a.action),
        );
        for (const action of ACTIONS) {
          let code: string | null = null;
          try {
            applyTransition(
              s,
              action,
              { version: s.version },
              actor,
              day(100),
              DEFAULT_CASES_CONFIG,
            );
          } catch (e) {
            if (!(e instanceof GengbaoError)) throw e;
            code = e.code;
          }
          const where = `${action} by ${actor.id} in ${s.status}`;
          if (allowed.has(action)) {
            offered += 1;
            // Offered: only the (empty) input may be refused.
            expect(code === null || code === 'bad_input', where).toBe(true);
          } else {
            expect(['forbidden', 'forbidden_jurisdiction', 'conflict'], where).toContain(code);
          }
        }
      }
    }
    expect(offered).toBeGreaterThan(40);
  });
});
