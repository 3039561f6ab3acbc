import { runTick, type TickCounts } from './run-tick.ts';
import type { EngineCtx } from './runtime.ts';

export interface Scheduler {
  /** Runs a tick now (or joins the one running); used by event-driven paths. */
  tickNow(): Promise<void>;
  /** Stops taking new work, lets in-flight sends finish and gives back unstarted claims. */
  stop(): Promise<void>;
}

/** Ticks at start and then every `intervalMs`; never two ticks at once in one process. */
export function startScheduler(
  ctx: EngineCtx,
  options: { intervalMs: number; onTick?: (counts: TickCounts, seconds: number) => void },
): Scheduler {
  let stopping = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const tick = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      const started = performance.now();
      try {
        const counts = await runTick(ctx, { now: ctx.clock(), stopped: () => stopping });
        options.onTick?.(counts, (performance.now() - started) / 1000);
        if (counts.planned + counts.sent + counts.failed > 0) ctx.logger.info(counts, 'tick');
      } catch (error) {
        ctx.logger.error({ err: error }, 'tick failed; retrying at the next interval');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const loop = () => {
    if (stopping) return;
    void tick().then(() => {
      if (!stopping) timer = setTimeout(loop, options.intervalMs);
    });
  };
  loop();
  return {
    tickNow: tick,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
