import { basename } from 'node:path';
import { DulyError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import { cancelPendingTouches } from '../cancel-touches.ts';
import type { Ctx } from '../context.ts';
import { afterInvoicesChanged } from '../invoice-hooks.ts';
import type { ImportCounts } from './import-counts.ts';
import { parseImportFile } from './parse-import-file.ts';
import { saveAccounts } from './save-accounts.ts';
import { saveContacts } from './save-contacts.ts';
import { saveInvoices } from './save-invoices.ts';

export interface ImportInvoicesInput {
  /** Path of a CSV or JSON file. */
  file: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportInvoicesResult {
  accounts: ImportCounts;
  contacts: ImportCounts;
  invoices: ImportCounts;
  touchesCancelled: number;
}

/**
 * Imports accounts, contacts and invoices from a file, all or nothing, in one transaction. Invoices are
 * matched by number; a change that affects reminders asks the planner to look again (`next_plan_at = 0`),
 * and an invoice that is settled or disputed has its pending touches cancelled. Re-importing the same
 * file changes nothing.
 */
export async function importInvoices({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ImportInvoicesInput;
}): Promise<ImportInvoicesResult> {
  if (typeof input?.file !== 'string' || input.file.trim() === '') {
    throw new DulyError('invalid_input', 'name the file to import (a .csv or .json file)', { field: 'file' });
  }
  const { file, onProgress } = input;
  const { format, rows } = await parseImportFile(file);
  const now = ctx.clock();
  const { tenantId, actor } = ctx;

  return ctx.store.db.transaction().execute(async (trx) => {
    const accounts = await saveAccounts(trx, tenantId, rows, now);
    const contacts = await saveContacts(trx, tenantId, rows, accounts.names, now);
    const invoices = await saveInvoices(trx, tenantId, { file, rows, now, onProgress });

    await appendAudit(
      trx,
      tenantId,
      invoices.statusChanges.map(({ id, number, from, to }) => ({
        at: now,
        kind: 'invoice.status_changed',
        subject: `invoice:${id}`,
        actor,
        data: { number, from, to, via: 'import', file: basename(file) },
      })),
    );
    let touchesCancelled = 0;
    for (const [reason, invoiceIds] of invoices.toCancel) {
      touchesCancelled += await cancelPendingTouches(trx, tenantId, invoiceIds, reason, now, actor);
    }
    await afterInvoicesChanged(
      trx,
      { tenantId, actor, now, config: ctx.config },
      { kind: 'imported', invoiceIds: invoices.changedIds, accountIds: invoices.changedAccountIds },
    );
    const result = { accounts: accounts.counts, contacts, invoices: invoices.counts, touchesCancelled };
    await appendAudit(trx, tenantId, [
      {
        at: now,
        kind: 'import',
        subject: `file:${basename(file)}`,
        actor,
        data: { file, format, rows: rows.length, ...result },
      },
    ]);
    return result;
  });
}
