import type { z } from 'zod';
import { didYouMean } from './did-you-mean.ts';

/** Zod's issues, reworded for someone editing duly.yaml rather than reading TypeScript. */

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list, like [a, b]',
  object: 'a map of "key: value" entries',
  record: 'a map of "key: value" entries',
};

function describe(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return `"${input}"`;
  return String(input);
}

export function friendlyIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `is required; write ${expected}`;
      return `expected ${expected}, not ${describe(issue.input)}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, allowed) : '';
      return `${describe(issue.input)} is not allowed here${hint || `; write one of: ${allowed.join(', ')}`}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return 'must list at least one entry';
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'invalid_key':
      return `${describe(issue.path?.at(-1) ?? '')} is not a valid name here; use lowercase a-z, 0-9, - and _`;
    case 'invalid_format':
      if (issue.format === 'email') return `${describe(issue.input)} is not an email address`;
      if (issue.format === 'url')
        return `${describe(issue.input)} is not an http(s) URL, like https://billing.example.com`;
      return undefined;
    default:
      return undefined;
  }
}
