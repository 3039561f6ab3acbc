import { invalidOption, rejectUnknownOptions, requiredString } from '../channel-options.ts';
import { Secret } from '../secret.ts';

export interface WebhookConfig {
  channel: string;
  /** Kept opaque: webhook URLs often carry a token. */
  url: Secret;
  secret: Secret;
  /** Extra headers (often `Authorization`), opaque for the same reason. */
  headers: Record<string, Secret>;
}

const KNOWN = ['url', 'secret', 'headers'] as const;
/** Headers Duly sets itself, which a channel must not override. */
const RESERVED = new Set([
  'content-type',
  'content-length',
  'host',
  'idempotency-key',
  'duly-timestamp',
  'duly-signature',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseWebhookConfig(options: Record<string, unknown>, channel: string): WebhookConfig {
  rejectUnknownOptions(options, KNOWN, 'webhook');
  const url = requiredString(options, 'url', 'https://hooks.example.com/duly');
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // The URL is not echoed: it may carry a token.
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw invalidOption(
      'url',
      'url must be an http:// or https:// address, e.g. https://hooks.example.com/duly',
    );
  }
  const secret = requiredString(options, 'secret', 'a random string of 32 characters');
  if (secret.length < 16) {
    throw invalidOption(
      'secret',
      'secret must be at least 16 characters; generate one with `openssl rand -hex 32`',
    );
  }
  return {
    channel,
    url: new Secret(url),
    secret: new Secret(secret),
    headers: parseHeaders(options.headers),
  };
}

function parseHeaders(raw: unknown): Record<string, Secret> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidOption(
      'headers',
      'headers must be a map of header names to values, e.g. { Authorization: "Bearer …" }',
    );
  }
  const headers: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = `headers.${name}`;
    if (!TOKEN.test(name)) throw invalidOption(field, `"${name}" is not a valid header name`);
    if (RESERVED.has(name.toLowerCase())) throw invalidOption(field, `${name} is set by Duly; remove it`);
    if (typeof value !== 'string' && typeof value !== 'number')
      throw invalidOption(field, `${name} must be text`);
    const text = String(value);
    if (/[\r\n\0]/.test(text)) throw invalidOption(field, `${name} must be on one line`);
    headers[name] = new Secret(text);
  }
  return headers;
}
