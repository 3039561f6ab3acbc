import type { Instant } from '../../domain/types.ts';
import { type DispatchCounts, dispatchDueTouches } from '../dispatch/dispatch-due-touches.ts';
import type { EngineCtx } from '../runtime.ts';

/**
 * Sends these touches now, not at the next tick: an urgent event's own messages (a failed payment's
 * team alert). Everything else due stays with the tick. Guards apply as always.
 */
export async function dispatchTouchesNow(
  ctx: EngineCtx,
  touchIds: number[],
  now: Instant,
): Promise<DispatchCounts | null> {
  if (touchIds.length === 0) return null;
  return dispatchDueTouches(ctx, {
    now,
    random: Math.random,
    touchIds,
  });
}
