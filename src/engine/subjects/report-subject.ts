import type { SubjectHandler } from './subject-handler.ts';

// Placeholder until the report trigger lands: nothing of this kind is planned yet.
export const reportSubject: SubjectHandler = {
  kind: 'report',
  load: async () => new Map(),
  guard: () => ({ kind: 'cancel', reason: 'report messages are not supported yet' }),
  content: () => ({ accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] }),
};
