import type { Kysely } from 'kysely';
import type { Instant } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { insertRows } from '../../store/insert-rows.ts';
import { selectInChunks } from '../../store/select-in-chunks.ts';
import { type ImportCounts, mergeGiven, noCounts } from './import-counts.ts';
import type { ImportAccount, ImportRow } from './import-row.ts';

const COLUMNS = [
  'tenant_id',
  'id',
  'name',
  'timezone',
  'locale',
  'currency',
  'tags',
  'owner',
  'auto_pay',
  'created_at',
  'updated_at',
] as const;
const UPDATED = ['name', 'timezone', 'locale', 'tags', 'owner', 'auto_pay', 'updated_at'] as const;

/**
 * Creates the accounts the file names and updates those whose given fields differ. A new account takes
 * the currency of its first invoice in the file.
 */
export async function saveAccounts(
  db: Kysely<Database>,
  tenantId: string,
  rows: readonly ImportRow[],
  now: Instant,
): Promise<{ counts: ImportCounts; names: Map<string, string> }> {
  const accounts = new Map<string, ImportAccount & { currency: string }>();
  for (const { account, invoice } of rows) {
    const earlier = accounts.get(account.id);
    if (earlier) mergeGiven<ImportAccount>(earlier, account);
    else accounts.set(account.id, { ...account, currency: invoice.currency });
  }
  const stored = new Map(
    (
      await selectInChunks([...accounts.keys()], (ids) =>
        db
          .selectFrom('accounts')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute(),
      )
    ).map((row) => [row.id, row]),
  );
  const counts = noCounts();
  const writes: unknown[][] = [];
  for (const account of accounts.values()) {
    const old = stored.get(account.id);
    const next = {
      name: account.name,
      timezone: account.timezone ?? old?.timezone ?? null,
      locale: account.locale ?? old?.locale ?? null,
      currency: old ? old.currency : account.currency,
      tags: account.tags ? JSON.stringify(account.tags) : (old?.tags ?? '[]'),
      owner: account.owner ?? old?.owner ?? null,
      auto_pay: account.autoPay === null ? (old?.auto_pay ?? 0) : Number(account.autoPay),
    };
    if (old && UPDATED.every((column) => column === 'updated_at' || old[column] === next[column])) {
      counts.unchanged++;
      continue;
    }
    counts[old ? 'updated' : 'created']++;
    const { name, timezone, locale, currency, tags, owner, auto_pay } = next;
    writes.push([tenantId, account.id, name, timezone, locale, currency, tags, owner, auto_pay, now, now]);
  }
  await insertRows(db, 'accounts', COLUMNS, writes, {
    onConflict: { columns: ['tenant_id', 'id'], update: UPDATED },
  });
  const names = new Map([...accounts.values()].map((a) => [a.id, a.name]));
  return { counts, names };
}
