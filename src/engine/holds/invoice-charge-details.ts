import type { DulyConfig } from '../../domain/config.ts';
import type { ChargeQuote, DiscountQuote } from '../../domain/late-charges.ts';
import { formatMoney } from '../../domain/money.ts';
import type { Instant, InvoiceFacts, Minor, Touch } from '../../domain/types.ts';
import { formatCalendarDate, resolveLocale } from '../../templates/locale.ts';
import { chargeDedupeKey, touchCharge, touchDiscount } from './invoice-charges.ts';

/** Amounts per currency, written for the reader: `$12.00`, or `$12.00 + €5.00` for a mixed statement. */
function sumText(amounts: { amount: Minor; currency: string }[], locale: string): string {
  const totals = new Map<string, number>();
  for (const a of amounts) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.amount);
  return [...totals].map(([currency, sum]) => formatMoney(sum, currency, locale)).join(' + ');
}

const percentText = (percent: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 }).format(percent / 100);

/**
 * The `fee` and `discount` template variables of an invoice message: the late fee or interest its steps add
 * (the same amounts the dispatcher records as charges) and the early-payment discount its policy offers
 * while the pay-by date has not passed. Absent when there is none, so `{% if fee %}` reads naturally.
 */
export function invoiceChargeDetails(
  touches: Touch[],
  factsById: Map<string, InvoiceFacts>,
  config: DulyConfig,
  readerLocale: string,
  now: Instant,
): Record<string, unknown> {
  const locale = resolveLocale(readerLocale).intl;
  const charges = new Map<string, { quote: ChargeQuote; balance: Minor }>();
  const discounts = new Map<string, { quote: DiscountQuote }>();
  for (const touch of touches) {
    const facts = factsById.get(touch.subjectId);
    if (!facts) continue;
    const charge = touchCharge(touch, facts, config, now);
    if (charge) charges.set(chargeDedupeKey(touch), { quote: charge, balance: facts.invoice.balance });
    const discount = touchDiscount(touch, facts, config, now);
    if (discount) discounts.set(facts.invoice.id, { quote: discount });
  }
  const details: Record<string, unknown> = {};
  const fees = [...charges.values()];
  const first = fees[0]?.quote;
  if (first) {
    const rule = first.basis;
    details.fee = {
      amount: sumText(
        fees.map((f) => f.quote),
        locale,
      ),
      kind: first.kind,
      rate:
        rule.rule === 'interest'
          ? percentText(rule.annualPercent, locale)
          : rule.rule === 'percent'
            ? percentText(rule.percent, locale)
            : '',
      days: Math.max(...fees.map((f) => f.quote.basis.daysOverdue)),
      total: sumText(
        fees.map((f) => ({ amount: f.balance + f.quote.amount, currency: f.quote.currency })),
        locale,
      ),
    };
  }
  const offers = [...discounts.values()].map((d) => d.quote);
  const offer = offers[0];
  if (offer) {
    details.discount = {
      amount: sumText(offers, locale),
      percent: percentText(offer.percent, locale),
      pay_by: formatCalendarDate(offers.map((o) => o.payBy).sort()[0] ?? offer.payBy, locale),
      payable: sumText(
        offers.map((o) => ({ amount: o.payable, currency: o.currency })),
        locale,
      ),
    };
  }
  return details;
}
