import { DulyError } from '../domain/errors.ts';
import { appendAudit } from '../store/audit.ts';
import type { Ctx } from './context.ts';
import { readUnsubscribeToken } from './links.ts';

/** A recipient's unsubscribe link: the contact is opted out of that channel from now on. */
export async function optOutByToken({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { token: string; secret: string };
}): Promise<{ channel: string; alreadyOptedOut: boolean }> {
  const claim = readUnsubscribeToken(input.secret, input.token);
  if (!claim || claim.tenantId !== ctx.tenantId) {
    throw new DulyError(
      'not_found',
      'this unsubscribe link is not valid; use the link from the latest message',
    );
  }
  const now = ctx.clock();
  return ctx.store.db.transaction().execute(async (trx) => {
    const contact = await trx
      .selectFrom('contacts')
      .select(['opt_outs'])
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', claim.contactId)
      .executeTakeFirst();
    if (!contact) throw new DulyError('not_found', 'this contact no longer exists');
    const optOuts = JSON.parse(contact.opt_outs) as string[];
    if (optOuts.includes(claim.channel)) return { channel: claim.channel, alreadyOptedOut: true };
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
