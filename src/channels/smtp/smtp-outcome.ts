import type { NodemailerError } from 'nodemailer/lib/errors.js';
import type { SendResult } from '../channel.ts';

/** Errors where the connection, not the message, failed: another try may well succeed. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EPROXY',
  'EMAXLIMIT',
]);

/**
 * Maps a nodemailer error to what the dispatcher decides on. SMTP 5xx (except 503, a session-state
 * error) is final; 4xx, connection trouble, timeouts and unknown errors are worth another try.
 */
export function smtpFailureOutcome(error: unknown, signal: AbortSignal, secrets: string[]): SendResult {
  const err = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  if (signal.aborted || err.code === 'EABORT' || err.name === 'AbortError') {
    return { kind: 'retry', reason: 'timed out or cancelled before the SMTP server confirmed the message' };
  }
  // A rejected login is the channel's fault, not the message's: keep it for when the password is fixed.
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') {
    return {
      kind: 'retry',
      reason: clean(`SMTP login failed; check the channel's user and password`, secrets),
    };
  }
  const code = err.responseCode;
  if (typeof code === 'number') {
    const what =
      err.command === 'RCPT TO' || err.rejected?.length ? 'recipient rejected' : 'SMTP server refused';
    const reason = clean(`${what}: ${err.response ?? `${code} ${err.message}`}`, secrets);
    if (code >= 500 && code !== 503) return { kind: 'failed', reason, field: 'to' };
    return { kind: 'retry', reason };
  }
  if (err.code && CONNECTION_CODES.has(err.code)) {
    const cause =
      err.originalCode && err.originalCode !== err.code ? `${err.code}/${err.originalCode}` : err.code;
    return { kind: 'retry', reason: `could not reach the SMTP server (${cause})` };
  }
  if (err.code === 'EENVELOPE') {
    return { kind: 'failed', reason: clean(`invalid envelope: ${err.message}`, secrets), field: 'to' };
  }
  return {
    kind: 'retry',
    reason: clean(`SMTP error ${err.code ?? ''}: ${err.message ?? String(error)}`, secrets),
  };
}

/** Short, one line, without the channel's secrets or the local part of any email address. */
function clean(reason: string, secrets: string[]): string {
  let text = reason.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret) text = text.split(secret).join('***');
  text = text.replace(/[^\s<>@:;,"']+@([^\s<>@:;,"']+)/g, '***@$1');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
