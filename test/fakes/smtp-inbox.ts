import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  user: string | null;
  parsed: ParsedMail;
}

export interface SmtpInbox {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free loopback port that parses what it accepts. `rejectRecipient` answers
 * RCPT TO with that SMTP code (550 unknown mailbox, 451 try later); `credentials` requires AUTH.
 */
export async function startSmtpInbox(
  options: { rejectRecipient?: number; credentials?: { user: string; password: string } } = {},
): Promise<SmtpInbox> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: options.credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok =
        auth.username === options.credentials?.user && auth.password === options.credentials?.password;
      if (!ok) return callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const code = options.rejectRecipient;
      if (!code) return callback();
      const text = code >= 500 ? 'Mailbox unavailable' : 'Try again later';
      callback(Object.assign(new Error(`${text}: ${address.address}`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            user: typeof session.user === 'string' ? session.user : null,
            parsed,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
