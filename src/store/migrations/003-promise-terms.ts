import type { Kysely } from 'kysely';

/**
 * What a promise to pay is judged against: the balance when it was made (a promise is kept once the
 * balance has fallen by the promised amount, whoever recorded the payment) and the instant reminders
 * wait until (the end of the promised day in the account's zone, fixed when the promise is made).
 */
export function promiseTermsMigration() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('promises').addColumn('balance_at_promise', 'bigint').execute();
      await db.schema.alterTable('promises').addColumn('wait_until', 'bigint').execute();
      await db.schema
        .createIndex('promises_open_until')
        .on('promises')
        .columns(['tenant_id', 'state', 'wait_until'])
        .execute();
    },
  };
}
