/**
 * Sample values of every subject's template variables (`payment`, `contract`, `milestone`, `report` …),
 * so that each template is tried at start-up with all the variables it may use. A subject kind that
 * adds variables adds its sample here.
 */
export const SAMPLE_DETAILS: Record<string, unknown> = {
  milestone: {
    id: 'M-1',
    round: 'M-1@1773100800000',
    title: 'Website redesign: phase 1',
    amount: '$4,500.00',
    portal_url: 'https://billing.example.com/portal/milestones/TOKEN',
    expires_on: 'Mar 24, 2026',
    state: 'changes_requested',
    decision: 'changes requested',
    note: 'Please use the darker logo on the home page.',
  },
  contract: {
    id: 'C-1',
    name: 'Support plan',
    kind: 'subscription',
    amount: '$1,200.00',
    ends_on: 'Dec 31, 2026',
    renews_on: 'Dec 31, 2026',
    next_invoice_on: 'Apr 1, 2026',
    days_left: 7,
    invoice: { number: 'INV-1042', amount: '$100.00', due_on: 'Apr 15, 2026' },
  },
  fee: { amount: '$9.86', kind: 'interest', rate: '12%', days: 30, total: '$1,009.86' },
  discount: { amount: '$24.00', percent: '2%', pay_by: 'Mar 6, 2026', payable: '$1,176.00' },
  payment: {
    amount: '$1,200.00',
    reason: 'card declined',
    failed_at: 'Mar 10, 2026, 9:15 AM',
    recovered: false,
    recovered_at: 'Mar 10, 2026, 9:16 AM',
    invoice_url: 'https://billing.example.com/invoices/INV-1042',
  },
  task: {
    open: true,
    title: 'Follow up the failed payment on invoice INV-1042 (Acme)',
    owner: 'ana',
    due_on: 'Mar 12, 2026',
    url: 'https://billing.example.com/invoices/INV-1042',
  },
  threshold: { outstanding: '$12,400.00', oldest_overdue_days: 45, history_attached: true },
  report: {
    period: 'March 16, 2026',
    generated: 'March 16, 2026',
    buckets: [{ label: '1-30', totals: '$1,200.00 + €80.00' }],
    total: '$1,200.00 + €80.00',
    top: [{ name: 'Acme', overdue: '$1,200.00', oldest_days: 12 }],
    aging_table: 'Days past due  USD\n-------------  ---\ncurrent        $0.00',
    top_table: 'Account  Overdue\n-------  -------\nAcme     $1,200.00',
    tables: [],
  },
};
