import type { SubjectHandler } from './subject-handler.ts';

// Placeholder until the contract trigger lands: nothing of this kind is planned yet.
export const contractSubject: SubjectHandler = {
  kind: 'contract',
  load: async () => new Map(),
  guard: () => ({ kind: 'cancel', reason: 'contract messages are not supported yet' }),
  content: () => ({ accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] }),
};
