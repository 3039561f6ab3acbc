import type { DulyConfig, Policy, Step } from '../../src/domain/config.ts';
import type { AddressKinds } from '../../src/domain/recipients.ts';
import type { Account, Contact, Invoice, InvoiceFacts } from '../../src/domain/types.ts';

/** Small builders for domain tests: every field explicit, overridable per test. */

export function step(id: string, days: number, overrides: Partial<Step> = {}): Step {
  return {
    id,
    at: { anchor: 'due', days },
    sendTime: null,
    to: [{ audience: 'client', role: null }],
    via: ['email'],
    deliver: 'first',
    template: id,
    when: null,
    everyDays: null,
    until: null,
    charge: null,
    attachHistory: false,
    ...overrides,
  };
}

export function dunningPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    id: 'standard-dunning',
    name: 'Standard dunning',
    trigger: 'invoice',
    when: null,
    catchUp: 'latest',
    group: true,
    skipPreDueForAutoPay: true,
    schedule: null,
    threshold: null,
    task: null,
    earlyPaymentDiscount: null,
    steps: [
      step('upcoming', -3),
      step('due', 0),
      step('first', 3),
      step('second', 7, { via: ['email', 'sms'], deliver: 'all' }),
      step('final', 14, { via: ['email', 'sms'], deliver: 'all' }),
      step('escalate', 21, {
        to: [{ audience: 'team', role: null }],
        via: ['team'],
        when: { balanceGte: { byCurrency: { USD: 500_000 }, any: null } },
      }),
    ],
    ...overrides,
  };
}

export function testConfig(overrides: Partial<DulyConfig> = {}): DulyConfig {
  return {
    timezone: 'America/New_York',
    locale: 'en-US',
    currency: 'USD',
    sendTime: 9 * 60,
    businessDays: [1, 2, 3, 4, 5, 6, 7],
    holidays: { country: null, dates: [] },
    quietHours: null,
    publicUrl: 'http://127.0.0.1:3000',
    channels: {
      email: { name: 'email', provider: 'sandbox', options: { address: 'email' } },
      sms: { name: 'sms', provider: 'sandbox', options: { address: 'phone' } },
      team: { name: 'team', provider: 'in_app', options: {} },
    },
    team: [
      { id: 'ana', name: 'Ana', email: 'ana@example.com', phone: null, roles: ['manager'], timezone: null },
    ],
    retry: { maxAttempts: 4, baseDelayMs: 30_000, maxDelayMs: 3_600_000 },
    dispatch: { maxInFlight: 8, leaseMs: 300_000, batchSize: 500, sendTimeoutMs: 30_000, planAheadMs: 0 },
    policies: [dunningPolicy()],
    ...overrides,
  };
}

export const ADDRESS_KINDS: AddressKinds = { email: 'email', sms: 'phone', team: null };

export function account(id: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    name: `Account ${id}`,
    timezone: null,
    locale: null,
    currency: null,
    tags: [],
    owner: null,
    pausedUntil: null,
    pauseReason: null,
    autoPay: false,
    policyId: null,
    ...overrides,
  };
}

export function contact(id: string, accountId: string, overrides: Partial<Contact> = {}): Contact {
  return {
    id,
    accountId,
    name: `Contact ${id}`,
    email: `${id}@example.com`,
    phone: null,
    whatsapp: null,
    telegram: null,
    preferredChannel: null,
    timezone: null,
    locale: null,
    optOuts: [],
    ...overrides,
  };
}

export function invoice(
  id: string,
  accountId: string,
  dueOn: string,
  overrides: Partial<Invoice> = {},
): Invoice {
  return {
    id,
    number: `INV-${id}`,
    accountId,
    amount: 120_000,
    balance: 120_000,
    currency: 'USD',
    issuedOn: '2026-01-01',
    dueOn,
    status: 'open',
    disputed: false,
    pausedUntil: null,
    source: 'test',
    externalId: null,
    contractId: null,
    optedOut: false,
    ...overrides,
  };
}

/** One account with one contact and one invoice. */
export function facts(
  dueOn: string,
  options: {
    zone?: string | null;
    invoice?: Partial<Invoice>;
    account?: Partial<Account>;
    contact?: Partial<Contact>;
  } = {},
): InvoiceFacts {
  const acct = account('acme', { timezone: options.zone ?? null, ...options.account });
  return {
    invoice: invoice('i1', acct.id, dueOn, options.invoice),
    account: acct,
    contacts: [contact('c1', acct.id, options.contact)],
  };
}
