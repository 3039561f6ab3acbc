import { createHash } from 'node:crypto';
import { type Checked, checkChannelName, checkEmail, checkPhone, checkTelegram } from './import-fields.ts';
import type { FieldProblem, ImportCells, ImportColumn, ImportContact } from './import-row.ts';

const ADDRESS_COLUMNS: readonly ImportColumn[] = ['email', 'phone', 'whatsapp', 'telegram'];
const CONTACT_COLUMNS: readonly ImportColumn[] = [
  'contact_id',
  'contact_name',
  'email',
  'phone',
  'whatsapp',
  'telegram',
  'preferred_channel',
];

/**
 * The id of a contact imported without `contact_id`. Ids travel into touches, dedupe keys and the
 * audit trail, so they are derived from the address, never the address itself.
 */
export function derivedContactId(accountId: string, address: string): string {
  return `${accountId}:${createHash('sha256').update(address).digest('hex').slice(0, 16)}`;
}

/** The contact a record names, if it names one; problems go to `problems`. */
export function readImportContact(
  cells: ImportCells,
  accountId: string,
  problems: FieldProblem[],
): ImportContact | null {
  if (!CONTACT_COLUMNS.some((column) => cells[column])) return null;
  const read = (column: ImportColumn, checker: (text: string) => Checked<string>): string | null => {
    const text = cells[column] ?? '';
    if (text === '') return null;
    const result = checker(text);
    if (!result.ok) problems.push({ field: column, problem: result.error });
    return result.ok ? result.value : null;
  };
  const email = read('email', checkEmail);
  const phone = read('phone', checkPhone);
  const whatsapp = read('whatsapp', checkPhone);
  const telegram = read('telegram', checkTelegram);
  const preferredChannel = read('preferred_channel', checkChannelName);
  const address = email?.toLowerCase() ?? phone ?? whatsapp ?? telegram;
  // A bad address has been reported already; "no address" would only repeat it.
  if (!address && !ADDRESS_COLUMNS.some((column) => cells[column])) {
    problems.push({
      field: 'email',
      problem: 'a contact needs at least one of email, phone, whatsapp or telegram',
    });
  }
  return {
    // Ids travel into touches, dedupe keys and the audit trail: derived from the address, never the address itself.
    id:
      cells.contact_id ||
      `${accountId}:${createHash('sha256')
        .update(address ?? '')
        .digest('hex')
        .slice(0, 16)}`,
    accountId,
    name: cells.contact_name || null,
    email,
    phone,
    whatsapp,
    telegram,
    preferredChannel,
  };
}
