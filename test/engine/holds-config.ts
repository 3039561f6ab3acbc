import { parseConfigText } from '../../src/config/load-config.ts';
import type { DulyConfig } from '../../src/domain/config.ts';

/**
 * The config of the holds, promises and late-charge tests (not the shipped default): every day a business
 * day, no quiet hours, reminders at 09:00 in New York, a late fee and interest, an early-payment discount,
 * an override-only policy, and team notices of broken promises and disputes.
 */
export function holdsTestConfig(extra: { webhookUrl?: string } = {}): DulyConfig {
  const hook = extra.webhookUrl
    ? `  hook: { provider: webhook, url: "${extra.webhookUrl}", secret: "test-webhook-secret-0123456789" }\n`
    : '';
  const feeVia = extra.webhookUrl ? 'hook' : 'email';
  return parseConfigText(
    `timezone: America/New_York
locale: en-US
currency: USD
send_time: "09:00"
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: http://127.0.0.1:3000
channels:
  email: { provider: sandbox, address: email }
  team_email: { provider: sandbox, address: email }
${hook}team:
  - { id: ana, name: Ana Lopez, email: ana@example.com, roles: [manager] }
  - { id: bo, name: Bo Chen, email: bo@example.com }
retry: { max_attempts: 3, base_delay: 1m, max_delay: 10m }
dispatch: { max_in_flight: 4, lease: 5m, batch_size: 500, send_timeout: 5s, plan_ahead: 1h }
policies:
  - id: dunning
    trigger: invoice
    early_payment_discount: { percent: 2, days_before_due: 5 }
    steps:
      - { id: upcoming, at: due-6d, to: client, via: [email], template: upcoming }
      - { id: reminder, at: due-3d, to: client, via: [email], template: upcoming }
      - { id: due, at: due, to: client, via: [email], template: due-today }
      - { id: late-fee, at: due+3d, to: client, via: [${feeVia}], template: overdue-1, fee: 25 }
      - { id: owner-check, at: due+5d, to: owner, via: [team_email], template: escalation }
      - { id: interest, at: due+30d, to: client, via: [email], template: overdue-2, interest: 12% }
  - id: gentle
    trigger: invoice
    when: { tags_any: [chosen-by-hand] }
    steps:
      - { id: soft, at: due+1d, to: client, via: [email], template: still-open }
  - id: promise-broken
    trigger: promise_broken
    steps:
      - { id: tell-owner, at: broken, to: owner, via: [team_email], template: promise-broken }
  - id: disputes
    trigger: dispute
    steps:
      - { id: tell-team, at: disputed, to: team, via: [team_email], template: dispute-opened }
`,
    'holds-test.yaml',
    { env: {} },
  );
}
