import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../connect.ts';

/**
 * Every billing event, not only overdue invoices: a touch is about a subject (an invoice, a failed
 * payment, a contract, a milestone, an account over a threshold, a summary report), and the records
 * those triggers need: contracts, milestones, tasks, promises to pay, charges, threshold alerts.
 */
export function billingEventsMigration(dialect: DialectName) {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;
      await s.alterTable('touches').renameColumn('invoice_id', 'subject_id').execute();
      await s
        .alterTable('touches')
        .addColumn('subject_kind', 'text', (c) => c.notNull().defaultTo('invoice'))
        .execute();
      await s.alterTable('invoices').addColumn('contract_id', 'text').execute();
      await s
        .alterTable('invoices')
        .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await s.alterTable('accounts').addColumn('policy_id', 'text').execute();
      await s.alterTable('payments').addColumn('failure_reason', 'text').execute();

      await s
        .createTable('contracts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint')
        .addColumn('currency', 'text')
        .addColumn('starts_on', 'text')
        .addColumn('ends_on', 'text')
        .addColumn('auto_renew', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('renews_on', 'text')
        .addColumn('next_invoice_on', 'text')
        .addColumn('decision', 'text')
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('next_plan_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('contracts_pk', ['tenant_id', 'id'])
        .execute();

      await s
        .createTable('milestones')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('contract_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint')
        .addColumn('currency', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('ready_at', 'bigint')
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('next_plan_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('milestones_pk', ['tenant_id', 'id'])
        .execute();

      await s
        .createTable('tasks')
        .addColumn('id', serial, (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('due_on', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('invoice_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('closed_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('closed_at', 'bigint')
        .addUniqueConstraint('tasks_once', ['tenant_id', 'dedupe_key'])
        .execute();
      await s.createIndex('tasks_by_invoice').on('tasks').columns(['tenant_id', 'invoice_id']).execute();

      await s
        .createTable('promises')
        .addColumn('id', serial, (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('invoice_id', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('promised_on', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint')
        .execute();
      await s
        .createIndex('promises_by_invoice')
        .on('promises')
        .columns(['tenant_id', 'invoice_id'])
        .execute();

      await s
        .createTable('charges')
        .addColumn('id', serial, (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('invoice_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('touch_id', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('charges_once', ['tenant_id', 'dedupe_key'])
        .execute();
      await s.createIndex('charges_by_invoice').on('charges').columns(['tenant_id', 'invoice_id']).execute();

      await s
        .createTable('alert_states')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addColumn('next_plan_at', 'bigint')
        .addPrimaryKeyConstraint('alert_states_pk', ['tenant_id', 'policy_id', 'account_id'])
        .execute();

      for (const table of ['contracts', 'milestones', 'alert_states']) {
        await s
          .createIndex(`${table}_to_plan`)
          .on(table)
          .columns(['tenant_id', 'next_plan_at'])
          .where(sql.ref('next_plan_at'), 'is not', null)
          .execute();
      }
    },
  };
}
