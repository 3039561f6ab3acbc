import type { Instant } from '../../domain/types.ts';
import type { EngineCtx } from '../runtime.ts';

/**
 * Plans the touches of one trigger whose time has come (contracts, milestones, thresholds, reports …),
 * in its own transaction; returns how many touches were new. Invoices are planned by planDueInvoices.
 */
export type TriggerPlanner = (ctx: EngineCtx, now: Instant) => Promise<number>;

/** Every trigger planner a tick runs after the invoices, in this order. */
export const TRIGGER_PLANNERS: TriggerPlanner[] = [];

export async function planTriggers(ctx: EngineCtx, now: Instant): Promise<number> {
  let planned = 0;
  for (const plan of TRIGGER_PLANNERS) planned += await plan(ctx, now);
  return planned;
}
