import { type Kysely, sql } from 'kysely';

/**
 * Threshold alerts: the daily look for accounts whose oldest invoice has just become N days overdue
 * reads only the invoices that fell due on the days since its last look (an index on due dates of
 * unpaid invoices), and remembers the local day it last looked per policy.
 */
export function thresholdsMigration() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('invoices_owed_by_due')
        .on('invoices')
        .columns(['tenant_id', 'due_on'])
        .where(sql.ref('status'), 'in', ['open', 'partial'])
        .execute();
      await db.schema
        .createTable('threshold_checks')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('checked_on', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('threshold_checks_pk', ['tenant_id', 'policy_id'])
        .execute();
    },
  };
}
