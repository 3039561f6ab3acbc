import { formatMinorPlain } from './money.ts';
import type { CalendarDate, Instant, Minor } from './types.ts';

/** An account's history as handed over on escalation: its invoices, every message sent, its payments. */
export interface AccountHistory {
  accountName: string;
  invoices: {
    number: string;
    issuedOn: CalendarDate;
    dueOn: CalendarDate;
    amount: Minor;
    balance: Minor;
    currency: string;
    status: string;
  }[];
  messages: { at: Instant; step: string; channel: string; recipient: string; state: string }[];
  payments: { at: Instant; invoice: string; amount: Minor; currency: string; status: string }[];
}

/** The history's sections as rows of text cells, shared by the CSV and the PDF. */
export function historySections(history: AccountHistory): { title: string; rows: string[][] }[] {
  const day = (at: Instant) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');
  return [
    {
      title: 'Invoices',
      rows: [
        ['number', 'issued', 'due', 'amount', 'balance', 'currency', 'status'],
        ...history.invoices.map((i) => [
          i.number,
          i.issuedOn,
          i.dueOn,
          formatMinorPlain(i.amount, i.currency),
          formatMinorPlain(i.balance, i.currency),
          i.currency,
          i.status,
        ]),
      ],
    },
    {
      title: 'Messages',
      rows: [
        ['date (UTC)', 'step', 'channel', 'recipient', 'state'],
        ...history.messages.map((m) => [day(m.at), m.step, m.channel, m.recipient, m.state]),
      ],
    },
    {
      title: 'Payments',
      rows: [
        ['date (UTC)', 'invoice', 'amount', 'currency', 'status'],
        ...history.payments.map((p) => [
          day(p.at),
          p.invoice,
          formatMinorPlain(p.amount, p.currency),
          p.currency,
          p.status,
        ]),
      ],
    },
  ];
}

function csvCell(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet: quote it behind an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The history as one CSV file: a `section` column first, so one sheet holds all three tables. */
export function accountHistoryCsv(history: AccountHistory): string {
  const lines: string[] = [];
  for (const section of historySections(history)) {
    const [header, ...rows] = section.rows;
    lines.push(['section', ...(header ?? [])].map(csvCell).join(','));
    for (const row of rows) lines.push([section.title.toLowerCase(), ...row].map(csvCell).join(','));
    lines.push('');
  }
  return `${lines.join('\r\n')}`;
}
