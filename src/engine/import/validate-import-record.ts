import { isCurrency, parseMoney } from '../../domain/money.ts';
import { INVOICE_STATUSES, type InvoiceStatus, type Minor } from '../../domain/types.ts';
import {
  type Checked,
  checkBoolean,
  checkDate,
  checkLocale,
  checkTimeZone,
  splitTags,
} from './import-fields.ts';
import type { FieldProblem, ImportCells, ImportColumn, ImportRow } from './import-row.ts';
import { REQUIRED_COLUMNS } from './import-row.ts';
import { readImportContact } from './read-import-contact.ts';

const currencies = new Map<string, boolean>();

/** Turns one record into an ImportRow, or lists every field that is wrong with it. */
export function validateImportRecord(
  cells: ImportCells,
  line: number,
): { row: ImportRow; problems: [] } | { row: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const get = (column: ImportColumn) => cells[column] ?? '';
  const check = <T>(column: ImportColumn, result: Checked<T>): T | null => {
    if (result.ok) return result.value;
    problems.push({ field: column, problem: result.error });
    return null;
  };
  const optional = <T>(column: ImportColumn, checker: (text: string) => Checked<T>): T | null => {
    const text = get(column);
    return text === '' ? null : check(column, checker(text));
  };
  for (const column of REQUIRED_COLUMNS) {
    if (get(column) === '') problems.push({ field: column, problem: 'is required' });
  }

  const currency = get('currency').toUpperCase();
  let currencyOk = currency !== '' && currencies.get(currency);
  if (currency !== '' && currencyOk === undefined) {
    currencyOk = isCurrency(currency);
    currencies.set(currency, currencyOk);
  }
  if (currency !== '' && !currencyOk) {
    problems.push({
      field: 'currency',
      problem: `"${get('currency')}" is not an ISO 4217 currency code, like USD`,
    });
  }
  const money = (column: 'amount' | 'balance'): Minor | null => {
    const text = get(column);
    if (text === '' || !currencyOk) return null;
    const parsed = parseMoney(text, currency);
    if (!parsed.ok) return check(column, parsed);
    return parsed.minor < 0 ? check(column, { ok: false, error: `"${text}" is negative` }) : parsed.minor;
  };
  const amount = money('amount');
  const balance = money('balance');
  if (amount !== null && balance !== null && balance > amount) {
    problems.push({
      field: 'balance',
      problem: `${get('balance')} is more than the amount ${get('amount')}`,
    });
  }

  const issuedOn = optional('issued_on', checkDate);
  const dueOn = optional('due_on', checkDate);
  if (issuedOn && dueOn && dueOn < issuedOn) {
    problems.push({ field: 'due_on', problem: `${dueOn} is before issued_on ${issuedOn}` });
  }
  const status = optional('status', (text): Checked<InvoiceStatus> => {
    const value = text.toLowerCase().replace(/[\s-]/g, '_') as InvoiceStatus;
    return INVOICE_STATUSES.includes(value)
      ? { ok: true, value }
      : { ok: false, error: `"${text}" is not a status; use one of ${INVOICE_STATUSES.join(', ')}` };
  });
  const disputed = optional('disputed', checkBoolean);
  const timezone = optional('timezone', checkTimeZone);
  const locale = optional('locale', checkLocale);
  const autoPay = optional('auto_pay', checkBoolean);
  const contact = readImportContact(cells, get('account_id'), problems);

  if (problems.length > 0 || amount === null || issuedOn === null || dueOn === null) {
    return { row: null, problems };
  }
  return {
    row: {
      line,
      account: {
        id: get('account_id'),
        name: get('account_name'),
        timezone,
        locale,
        tags: get('tags') === '' ? null : splitTags(get('tags')),
        owner: get('owner') || null,
        autoPay,
      },
      contact,
      invoice: {
        number: get('invoice_number'),
        accountId: get('account_id'),
        amount,
        balance,
        currency,
        issuedOn,
        dueOn,
        status,
        disputed,
        source: get('source') || null,
        externalId: get('external_id') || null,
        contractId: get('contract_id') || null,
      },
    },
    problems: [],
  };
}
