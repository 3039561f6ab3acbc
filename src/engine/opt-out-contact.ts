import type { Kysely } from 'kysely';
import { DulyError } from '../domain/errors.ts';
import { appendAudit } from '../store/audit.ts';
import type { Database } from '../store/database.ts';
import type { Ctx } from './context.ts';
import { readUnsubscribeToken } from './links.ts';

interface UnsubscribeInput {
  token: string;
  secret: string;
}

async function contactOfToken(db: Kysely<Database>, ctx: Ctx, input: UnsubscribeInput) {
  const claim = readUnsubscribeToken(input.secret, input.token);
  if (!claim || claim.tenantId !== ctx.tenantId) {
    throw new DulyError(
      'not_found',
      'this unsubscribe link is not valid; use the link from the latest message',
    );
  }
  const contact = await db
    .selectFrom('contacts')
    .select(['opt_outs'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', claim.contactId)
    .executeTakeFirst();
  if (!contact) throw new DulyError('not_found', 'this contact no longer exists');
  const optOuts = JSON.parse(contact.opt_outs) as string[];
  return { claim, optOuts, alreadyOptedOut: optOuts.includes(claim.channel) };
}

/** What an unsubscribe link would do, without doing it: for the confirmation page a link opens. */
export async function describeUnsubscribe({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: UnsubscribeInput;
}): Promise<{ channel: string; alreadyOptedOut: boolean }> {
  const { claim, alreadyOptedOut } = await contactOfToken(ctx.store.db, ctx, input);
  return { channel: claim.channel, alreadyOptedOut };
}

/** A recipient's unsubscribe link, confirmed: the contact is opted out of that channel from now on. */
export async function optOutByToken({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: UnsubscribeInput;
}): Promise<{ channel: string; alreadyOptedOut: boolean }> {
  const now = ctx.clock();
  return ctx.store.db.transaction().execute(async (trx) => {
    const { claim, optOuts, alreadyOptedOut } = await contactOfToken(trx, ctx, input);
    if (alreadyOptedOut) return { channel: claim.channel, alreadyOptedOut };
    await trx
      .updateTable('contacts')
      .set({ opt_outs: JSON.stringify([...optOuts, claim.channel]), updated_at: now })
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', claim.contactId)
      .execute();
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: 'contact.opted_out',
        subject: `contact:${claim.contactId}`,
        actor: 'recipient',
        data: { channel: claim.channel },
      },
    ]);
    return { channel: claim.channel, alreadyOptedOut: false };
  });
}
