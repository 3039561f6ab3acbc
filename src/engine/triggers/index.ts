import type { Instant } from '../../domain/types.ts';
import { planDueContracts } from '../contracts/plan-due-contracts.ts';
import { simulateContracts } from '../contracts/simulate-contracts.ts';
import { breakDuePromises } from '../holds/break-due-promises.ts';
import { simulateBrokenPromises } from '../holds/simulate-broken-promises.ts';
import { planDueMilestones } from '../milestones/plan-due-milestones.ts';
import { simulateMilestones } from '../milestones/simulate-milestones.ts';
import { planFailedPayments } from '../payments/payment-failure-planner.ts';
import { planSummaryReports } from '../reports/plan-summary-reports.ts';
import { simulateSummaryReports } from '../reports/simulate-summary-reports.ts';
import type { EngineCtx } from '../runtime.ts';
import { simulatePending } from '../simulate-pending.ts';
import type { TimelineEntry } from '../simulate-timeline.ts';
import { planThresholdAlerts } from '../thresholds/plan-threshold-alerts.ts';
import { simulateThresholdAlerts } from '../thresholds/simulate-threshold-alerts.ts';

/**
 * Plans the touches of one trigger whose time has come (contracts, milestones, thresholds, reports …),
 * in its own transaction; returns how many touches were new. Invoices are planned by planDueInvoices.
 */
export type TriggerPlanner = (ctx: EngineCtx, now: Instant) => Promise<number>;

/** Every trigger planner a tick runs after the invoices, in this order. */
export const TRIGGER_PLANNERS: TriggerPlanner[] = [
  planThresholdAlerts,
  planSummaryReports,
  planDueMilestones,
  planDueContracts,
  planFailedPayments,
  breakDuePromises,
];

/**
 * What one trigger would send between two instants if nothing changed, for `duly simulate`: its planner
 * run forward over the stored records, skipping what the outbox already holds. Writes nothing.
 */
export type TriggerSimulator = (ctx: EngineCtx, from: Instant, to: Instant) => Promise<TimelineEntry[]>;

/** Every trigger's simulator; `duly simulate` puts their entries on one timeline with the invoices'. */
export const TRIGGER_SIMULATORS: TriggerSimulator[] = [
  simulatePending,
  simulateBrokenPromises,
  simulateThresholdAlerts,
  simulateSummaryReports,
  simulateMilestones,
  simulateContracts,
];

export async function planTriggers(ctx: EngineCtx, now: Instant): Promise<number> {
  let planned = 0;
  for (const plan of TRIGGER_PLANNERS) planned += await plan(ctx, now);
  return planned;
}
