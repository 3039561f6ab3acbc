import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { TickCounts } from '../engine/run-tick.ts';

/** Prometheus metrics for one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'duly_process_' });
  const touches = new Counter({
    name: 'duly_touches_total',
    help: 'Touch outcomes by state, counted when the dispatcher records them',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const planned = new Counter({
    name: 'duly_touches_planned_total',
    help: 'Touches planned',
    registers: [registry],
  });
  const tickSeconds = new Histogram({
    name: 'duly_tick_duration_seconds',
    help: 'Time to plan and dispatch one tick',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [registry],
  });
  const events = new Counter({
    name: 'duly_events_total',
    help: 'Events received, by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  return {
    registry,
    events,
    recordTick(counts: TickCounts, seconds: number) {
      planned.inc(counts.planned);
      for (const state of ['sent', 'deferred', 'skipped', 'cancelled', 'retrying', 'dead'] as const) {
        if (counts[state] > 0) touches.inc({ state }, counts[state]);
      }
      tickSeconds.observe(seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
