import { hash } from 'node:crypto';

/** Rounds of the reference work: 0.17–0.66 s on this project's build machines. */
export const MACHINE_ROUNDS = 200_000;

/** A fixed piece of CPU work (serialising and hashing a small record), the yardstick of machine speed. */
export function referenceWork(rounds: number): string {
  const record = {
    id: 0,
    number: 'INV-000000',
    balance: 123456,
    currency: 'USD',
    due_on: '2026-03-21',
    notes: 'x'.repeat(200),
  };
  let digest = '';
  for (let i = 0; i < rounds; i += 1) {
    record.id = i;
    digest = hash('sha256', JSON.stringify(record) + digest, 'hex');
  }
  return digest;
}

/** Seconds one thread takes for the reference work now, after a short warm-up. */
export function machineSeconds(rounds: number = MACHINE_ROUNDS): number {
  referenceWork(rounds / 10);
  const started = performance.now();
  referenceWork(rounds);
  return Number(((performance.now() - started) / 1000).toFixed(3));
}
