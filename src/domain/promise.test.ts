import { describe, expect, it } from 'vitest';
import { promiseStateAt, promiseWaitUntil } from './promise.ts';

const at = (iso: string) => Date.parse(iso);

describe('promiseWaitUntil', () => {
  it.each([
    [
      'the end of the day in New York (summer time)',
      '2026-03-20',
      'America/New_York',
      '2026-03-21T04:00:00Z',
    ],
    [
      'the end of the day before New York moves its clocks',
      '2026-03-07',
      'America/New_York',
      '2026-03-08T05:00:00Z',
    ],
    [
      'the end of the day before Paris moves its clocks',
      '2026-03-28',
      'Europe/Paris',
      '2026-03-28T23:00:00Z',
    ],
    ['the end of the day in Tokyo', '2026-03-20', 'Asia/Tokyo', '2026-03-20T15:00:00Z'],
  ])('should wait until %s', (_name, promisedOn, zone, expected) => {
    expect(promiseWaitUntil(promisedOn, zone)).toBe(at(expected));
  });
});

describe('promiseStateAt', () => {
  const terms = { amount: 50_000, balanceAtPromise: 120_000, waitUntil: at('2026-03-21T04:00:00Z') };
  const before = at('2026-03-21T03:59:59Z');
  const after = at('2026-03-21T04:00:00Z');
  it.each([
    ['open before its day ends, unpaid', { status: 'open', balance: 120_000 }, before, 'open'],
    ['broken once its day ends, unpaid', { status: 'open', balance: 120_000 }, after, 'broken'],
    ['broken when less than promised was paid', { status: 'partial', balance: 80_000 }, after, 'broken'],
    ['kept when the promised amount was paid', { status: 'partial', balance: 70_000 }, after, 'kept'],
    [
      'kept as soon as the amount is paid, before the day',
      { status: 'partial', balance: 70_000 },
      before,
      'kept',
    ],
    ['kept when the invoice is paid', { status: 'paid', balance: 0 }, before, 'kept'],
    ['withdrawn when the invoice is voided', { status: 'void', balance: 120_000 }, after, 'withdrawn'],
  ] as const)('should be %s', (_name, invoice, now, state) => {
    expect(promiseStateAt(terms, invoice, now)).toBe(state);
  });
});
