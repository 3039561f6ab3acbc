import type { SubjectHandler } from './subject-handler.ts';

// Placeholder until the milestone trigger lands: nothing of this kind is planned yet.
export const milestoneSubject: SubjectHandler = {
  kind: 'milestone',
  load: async () => new Map(),
  guard: () => ({ kind: 'cancel', reason: 'milestone messages are not supported yet' }),
  content: () => ({ accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] }),
};
