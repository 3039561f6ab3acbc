import { addDays } from '../domain/calendar-date.ts';
import type { CalendarDate } from '../domain/types.ts';

interface DemoClient {
  id: string;
  name: string;
  contact: string;
  email: string;
  phone: string;
  timezone: string;
  locale: string;
  currency: string;
}

const CLIENTS: DemoClient[] = [
  {
    id: 'acme',
    name: 'Acme Plumbing',
    contact: 'Jane Doe',
    email: 'jane@acme.example',
    phone: '+15550100',
    timezone: 'America/New_York',
    locale: 'en-US',
    currency: 'USD',
  },
  {
    id: 'sakura',
    name: 'Sakura Design',
    contact: 'Yuki Tanaka',
    email: 'yuki@sakura.example',
    phone: '+81355550100',
    timezone: 'Asia/Tokyo',
    locale: 'en-US',
    currency: 'USD',
  },
  {
    id: 'boulangerie',
    name: 'Boulangerie Martin',
    contact: 'Claire Martin',
    email: 'claire@martin.example',
    phone: '+33155550100',
    timezone: 'Europe/Paris',
    locale: 'fr-FR',
    currency: 'EUR',
  },
  {
    id: 'northwind',
    name: 'Northwind Traders',
    contact: 'Sam Patel',
    email: 'sam@northwind.example',
    phone: '+442075550100',
    timezone: 'Europe/London',
    locale: 'en-GB',
    currency: 'GBP',
  },
  {
    id: 'pacific',
    name: 'Pacific Solar',
    contact: 'Maria Garcia',
    email: 'maria@pacific.example',
    phone: '+14155550100',
    timezone: 'America/Los_Angeles',
    locale: 'en-US',
    currency: 'USD',
  },
  {
    id: 'quebec',
    name: 'Érablière Tremblay',
    contact: 'Luc Tremblay',
    email: 'luc@tremblay.example',
    phone: '+15145550100',
    timezone: 'America/Toronto',
    locale: 'fr-CA',
    currency: 'CAD',
  },
];

/** Due-date offsets from today, so the demo always has reminders upcoming, due and overdue. */
const OFFSETS = [5, 3, 0, -3, -7, -14, -21, -35];
const AMOUNTS = ['480.00', '1250.00', '7800.00', '320.50', '2150.75', '9400.00', '640.00', '15300.00'];

/** Demo invoices around `today` as import CSV text (the same columns a user imports). */
export function demoCsv(today: CalendarDate): string {
  const header =
    'account_id,account_name,contact_name,email,phone,timezone,locale,invoice_number,amount,balance,currency,issued_on,due_on,status';
  const lines = [header];
  let n = 1001;
  CLIENTS.forEach((client, c) => {
    for (let i = 0; i < 3; i += 1) {
      const offset = OFFSETS[(c + i * 3) % OFFSETS.length] as number;
      const amount = AMOUNTS[(c * 3 + i) % AMOUNTS.length] as string;
      const due = addDays(today, offset);
      lines.push(
        [
          client.id,
          `"${client.name}"`,
          `"${client.contact}"`,
          client.email,
          client.phone,
          client.timezone,
          client.locale,
          `INV-${n++}`,
          amount,
          amount,
          client.currency,
          addDays(due, -30),
          due,
          'open',
        ].join(','),
      );
    }
  });
  return `${lines.join('\n')}\n`;
}
