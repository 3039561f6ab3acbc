import {
  MILESTONE_LINK_TTL_MS,
  type MilestoneFacts,
  milestoneRoundKey,
  milestoneStop,
} from '../../domain/milestone-plan.ts';
import { formatMoney } from '../../domain/money.ts';
import { guardDelivery } from '../../domain/send-guard.ts';
import { loadMilestoneFacts } from '../../store/milestones-repo.ts';
import { formatLocalDate, resolveLocale } from '../../templates/locale.ts';
import { portalToken, portalUrl } from '../milestones/portal-token.ts';
import type { SubjectHandler } from './subject-handler.ts';

const DECISION_WORDS: Record<string, string> = {
  approved: 'approved',
  changes_requested: 'changes requested',
};

/** Work ready for the client's approval: the portal link to the client, the decision to the team. */
export const milestoneSubject: SubjectHandler<MilestoneFacts> = {
  kind: 'milestone',
  load: (db, tenantId, ids) => loadMilestoneFacts(db, tenantId, ids),
  guard(touch, facts, now, env) {
    return milestoneStop(touch, facts, now) ?? guardDelivery(touch, facts as MilestoneFacts, now, env);
  },
  content(touches, factsById, target, env) {
    const first = touches[0];
    const facts = first ? factsById.get(first.subjectId) : undefined;
    if (!first || !facts) {
      return { accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] };
    }
    const { milestone, account } = facts;
    const locale = resolveLocale(target.locale).intl;
    const expiresAt = (milestone.readyAt ?? env.now) + MILESTONE_LINK_TTL_MS;
    // Only the client's contacts get a link that decides; the team reads the decision.
    const url =
      first.audience === 'client' && milestone.readyAt !== null
        ? portalUrl(
            env.publicUrl,
            portalToken(env.linkSecret, {
              tenantId: env.tenantId,
              milestoneId: milestone.id,
              readyAt: milestone.readyAt,
              expiresAt,
              contactId: first.recipient,
            }),
          )
        : '';
    return {
      accountName: account.name,
      invoices: [],
      details: {
        milestone: {
          id: milestone.id,
          round: milestoneRoundKey(milestone),
          title: milestone.title,
          amount:
            milestone.amount !== null && milestone.currency
              ? formatMoney(milestone.amount, milestone.currency, locale)
              : '',
          portal_url: url,
          expires_on: formatLocalDate(expiresAt, locale, target.zone),
          state: milestone.state,
          decision: DECISION_WORDS[milestone.state] ?? '',
          note: milestone.decisionNote ?? '',
        },
      },
      payUrl: null,
      attachments: [],
    };
  },
};
