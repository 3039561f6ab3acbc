import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG_PATH, parseConfigText } from '../../src/config/load-config.ts';
import type { DulyConfig } from '../../src/domain/config.ts';
import { CONTRACT_TRIGGERS } from '../../src/domain/contract-plan.ts';

/**
 * The shipped config's contract policies; the team member works in Paris, every day is a
 * business day and there are no quiet hours, so the instants in the tests are easy to check by hand.
 */
export function contractTestConfig(): DulyConfig {
  const shipped = readFileSync(DEFAULT_CONFIG_PATH, 'utf8').replace(
    '  - { id: ana, name: Ana Lopez, email: ana@example.com, roles: [manager, collections] }',
    '  - { id: ana, name: Ana Lopez, email: ana@example.com, roles: [manager, collections], timezone: Europe/Paris }',
  );
  const config = parseConfigText(shipped, 'duly.yaml', { env: {} });
  return {
    ...config,
    businessDays: [1, 2, 3, 4, 5, 6, 7],
    holidays: { country: null, dates: [] },
    quietHours: null,
    // One team member (in Paris): accounts have no owner, so owner notices go to the whole team.
    team: config.team.filter((m) => m.id === 'ana'),
    // Only the contract policies: dunning reminders of the imported invoices are not what is tested.
    policies: config.policies.filter((p) => CONTRACT_TRIGGERS.has(p.trigger)),
  };
}
