import type { AccountFacts, SubjectKind } from '../../domain/types.ts';
import { accountSubject } from './account-subject.ts';
import { contractSubject } from './contract-subject.ts';
import { invoiceSubject } from './invoice-subject.ts';
import { milestoneSubject } from './milestone-subject.ts';
import { paymentSubject } from './payment-subject.ts';
import { reportSubject } from './report-subject.ts';
import type { SubjectHandler } from './subject-handler.ts';

/** Every subject kind's handler: a kind missing here does not compile. */
const HANDLERS: { [K in SubjectKind]: SubjectHandler<any> } = {
  invoice: invoiceSubject,
  payment: paymentSubject,
  contract: contractSubject,
  milestone: milestoneSubject,
  account: accountSubject,
  report: reportSubject,
};

export function subjectHandler(kind: SubjectKind): SubjectHandler<AccountFacts> {
  return HANDLERS[kind];
}

/** Key of a subject in maps that hold facts of several kinds. */
export const subjectKey = (kind: string, id: string) => `${kind}:${id}`;
