import { describe, expect, it } from 'vitest';
import type { ReportSchedule } from './config.ts';
import { reportRuns } from './report-schedule.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const NY = 'America/New_York';
const schedule = (s: Partial<ReportSchedule>): ReportSchedule => ({
  every: 'week',
  on: 1,
  time: 8 * 60,
  from: null,
  ...s,
});

describe('reportRuns', () => {
  it('should run weekly on Monday at 08:00 New York time on both sides of the March DST change', () => {
    const runs = reportRuns(schedule({}), NY, at('2026-03-01T00:00:00Z'), at('2026-03-17T00:00:00Z'));
    // EST (UTC-5) before 2026-03-08, EDT (UTC-4) after.
    expect(runs.map((r) => [r.period, iso(r.at)])).toEqual([
      ['2026-03-02', '2026-03-02T13:00:00.000Z'],
      ['2026-03-09', '2026-03-09T12:00:00.000Z'],
      ['2026-03-16', '2026-03-16T12:00:00.000Z'],
    ]);
  });

  it('should count fortnights from the first run, across the November DST change', () => {
    const runs = reportRuns(
      schedule({ every: '2weeks', on: 5, from: '2026-10-23', time: 17 * 60 + 30 }),
      NY,
      at('2026-10-01T00:00:00Z'),
      at('2026-11-30T00:00:00Z'),
    );
    expect(runs.map((r) => [r.period, iso(r.at)])).toEqual([
      ['2026-10-23', '2026-10-23T21:30:00.000Z'],
      ['2026-11-06', '2026-11-06T22:30:00.000Z'],
      ['2026-11-20', '2026-11-20T22:30:00.000Z'],
    ]);
  });

  it('should run monthly on day N in the team zone, whose date differs from UTC', () => {
    const runs = reportRuns(
      schedule({ every: 'month', on: 1, time: 7 * 60 }),
      'Asia/Tokyo',
      at('2026-01-15T00:00:00Z'),
      at('2026-04-15T00:00:00Z'),
    );
    // 07:00 in Tokyo on the 1st is 22:00 UTC on the last day of the month before.
    expect(runs.map((r) => [r.period, iso(r.at)])).toEqual([
      ['2026-02-01', '2026-01-31T22:00:00.000Z'],
      ['2026-03-01', '2026-02-28T22:00:00.000Z'],
      ['2026-04-01', '2026-03-31T22:00:00.000Z'],
    ]);
  });

  it('should run monthly in London across the end of British Summer Time', () => {
    const runs = reportRuns(
      schedule({ every: 'month', on: 28, time: 9 * 60 }),
      'Europe/London',
      at('2026-09-01T00:00:00Z'),
      at('2026-11-30T00:00:00Z'),
    );
    expect(runs.map((r) => iso(r.at))).toEqual([
      '2026-09-28T08:00:00.000Z',
      '2026-10-28T09:00:00.000Z',
      '2026-11-28T09:00:00.000Z',
    ]);
  });
});
