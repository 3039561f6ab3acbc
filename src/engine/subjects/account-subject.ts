import type { SubjectHandler } from './subject-handler.ts';

// Placeholder until the account trigger lands: nothing of this kind is planned yet.
export const accountSubject: SubjectHandler = {
  kind: 'account',
  load: async () => new Map(),
  guard: () => ({ kind: 'cancel', reason: 'account messages are not supported yet' }),
  content: () => ({ accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] }),
};
