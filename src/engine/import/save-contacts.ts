import type { Kysely } from 'kysely';
import type { Instant } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { insertRows } from '../../store/insert-rows.ts';
import { selectInChunks } from '../../store/select-in-chunks.ts';
import { type ImportCounts, mergeGiven, noCounts } from './import-counts.ts';
import type { ImportContact, ImportRow } from './import-row.ts';

const COLUMNS = [
  'tenant_id',
  'id',
  'account_id',
  'name',
  'email',
  'phone',
  'whatsapp',
  'telegram',
  'preferred_channel',
  'created_at',
  'updated_at',
] as const;
const UPDATED = [
  'account_id',
  'name',
  'email',
  'phone',
  'whatsapp',
  'telegram',
  'preferred_channel',
  'updated_at',
] as const;

/**
 * Creates and updates the contacts the file names. Addresses left empty keep what is stored; a new contact
 * without a name takes its account's. Time zone, locale and opt-outs are not import fields and stay.
 */
export async function saveContacts(
  db: Kysely<Database>,
  tenantId: string,
  rows: readonly ImportRow[],
  accountNames: ReadonlyMap<string, string>,
  now: Instant,
): Promise<ImportCounts> {
  const contacts = new Map<string, ImportContact>();
  for (const { contact } of rows) {
    const earlier = contact && contacts.get(contact.id);
    if (earlier) mergeGiven(earlier, contact);
    else if (contact) contacts.set(contact.id, { ...contact });
  }
  const stored = new Map(
    (
      await selectInChunks([...contacts.keys()], (ids) =>
        db
          .selectFrom('contacts')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute(),
      )
    ).map((row) => [row.id, row]),
  );
  const counts = noCounts();
  const writes: unknown[][] = [];
  for (const contact of contacts.values()) {
    const old = stored.get(contact.id);
    const next = {
      account_id: contact.accountId,
      name: contact.name ?? old?.name ?? accountNames.get(contact.accountId) ?? contact.id,
      email: contact.email ?? old?.email ?? null,
      phone: contact.phone ?? old?.phone ?? null,
      whatsapp: contact.whatsapp ?? old?.whatsapp ?? null,
      telegram: contact.telegram ?? old?.telegram ?? null,
      preferred_channel: contact.preferredChannel ?? old?.preferred_channel ?? null,
    };
    if (old && UPDATED.every((column) => column === 'updated_at' || old[column] === next[column])) {
      counts.unchanged++;
      continue;
    }
    counts[old ? 'updated' : 'created']++;
    const { account_id, name, email, phone, whatsapp, telegram, preferred_channel } = next;
    writes.push([
      tenantId,
      contact.id,
      account_id,
      name,
      email,
      phone,
      whatsapp,
      telegram,
      preferred_channel,
      now,
      now,
    ]);
  }
  await insertRows(db, 'contacts', COLUMNS, writes, {
    onConflict: { columns: ['tenant_id', 'id'], update: UPDATED },
  });
  return counts;
}
