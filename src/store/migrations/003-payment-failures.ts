import { type Kysely, sql } from 'kysely';

/**
 * Failed payments: when a later payment recovered one (the anchor of the "recovered" step), and an
 * index to find recent failures without reading every payment.
 */
export function paymentFailuresMigration() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('payments').addColumn('recovered_at', 'bigint').execute();
      await db.schema
        .createIndex('payments_failed')
        .on('payments')
        .columns(['tenant_id', 'paid_at'])
        .where(sql.ref('status'), '=', sql.lit('failed'))
        .execute();
    },
  };
}
