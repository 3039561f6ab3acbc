import { describe, expect, it } from 'vitest';
import { accountBalance, thresholdVerdict } from './account-balance.ts';
import { epochDayOf } from './calendar-date.ts';
import type { AccountThreshold } from './config.ts';

const TODAY = epochDayOf('2026-03-20');
const rows = accountBalance([
  { currency: 'USD', outstanding: 400_000, oldestDueOn: '2026-02-28' },
  { currency: 'EUR', outstanding: 90_000, oldestDueOn: '2026-03-10' },
]);
const limit = (t: Partial<AccountThreshold>): AccountThreshold => ({
  outstandingGte: null,
  oldestOverdueDaysGte: null,
  ...t,
});

describe('thresholdVerdict', () => {
  it.each([
    ['USD at its limit', limit({ outstandingGte: { byCurrency: { USD: 400_000 }, any: null } }), true],
    ['USD under its limit', limit({ outstandingGte: { byCurrency: { USD: 400_001 }, any: null } }), false],
    [
      'EUR over the any-currency limit',
      limit({ outstandingGte: { byCurrency: { USD: 1e9 }, any: 50_000 } }),
      true,
    ],
    [
      'a currency with no limit never crosses',
      limit({ outstandingGte: { byCurrency: { GBP: 1 }, any: null } }),
      false,
    ],
    ['oldest 20 days overdue, limit 20', limit({ oldestOverdueDaysGte: 20 }), true],
    ['oldest 20 days overdue, limit 21', limit({ oldestOverdueDaysGte: 21 }), false],
  ])('%s', (_name, threshold, holds) => {
    expect(thresholdVerdict(threshold, rows, TODAY).holds).toBe(holds);
  });

  it('should say why an account cleared', () => {
    const verdict = thresholdVerdict(limit({ oldestOverdueDaysGte: 5 }), accountBalance([]), TODAY);
    expect(verdict).toEqual({ holds: false, why: 'nothing outstanding' });
  });
});
