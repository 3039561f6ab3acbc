/** A one-line progress bar for long CLI runs, e.g. `importing [██████░░░░] 61% 61,000/100,000`. */
export interface ProgressBar {
  update(done: number, total: number): void;
  /** Ends the line; call it once, also after a failure. */
  finish(): void;
}

interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * Draws on `stream` (stderr by default, so stdout stays clean for piping), redrawing only when the whole
 * percentage moves. Silent when the stream is not a terminal: logs and CI output get no control codes.
 */
export function createProgressBar(label: string, stream: BarStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, finish: () => {} };
  let shown = -1;
  return {
    update(done, total) {
      const percent = total > 0 ? Math.floor((Math.min(done, total) / total) * 100) : 100;
      if (percent === shown) return;
      shown = percent;
      const counts = `${percent}% ${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - counts.length - 5));
      const filled = Math.round((width * percent) / 100);
      stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${counts}\x1b[K`);
    },
    finish() {
      if (shown >= 0) stream.write('\n');
      shown = -1;
    },
  };
}
