import { DulyError } from '../domain/errors.ts';

/** A config error about one option of a channel, `field` relative to the channel's options. */
export function invalidOption(field: string, message: string): DulyError {
  return new DulyError('invalid_config', message, { field });
}

/** Rejects options the provider does not know, so a typo (`reply-to`) is not silently ignored. */
export function rejectUnknownOptions(
  options: Record<string, unknown>,
  known: readonly string[],
  provider: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = known.length ? `known options: ${known.join(', ')}` : 'it takes no options';
    throw invalidOption(key, `unknown option "${key}" for a ${provider} channel; ${hint}`);
  }
}

export function optionalString(options: Record<string, unknown>, field: string): string | null {
  const value = options[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidOption(field, `${field} must be text`);
  const trimmed = value.trim();
  if (trimmed === '') {
    throw invalidOption(
      field,
      `${field} is empty; set it or remove it (is an environment variable missing?)`,
    );
  }
  return trimmed;
}

export function requiredString(options: Record<string, unknown>, field: string, example: string): string {
  const value = optionalString(options, field);
  if (value === null) throw invalidOption(field, `${field} is required, e.g. ${example}`);
  return value;
}

/** A port number given as a number or a numeric string (from `${ENV}` substitution). */
export function optionalPort(options: Record<string, unknown>, field: string): number | null {
  const value = options[field];
  if (value === undefined || value === null) return null;
  const port = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidOption(field, `${field} must be a port number between 1 and 65535`);
  }
  return port;
}

/** A yes/no flag given as a boolean or as "true"/"false" (from `${ENV}` substitution). */
export function optionalBoolean(options: Record<string, unknown>, field: string): boolean | null {
  const value = options[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidOption(field, `${field} must be true or false`);
}
