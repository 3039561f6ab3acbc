import {
  invalidOption,
  optionalBoolean,
  optionalPort,
  optionalString,
  rejectUnknownOptions,
  requiredString,
} from '../channel-options.ts';
import { Secret } from '../secret.ts';

export interface SmtpConfig {
  channel: string;
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: Secret | null;
  /** `Billing <billing@example.com>` or a bare address. */
  from: string;
  replyTo: string | null;
  /** Right-hand side of our Message-IDs: the sender's domain. */
  messageIdDomain: string;
}

const KNOWN = ['url', 'host', 'port', 'secure', 'user', 'password', 'from', 'reply_to'] as const;
const URL_EXAMPLE = 'smtp://user:password@smtp.example.com:587 or smtps://user:password@smtp.example.com';

export function parseSmtpConfig(options: Record<string, unknown>, channel: string): SmtpConfig {
  rejectUnknownOptions(options, KNOWN, 'smtp');
  const from = requiredString(options, 'from', '"Billing <billing@example.com>"');
  const fromAddress = emailAddressOf(from);
  if (!fromAddress)
    throw invalidOption('from', 'from must be an address like "Billing <billing@example.com>"');
  const replyTo = optionalString(options, 'reply_to');
  if (replyTo !== null && !emailAddressOf(replyTo)) {
    throw invalidOption('reply_to', 'reply_to must be an address like "Accounts <accounts@example.com>"');
  }
  const server = optionalString(options, 'url') === null ? fromParts(options) : fromUrl(options);
  const messageIdDomain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  return { channel, ...server, from, replyTo, messageIdDomain };
}

type Server = Pick<SmtpConfig, 'host' | 'port' | 'secure' | 'user' | 'password'>;

function fromUrl(options: Record<string, unknown>): Server {
  for (const field of ['host', 'port', 'secure', 'user', 'password']) {
    if (options[field] !== undefined) {
      throw invalidOption(
        field,
        `give either url or host/port/secure/user/password, not both; remove ${field}`,
      );
    }
  }
  let url: URL;
  try {
    // The URL is never echoed back: it usually carries the password.
    url = new URL(String(options.url).trim());
  } catch {
    throw invalidOption('url', `url is not a valid address; write it like ${URL_EXAMPLE}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw invalidOption('url', `url must start with smtp:// or smtps://, e.g. ${URL_EXAMPLE}`);
  }
  if (!url.hostname) throw invalidOption('url', `url has no host; write it like ${URL_EXAMPLE}`);
  const secure = url.protocol === 'smtps:';
  const user = url.username ? decodeURIComponent(url.username) : null;
  const password = url.password ? new Secret(decodeURIComponent(url.password)) : null;
  if ((user === null) !== (password === null)) {
    throw invalidOption(
      'url',
      'url must hold both the user and the password (smtp://user:password@host) or neither',
    );
  }
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, secure, user, password };
}

function fromParts(options: Record<string, unknown>): Server {
  const host = optionalString(options, 'host');
  if (host === null) throw invalidOption('url', `set url (${URL_EXAMPLE}) or host`);
  const port = optionalPort(options, 'port');
  const secure = optionalBoolean(options, 'secure') ?? port === 465;
  const user = optionalString(options, 'user');
  const rawPassword = optionalString(options, 'password');
  if (user !== null && rawPassword === null)
    throw invalidOption('password', 'password is required with user');
  if (user === null && rawPassword !== null) throw invalidOption('user', 'user is required with password');
  const password = rawPassword === null ? null : new Secret(rawPassword);
  return { host, port: port ?? (secure ? 465 : 587), secure, user, password };
}

/** The address inside `Name <address>`, or the bare address; null when it does not look like one. */
export function emailAddressOf(text: string): string | null {
  const angled = /<([^<>]*)>\s*$/.exec(text);
  const address = (angled ? angled[1] : text)?.trim() ?? '';
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : null;
}
