import type { Kysely, Selectable } from 'kysely';
import type { Instant } from '../domain/types.ts';
import type { ChargesTable, Database } from './database.ts';

export type ChargeRow = Selectable<ChargesTable>;

export interface NewCharge {
  dedupeKey: string;
  invoiceId: string;
  kind: string;
  amount: number;
  currency: string;
  /** JSON text. */
  basis: string;
  touchId: number | null;
}

/** Inserts charges not recorded yet (by dedupe key) and returns the keys that were new. */
export async function insertNewCharges(
  db: Kysely<Database>,
  tenantId: string,
  charges: NewCharge[],
  now: Instant,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const unique = [...new Map(charges.map((c) => [c.dedupeKey, c])).values()];
  for (let i = 0; i < unique.length; i += 500) {
    const batch = unique.slice(i, i + 500);
    // A key already there (a retried send, another worker) is skipped, never doubled.
    const rows = await db
      .insertInto('charges')
      .values(
        batch.map((c) => ({
          tenant_id: tenantId,
          dedupe_key: c.dedupeKey,
          invoice_id: c.invoiceId,
          kind: c.kind,
          amount: c.amount,
          currency: c.currency,
          basis: c.basis,
          touch_id: c.touchId,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
      .returning('dedupe_key')
      .execute();
    for (const row of rows) inserted.add(row.dedupe_key);
  }
  return inserted;
}

export async function chargesOfInvoice(
  db: Kysely<Database>,
  tenantId: string,
  invoiceId: string,
): Promise<ChargeRow[]> {
  return db
    .selectFrom('charges')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('id')
    .execute();
}
