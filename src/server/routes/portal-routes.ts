import type { FastifyInstance, FastifyReply } from 'fastify';
import { isDulyError } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import { decideMilestone } from '../../engine/milestones/decide-milestone.ts';
import { describePortalLink, type PortalLink } from '../../engine/milestones/portal-link.ts';
import type { EngineCtx } from '../../engine/runtime.ts';
import { escapeHtml } from '../../templates/html-escape.ts';
import { formatLocalDate, resolveLocale } from '../../templates/locale.ts';

type Params = { Params: { token: string } };

/**
 * The client portal: a milestone's signed link opens a page to approve it or ask for changes. Public
 * (outside the /v1 API key): the signed, expiring token is the credential. A GET only shows; mail
 * scanners open every link, so the decision is a POST from the page's buttons.
 */
export function portalRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  app.get<Params>('/portal/milestones/:token', async (request, reply) => {
    const link = await describePortalLink({ ctx, input: { token: request.params.token } });
    return sendPage(reply, ctx, link);
  });
  app.post<Params>('/portal/milestones/:token', async (request, reply) => {
    const form = formFields(request.body);
    const input = { token: request.params.token, decision: form.decision, note: form.note ?? '' };
    try {
      const { link, decided } = await decideMilestone({ ctx, input });
      return sendPage(
        reply,
        ctx,
        link,
        decided ? 'Thank you: your answer was recorded and the team told.' : '',
      );
    } catch (error) {
      if (!isDulyError(error) || error.code !== 'invalid_input') throw error;
      const back = '<p><a href="">Go back</a></p>';
      return page(
        reply.status(400),
        'Please check your answer',
        `<p>${escapeHtml(error.message)}.</p>${back}`,
      );
    }
  });
}

function formFields(body: unknown): Record<string, string | undefined> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
    );
  }
  return {};
}

function sendPage(reply: FastifyReply, ctx: EngineCtx, link: PortalLink, notice = '') {
  const locale = resolveLocale(ctx.config.locale).intl;
  const date = (at: number) => formatLocalDate(at, locale, ctx.config.timezone);
  switch (link.status) {
    case 'invalid':
      return page(
        reply.status(403),
        'This link is not valid',
        '<p>This review link is not valid. Please open the link from the latest message we sent you.</p>',
      );
    case 'expired':
      return page(
        reply.status(410),
        'This link has expired',
        `<p>This review link expired on ${escapeHtml(date(link.expiresAt))}. Please ask ${escapeHtml(link.askWhom)} for a new one.</p>`,
      );
    case 'superseded':
      return page(
        reply.status(410),
        'There is a newer version to review',
        `<p>This link is for an earlier version of the work. Please use the link in our latest message, or ask ${escapeHtml(link.askWhom)}.</p>`,
      );
  }
  const m = link.milestone;
  const amount = m.amount !== null && m.currency ? formatMoney(m.amount, m.currency, locale) : '';
  const facts = `<h1>${escapeHtml(m.title)}</h1><p>For ${escapeHtml(link.accountName)}${
    amount ? ` · ${escapeHtml(amount)}` : ''
  }</p>`;
  const told = notice ? `<p role="status"><strong>${escapeHtml(notice)}</strong></p>` : '';
  if (link.status === 'decided') {
    const what = m.state === 'approved' ? 'Approved' : 'Changes requested';
    const when = m.decidedAt === null ? '' : ` on ${escapeHtml(date(m.decidedAt))}`;
    const note = m.decisionNote ? `<blockquote>${escapeHtml(m.decisionNote)}</blockquote>` : '';
    return page(reply, m.title, `${told}${facts}<p>${what}${when}.</p>${note}`);
  }
  const forms = `<p>Review it, then approve it or tell us what should change. This link works until ${escapeHtml(
    date(link.claim.expiresAt),
  )}.</p>
<form method="post"><input type="hidden" name="decision" value="approve"><button type="submit">Approve</button></form>
<form method="post"><input type="hidden" name="decision" value="request_changes">
<p><label for="note">What should change?</label><br><textarea id="note" name="note" rows="5" cols="60" maxlength="2000" required></textarea></p>
<button type="submit">Request changes</button></form>`;
  return page(reply, m.title, `${facts}${forms}`);
}

function page(reply: FastifyReply, title: string, body: string) {
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><body>${body}</body></html>`);
}
