import type { SubjectHandler } from './subject-handler.ts';

// Placeholder until the payment trigger lands: nothing of this kind is planned yet.
export const paymentSubject: SubjectHandler = {
  kind: 'payment',
  load: async () => new Map(),
  guard: () => ({ kind: 'cancel', reason: 'payment messages are not supported yet' }),
  content: () => ({ accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] }),
};
