import type { AcceptedRequest } from './chaos-provider.ts';
import { isTerminalState } from './chaos-store.ts';

export interface TouchRecord {
  id: string;
  state: string;
  reason: string | null;
  attempts: number;
  invoice: string;
}

export interface PaymentRecord {
  invoice: string;
  /** When `duly pay` returned (ms since the epoch, same clock as the provider's). */
  returnedAt: number;
}

export interface ChaosFigures {
  touches: number;
  kills: number;
  sent: number;
  dead: number;
  cancelled: number;
  skipped: number;
  not_terminal: number;
  lost: number;
  duplicates_raw: number;
  duplicates_after_idempotency: number;
  duplicate_bound: number;
  late_after_payment: number;
  /** Touches the provider accepted that Duly records as cancelled, skipped or dead (informational). */
  accepted_not_recorded_sent: number;
}

export interface ChaosEvidence {
  notTerminal: TouchRecord[];
  lost: TouchRecord[];
  duplicates: { touchId: string; keys: string[]; arrivals: number[] }[];
  late: {
    touchIds: string[];
    invoice: string;
    paidReturnedAt: number;
    acceptedAt: number;
    lateByMs: number;
  }[];
}

/**
 * Checks one chaos run against what the provider accepted: nothing recorded as sent that the provider
 * never took, duplicates within the bound that crashes allow once idempotency keys are honoured, and
 * no message accepted for a paid invoice well after the payment returned.
 */
export function checkChaosRun(input: {
  touches: TouchRecord[];
  accepted: AcceptedRequest[];
  payments: PaymentRecord[];
  kills: number;
  maxInFlight: number;
  sendTimeoutMs: number;
}): { figures: ChaosFigures; evidence: ChaosEvidence } {
  const { touches, accepted, payments } = input;
  const receipts = new Map<string, AcceptedRequest[]>();
  for (const request of accepted) {
    for (const id of request.touchIds) {
      const list = receipts.get(id);
      if (list) list.push(request);
      else receipts.set(id, [request]);
    }
  }
  const byState = (states: string[]) => touches.filter((t) => states.includes(t.state)).length;
  const notTerminal = touches.filter((t) => !isTerminalState(t.state));
  const lost = touches.filter((t) => (t.state === 'sent' || t.state === 'delivered') && !receipts.has(t.id));
  const duplicates: ChaosEvidence['duplicates'] = [];
  let duplicatesRaw = 0;
  for (const [touchId, list] of receipts) {
    if (list.length < 2) continue;
    duplicatesRaw += 1;
    const keys = [...new Set(list.map((r) => r.key))];
    if (keys.length > 1) duplicates.push({ touchId, keys, arrivals: list.map((r) => r.at) });
  }
  const acceptedNotSent = touches.filter(
    (t) => receipts.has(t.id) && ['cancelled', 'skipped', 'dead'].includes(t.state),
  ).length;

  // A payment can only stop what has not been handed to the provider: a send already under way when it
  // returned may still land, within the send timeout (plus a second for the claim that was being made).
  const paidAt = new Map(payments.map((p) => [p.invoice, p.returnedAt]));
  const graceMs = input.sendTimeoutMs + 1000;
  const late: ChaosEvidence['late'] = [];
  for (const request of accepted) {
    if (request.replay) continue;
    for (const invoice of request.invoiceNumbers) {
      const returnedAt = paidAt.get(invoice);
      if (returnedAt !== undefined && request.at > returnedAt + graceMs) {
        late.push({
          touchIds: request.touchIds,
          invoice,
          paidReturnedAt: returnedAt,
          acceptedAt: request.at,
          lateByMs: request.at - returnedAt,
        });
      }
    }
  }

  return {
    figures: {
      touches: touches.length,
      kills: input.kills,
      sent: byState(['sent', 'delivered']),
      dead: byState(['dead']),
      cancelled: byState(['cancelled']),
      skipped: byState(['skipped']),
      not_terminal: notTerminal.length,
      lost: lost.length,
      duplicates_raw: duplicatesRaw,
      duplicates_after_idempotency: duplicates.length,
      duplicate_bound: input.maxInFlight * input.kills,
      late_after_payment: late.length,
      accepted_not_recorded_sent: acceptedNotSent,
    },
    evidence: { notTerminal, lost, duplicates, late },
  };
}

/** The checks that fail a run, each as one line; empty when the run passed. */
export function failedChecks(figures: ChaosFigures, unplannedInvoices: number): string[] {
  const failures: string[] = [];
  if (unplannedInvoices > 0) failures.push(`${unplannedInvoices} owed invoices never got a touch planned`);
  if (figures.not_terminal > 0) failures.push(`${figures.not_terminal} touches are not in a final state`);
  if (figures.lost > 0)
    failures.push(`${figures.lost} touches recorded sent that the provider never accepted`);
  if (figures.duplicates_after_idempotency > figures.duplicate_bound) {
    failures.push(
      `${figures.duplicates_after_idempotency} touches sent under more than one idempotency key; bound ${figures.duplicate_bound}`,
    );
  }
  if (figures.late_after_payment > 0)
    failures.push(
      `${figures.late_after_payment} messages accepted for a paid invoice after the payment returned`,
    );
  return failures;
}
