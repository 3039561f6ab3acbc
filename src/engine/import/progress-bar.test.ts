import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress-bar.ts';

const terminal = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, stream: { isTTY, columns: 80, write: (text: string) => written.push(text) } };
};

describe('createProgressBar', () => {
  it('should redraw on a terminal only when the percentage moves, then end the line', () => {
    const { written, stream } = terminal(true);
    const bar = createProgressBar('importing', stream);
    for (let done = 0; done <= 1000; done += 1) bar.update(done, 1000);
    bar.finish();
    expect(written).toHaveLength(102);
    expect(written[50]).toBe(`\rimporting [${'█'.repeat(20)}${'░'.repeat(20)}] 50% 500/1,000\u001b[K`);
    expect(written.at(-1)).toBe('\n');
  });

  it('should stay silent when the stream is not a terminal', () => {
    const { written, stream } = terminal(false);
    const bar = createProgressBar('importing', stream);
    bar.update(5, 10);
    bar.finish();
    expect(written).toEqual([]);
  });
});
