import type { Minor } from './types.ts';

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, BHD 3), from Intl. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** True for a three-letter code Intl knows as a currency. */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

/**
 * Parses a decimal amount in major units ("1234.5", "-20", "1,234.50") into minor units, by string
 * arithmetic so that no float ever rounds a cent. Returns an error message instead of throwing.
 */
export function parseMoney(
  text: string,
  currency: string,
): { ok: true; minor: Minor } | { ok: false; error: string } {
  const cleaned = text.trim().replace(/,/g, '');
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return { ok: false, error: `"${text}" is not an amount; write it like 1234.50` };
  const [, sign, whole = '0', fraction = ''] = match;
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    return { ok: false, error: `"${text}" has more than ${digits} decimal places for ${currency}` };
  }
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, error: `"${text}" is too large` };
  return { ok: true, minor: sign ? -minor : minor };
}

/** Major units as a plain decimal string ("1234.50"), for exports and machine-readable output. */
export function formatMinorPlain(minor: Minor, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Money for people, in their locale: `$1,234.50`, `1 234,50 €`. */
export function formatMoney(minor: Minor, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(minor / 10 ** minorDigits(currency));
}
