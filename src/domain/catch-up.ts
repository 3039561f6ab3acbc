import type { CatchUp } from './config.ts';
import { NONE_CATCH_UP_GRACE_MS } from './planner.ts';
import { type Instant, MANUAL_CYCLE, type Touch } from './types.ts';

/**
 * Catch-up at send time, for touches planned ahead that fell due while Duly was down: with `latest`
 * only the most recent due step per recipient goes out; with `none` nothing missed by over a day.
 * Returns why the touch is skipped, or null when it may go.
 */
export function catchUpSkipReason(
  touch: Pick<Touch, 'scheduledAt' | 'cycle'>,
  catchUp: CatchUp,
  /** Whether a later step for the same subject and recipient is also due (see supersededTouchIds). */
  supersededByLaterDue: boolean,
  now: Instant,
): string | null {
  if (touch.cycle === MANUAL_CYCLE) return null;
  if (catchUp === 'latest' && supersededByLaterDue) {
    return 'superseded by a later step that is also due (catch-up: latest)';
  }
  if (catchUp === 'none' && now - touch.scheduledAt > NONE_CATCH_UP_GRACE_MS) {
    return 'missed by more than a day (catch-up: none)';
  }
  return null;
}
