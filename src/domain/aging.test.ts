import { describe, expect, it } from 'vitest';
import { agingCuts, bucketOfDueDate } from './aging.ts';

describe('aging buckets', () => {
  const cuts = agingCuts('2026-06-30');
  it.each([
    ['2026-07-15', 'current'],
    ['2026-06-30', 'current'],
    ['2026-06-29', '1-30'],
    ['2026-05-31', '1-30'],
    ['2026-05-30', '31-60'],
    ['2026-05-01', '31-60'],
    ['2026-04-30', '61-90'],
    ['2026-04-01', '61-90'],
    ['2026-03-31', '90+'],
  ])('due %s is %s', (due, bucket) => {
    expect(bucketOfDueDate(due, cuts)).toBe(bucket);
  });
});
