import { DulyError } from '../domain/errors.ts';

/** One thing wrong in a config file; `field` is a path like `policies[0].steps[2].at`. */
export interface ConfigProblem {
  line?: number;
  field?: string;
  message: string;
}

/**
 * Every problem in a config file at once, one `file:line: field: problem` per line of the message,
 * so a finance person fixes them in one pass. `place` is the first problem.
 */
export class ConfigError extends DulyError {
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[]) {
    const sorted = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    const lines = sorted.map((p) => new DulyError('invalid_config', p.message, placeOf(file, p)).toString());
    super('invalid_config', lines.join('\n'), placeOf(file, sorted[0]), sorted);
    this.name = 'ConfigError';
    this.problems = sorted;
  }

  // The message already carries every place; prefixing the first one again would repeat it.
  override toString(): string {
    return this.message;
  }
}

function placeOf(file: string, problem: ConfigProblem | undefined) {
  return { file, line: problem?.line, field: problem?.field };
}

/** `policies[0].steps[2].at` from `['policies', 0, 'steps', 2, 'at']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}
