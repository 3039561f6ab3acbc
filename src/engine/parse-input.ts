import type { z } from 'zod';
import { DulyError } from '../domain/errors.ts';

/** Parses a use case's input; the first problem becomes an `invalid_input` error naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  throw new DulyError(
    'invalid_input',
    issue?.message ?? 'invalid input',
    field ? { field } : {},
    result.error.issues,
  );
}
