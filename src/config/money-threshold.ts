import { z } from 'zod';
import type { MoneyThreshold } from '../domain/config.ts';
import { isCurrency, minorDigits, parseMoney } from '../domain/money.ts';
import { didYouMean } from './did-you-mean.ts';

let unusualCurrencies: string[] | null = null;

/** Currencies whose minor unit is not a hundredth (JPY 0, BHD 3 …). */
function currenciesWithout2Digits(): string[] {
  unusualCurrencies ??= Intl.supportedValuesOf('currency').filter((c) => minorDigits(c) !== 2);
  return unusualCurrencies;
}

function amountText(input: unknown): string | null {
  if (typeof input === 'string') return input.trim();
  if (typeof input === 'number' && Number.isFinite(input)) {
    const text = String(input);
    return /e/i.test(text) ? null : text;
  }
  return null;
}

/**
 * Minor units of a non-negative amount, rounded up: balances are whole minor units, so `balance >= 0.5 JPY`
 * and `balance >= 1 JPY` (or `< 0.5` and `< 1`) select the same invoices.
 */
function ceilMinor(text: string, currency: string): number | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.replace(/,/g, ''));
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  const digits = minorDigits(currency);
  const parsed = parseMoney(
    fraction.slice(0, digits) ? `${whole}.${fraction.slice(0, digits)}` : whole,
    currency,
  );
  if (!parsed.ok) return null;
  return parsed.minor + (/[1-9]/.test(fraction.slice(digits)) ? 1 : 0);
}

const EXAMPLE = 'an amount like 5000, or amounts per currency like { USD: 5000, EUR: 4500 }';

/**
 * `5000` (that many major units of whatever currency the invoice is in) or `{ USD: 5000, EUR: 4500 }`.
 * A bare amount becomes `any` in hundredths, plus exact entries for currencies with other minor units,
 * so `byCurrency[c] ?? any` is right for every currency.
 */
export const moneyThreshold = z.unknown().transform((input, ctx): MoneyThreshold => {
  const issueCount = ctx.issues.length;
  const fail = (message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', message, path });
  const bare = input === null || typeof input !== 'object' || Array.isArray(input);
  const entries: [string, unknown][] = bare ? [['any', input]] : Object.entries(input);
  const byCurrency: Record<string, number> = {};
  let any: number | null = null;
  let anyText: string | null = null;
  for (const [key, value] of entries) {
    const path = bare ? [] : [key];
    const text = amountText(value);
    if (key === 'any') {
      any = text === null ? null : ceilMinor(text, 'USD');
      if (any === null) fail(`${JSON.stringify(value)} is not an amount; write ${EXAMPLE}`, path);
      anyText = text;
      continue;
    }
    const code = key.toUpperCase();
    if (!isCurrency(code)) {
      fail(
        `"${key}" is not an ISO 4217 currency code${didYouMean(code, Intl.supportedValuesOf('currency'))}`,
        path,
      );
      continue;
    }
    const parsed = text === null ? null : parseMoney(text, code);
    if (!parsed?.ok) fail(parsed?.error ?? `${JSON.stringify(value)} is not an amount for ${code}`, path);
    else if (parsed.minor < 0) fail('must not be negative', path);
    else byCurrency[code] = parsed.minor;
  }
  if (ctx.issues.length > issueCount) return z.NEVER;
  if (anyText !== null) {
    for (const code of currenciesWithout2Digits()) byCurrency[code] ??= ceilMinor(anyText, code) ?? 0;
  }
  return { byCurrency, any };
});
