import { describe, expect, it } from 'vitest';
import { CONFIG_HOLIDAY_NAME, createBusinessCalendar } from './business-calendar.ts';
import type { Weekday } from './config.ts';

const MON_FRI: Weekday[] = [1, 2, 3, 4, 5];

describe('createBusinessCalendar', () => {
  const us = createBusinessCalendar({
    businessDays: MON_FRI,
    holidays: { country: 'US', dates: ['2026-12-24'] },
  });

  it.each([
    ['an ordinary Tuesday', '2026-03-10', true, null],
    ['US Christmas (a Friday)', '2026-12-25', false, 'Christmas Day'],
    ['a Saturday', '2026-03-14', false, null],
    ['a Sunday', '2026-03-15', false, null],
    ['a date closed in the config', '2026-12-24', false, CONFIG_HOLIDAY_NAME],
    [
      'the observed Independence Day (Friday before a Saturday 4th)',
      '2026-07-03',
      false,
      'Independence Day (substitute day)',
    ],
    ['Thanksgiving', '2026-11-26', false, 'Thanksgiving Day'],
  ])('%s: %s', (_name, date, open, holiday) => {
    expect(us.isBusinessDay(date)).toBe(open);
    expect(us.holidayName(date)).toBe(holiday);
  });

  it('counts only public holidays, and state holidays only with the state', () => {
    // Lincoln's Birthday is public in New York, not federally.
    expect(us.isBusinessDay('2026-02-12')).toBe(true);
    const ny = createBusinessCalendar({ businessDays: MON_FRI, holidays: { country: 'US-NY', dates: [] } });
    expect(ny.holidayName('2026-02-12')).toBe("Lincoln's Birthday");
    expect(ny.isBusinessDay('2026-02-12')).toBe(false);
  });

  it('uses the configured weekdays, and no country means no public holidays', () => {
    const weekends = createBusinessCalendar({ businessDays: [6, 7], holidays: { country: null, dates: [] } });
    expect(weekends.isBusinessDay('2026-03-14')).toBe(true);
    expect(weekends.isBusinessDay('2026-03-10')).toBe(false);
    expect(weekends.holidayName('2026-12-25')).toBeNull();
    expect(
      createBusinessCalendar({ businessDays: MON_FRI, holidays: { country: null, dates: [] } }).isBusinessDay(
        '2026-12-25',
      ),
    ).toBe(true);
  });

  it('answers a year of days quickly, across years', () => {
    const start = Date.UTC(2026, 0, 1);
    let open = 0;
    const t0 = performance.now();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 730; i++)
        if (us.isBusinessDay(new Date(start + i * 86_400_000).toISOString().slice(0, 10))) open++;
    }
    expect(open / 20).toBeGreaterThan(480);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
