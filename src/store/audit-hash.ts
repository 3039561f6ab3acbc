import { hash } from 'node:crypto';

/** The `prev_hash` of the first entry of every tenant's chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of one audit entry that its hash covers; `data` is the stored canonical JSON text. */
export interface HashedFields {
  prevHash: string;
  seq: number;
  at: number;
  kind: string;
  subject: string;
  actor: string;
  data: string;
}

/**
 * sha256 hex over `[prev_hash, seq, at, kind, subject, actor]` as JSON, a newline, then the data text.
 * The JSON array cannot contain a raw newline, so no two different entries share a preimage.
 */
export function auditHash(entry: HashedFields): string {
  const head = JSON.stringify([entry.prevHash, entry.seq, entry.at, entry.kind, entry.subject, entry.actor]);
  return hash('sha256', `${head}\n${entry.data}`, 'hex');
}

/**
 * JSON with object keys sorted at every level, so that the same data always hashes the same whatever
 * order its keys were built in. Follows JSON.stringify otherwise (toJSON, undefined, non-finite numbers).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return sortKeys(json.call(value));
  if (Array.isArray(value)) return value.map(sortKeys);
  const keys = Object.keys(value);
  // Most entries are flat and built in key order already: hash them as they are, without a copy.
  if (isSorted(keys) && keys.every((k) => isPlain((value as Record<string, unknown>)[k]))) return value;
  if (!isSorted(keys)) keys.sort();
  const sorted: Record<string, unknown> = {};
  for (const key of keys) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}
