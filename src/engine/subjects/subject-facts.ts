import type { Kysely } from 'kysely';
import type { DulyConfig } from '../../domain/config.ts';
import type { AccountFacts, Instant, SubjectKind, Touch } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { subjectHandler } from './index.ts';

/** Facts of every subject the touches are about, by kind then subject id: one read per kind. */
export type SubjectFactsMap = Map<SubjectKind, Map<string, AccountFacts>>;

export async function loadSubjectFacts(
  db: Kysely<Database>,
  tenantId: string,
  touches: Pick<Touch, 'subjectKind' | 'subjectId' | 'policyId' | 'stepId'>[],
  now: Instant,
  config: DulyConfig,
): Promise<SubjectFactsMap> {
  const idsByKind = new Map<SubjectKind, Set<string>>();
  for (const t of touches) {
    const ids = idsByKind.get(t.subjectKind) ?? new Set<string>();
    idsByKind.set(t.subjectKind, ids);
    ids.add(t.subjectId);
  }
  const result: SubjectFactsMap = new Map();
  for (const [kind, ids] of idsByKind) {
    const own = touches.filter((t) => t.subjectKind === kind);
    result.set(kind, await subjectHandler(kind).load(db, tenantId, [...ids], now, { config, touches: own }));
  }
  return result;
}

export function factsOf(map: SubjectFactsMap, touch: Pick<Touch, 'subjectKind' | 'subjectId'>) {
  return map.get(touch.subjectKind)?.get(touch.subjectId) ?? null;
}
