import type { Milestone } from '../../domain/milestone-plan.ts';

/** A milestone as the API and `duly milestones --json` show it: instants in ISO 8601. */
export function milestoneJson(m: Milestone) {
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return {
    id: m.id,
    account_id: m.accountId,
    contract_id: m.contractId,
    title: m.title,
    amount: m.amount,
    currency: m.currency,
    state: m.state,
    ready_at: iso(m.readyAt),
    decided_at: iso(m.decidedAt),
    decided_by: m.decidedBy,
    decision_note: m.decisionNote,
  };
}
