import type { Kysely } from 'kysely';
import type { DulyConfig } from '../../domain/config.ts';
import type { GuardDecision, GuardEnv, SendTarget } from '../../domain/send-guard.ts';
import type { AccountFacts, Instant, SubjectKind, Touch } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import type { TemplateInvoice } from '../../templates/renderer.ts';

/** A file handed over with a message (an account's history for an escalation). */
export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What one message says about its subjects, before the template turns it into words. */
export interface SubjectContent {
  accountName: string;
  /** The invoices the message lists (may be empty: a milestone, a contract). */
  invoices: TemplateInvoice[];
  /** Extra template variables of this kind (`payment`, `contract`, `milestone`, `report` …), already formatted. */
  details: Record<string, unknown>;
  payUrl: string | null;
  attachments: Attachment[];
}

/** What is being sent, for a loader that reads more for some steps than others. */
export interface LoadScope {
  config: DulyConfig;
  touches: Pick<Touch, 'subjectId' | 'policyId' | 'stepId'>[];
}

export interface ContentEnv {
  /** The policies a message's steps come from (fees, discounts, attachments). */
  config: DulyConfig;
  publicUrl: string;
  linkSecret: string;
  tenantId: string;
  now: Instant;
}

/**
 * Everything the dispatcher needs to know about one kind of subject: how to read its facts, whether a
 * touch about it may still go out, and what the message says. One per subject kind, in one exhaustive
 * table (subjects/index.ts), so a new kind without a handler does not compile.
 */
export interface SubjectHandler<F extends AccountFacts = AccountFacts> {
  kind: SubjectKind;
  /**
   * Facts for the subjects of these touches; a subject that no longer exists is left out. The touches
   * and config say which steps are about to go out, for facts only some steps need.
   */
  load(
    db: Kysely<Database>,
    tenantId: string,
    ids: string[],
    now: Instant,
    about: LoadScope,
  ): Promise<Map<string, F>>;
  /** The last look before a touch goes out, on facts read in the same transaction. */
  guard(touch: Touch, facts: F | null, now: Instant, env: GuardEnv): GuardDecision;
  /** The content of one message for touches of this kind that go out together. */
  content(touches: Touch[], facts: Map<string, F>, target: SendTarget, env: ContentEnv): SubjectContent;
}
