import type { Logger } from 'pino';
import type { DulyConfig } from '../domain/config.ts';
import type { Instant } from '../domain/types.ts';
import type { Store } from '../store/connect.ts';

/** What every use case runs with. The clock is read once, at the top of a use case, never in domain code. */
export interface Ctx {
  store: Store;
  tenantId: string;
  config: DulyConfig;
  clock: () => Instant;
  logger: Logger;
  /** Who is acting, for the audit trail: `cli:<user>`, `api:<key id>`, `system`. */
  actor: string;
}
