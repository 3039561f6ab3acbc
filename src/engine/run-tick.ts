import type { Instant } from '../domain/types.ts';
import { type DispatchCounts, dispatchDueTouches } from './dispatch/dispatch-due-touches.ts';
import { planDueInvoices } from './plan-due-invoices.ts';
import type { EngineCtx } from './runtime.ts';
import { planTriggers } from './triggers/index.ts';

export interface TickCounts {
  planned: number;
  sent: number;
  deferred: number;
  skipped: number;
  cancelled: number;
  /** Sends that did not go through this tick: `retrying` (will be tried again) plus `dead`. */
  failed: number;
  retrying: number;
  dead: number;
}

export interface TickOptions {
  now: Instant;
  random?: () => number;
  stopped?: () => boolean;
}

/** One tick: plan everything whose time has come, then dispatch everything due. */
export async function runTick(ctx: EngineCtx, options: TickOptions): Promise<TickCounts> {
  const { now } = options;
  const invoices = await planDueInvoices(ctx, now);
  const planned = invoices.planned + (await planTriggers(ctx, now));
  const dispatched: DispatchCounts = await dispatchDueTouches(ctx, {
    now,
    random: options.random ?? Math.random,
    ...(options.stopped ? { stopped: options.stopped } : {}),
  });
  return { planned, ...dispatched, failed: dispatched.retrying + dispatched.dead };
}
