import { describe, expect, it } from 'vitest';
import { epochDayOf } from './calendar-date.ts';
import type { LateCharge } from './config.ts';
import { quoteEarlyPaymentDiscount, quoteLateCharge } from './late-charges.ts';
import { zoneClock } from './zone-clock.ts';

const DUE = '2026-03-16';
const day = (date: string) => epochDayOf(date);
const usd = (balance: number) => ({ balance, currency: 'USD', dueOn: DUE });

describe('quoteLateCharge', () => {
  const fixed: LateCharge = { kind: 'fixed', amount: { byCurrency: { EUR: 2000 }, any: 2500 } };
  it.each([
    ['a fixed fee in the invoice currency', fixed, { ...usd(120_000), currency: 'EUR' }, '2026-03-17', 2000],
    ['a fixed fee from the amount for any currency', fixed, usd(120_000), '2026-03-17', 2500],
    ['1.5% of the balance', { kind: 'percent', percent: 1.5 } as const, usd(120_000), '2026-03-20', 1800],
    [
      'a percentage rounded half up (1.5% of 1.00 = 1.5 cents)',
      { kind: 'percent', percent: 1.5 } as const,
      usd(100),
      '2026-03-20',
      2,
    ],
    [
      'interest: 1000.00 at 12% a year for 30 days = 9.863',
      { kind: 'interest', annualPercent: 12 } as const,
      usd(100_000),
      '2026-04-15',
      986,
    ],
    [
      'interest rounded half up (3.65 at 10% for 5 days = 0.5 cent)',
      { kind: 'interest', annualPercent: 10 } as const,
      usd(365),
      '2026-03-21',
      1,
    ],
    [
      'interest at a fractional rate (7.25% on 2500.00 for 45 days = 22.345)',
      { kind: 'interest', annualPercent: 7.25 } as const,
      usd(250_000),
      '2026-04-30',
      2235,
    ],
  ] as const)('should charge %s', (_name, charge, invoice, today, amount) => {
    expect(quoteLateCharge(charge, invoice, day(today))?.amount).toBe(amount);
  });

  it('should say how the interest was worked out', () => {
    expect(quoteLateCharge({ kind: 'interest', annualPercent: 12 }, usd(100_000), day('2026-04-15'))).toEqual(
      {
        kind: 'interest',
        amount: 986,
        currency: 'USD',
        basis: { rule: 'interest', annualPercent: 12, balance: 100_000, daysOverdue: 30 },
      },
    );
  });

  it.each([
    ['on the due date', usd(120_000), DUE],
    ['before the due date', usd(120_000), '2026-03-10'],
    ['with nothing owed', usd(0), '2026-04-10'],
  ])('should charge nothing %s', (_name, invoice, today) => {
    for (const charge of [fixed, { kind: 'interest', annualPercent: 12 } as const]) {
      expect(quoteLateCharge(charge, invoice, day(today))).toBeNull();
    }
  });

  it('should charge no fixed fee in a currency the config names no amount for', () => {
    const eurOnly: LateCharge = { kind: 'fixed', amount: { byCurrency: { EUR: 2000 }, any: null } };
    expect(quoteLateCharge(eurOnly, usd(120_000), day('2026-03-20'))).toBeNull();
  });

  it('should count days overdue on the local day: one instant is the due date in New York and a day late in Tokyo', () => {
    const instant = Date.parse('2026-03-17T03:00:00Z');
    const interest: LateCharge = { kind: 'interest', annualPercent: 36.5 };
    const inNewYork = zoneClock('America/New_York').localDay(instant);
    const inTokyo = zoneClock('Asia/Tokyo').localDay(instant);
    expect(quoteLateCharge(interest, usd(100_000), inNewYork)).toBeNull();
    expect(quoteLateCharge(interest, usd(100_000), inTokyo)).toMatchObject({
      amount: 100,
      basis: { daysOverdue: 1 },
    });
  });
});

describe('quoteEarlyPaymentDiscount', () => {
  const discount = { percent: 2, daysBeforeDue: 10 };
  it('should quote the discount up to and including the pay-by date', () => {
    expect(quoteEarlyPaymentDiscount(discount, usd(120_000), day('2026-03-06'))).toEqual({
      amount: 2400,
      currency: 'USD',
      percent: 2,
      payBy: '2026-03-06',
      payable: 117_600,
    });
    expect(quoteEarlyPaymentDiscount(discount, usd(120_000), day('2026-03-01'))?.amount).toBe(2400);
  });
  it('should quote nothing after the pay-by date', () => {
    expect(quoteEarlyPaymentDiscount(discount, usd(120_000), day('2026-03-07'))).toBeNull();
    expect(quoteEarlyPaymentDiscount(discount, usd(120_000), day(DUE))).toBeNull();
  });
});
