import { didYouMean } from './did-you-mean.ts';

/**
 * Checks that need the whole file: unique ids, channels and roles that steps name. They read the raw
 * data defensively, so they are reported together with the file's other problems, not after them.
 */

export interface PathIssue {
  path: PropertyKey[];
  message: string;
}

type Raw = Record<string, unknown>;

const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);
const items = (v: unknown): [number, Raw][] =>
  Array.isArray(v) ? v.flatMap((item, i): [number, Raw][] => (isMap(item) ? [[i, item]] : [])) : [];

function duplicateIds(
  entries: [number, Raw][],
  path: PropertyKey[],
  what: string,
  issues: PathIssue[],
): void {
  const seen = new Map<unknown, number>();
  for (const [i, entry] of entries) {
    if (typeof entry.id !== 'string') continue;
    const first = seen.get(entry.id);
    if (first === undefined) seen.set(entry.id, i);
    else
      issues.push({
        path: [...path, i, 'id'],
        message: `"${entry.id}" is already the id of ${what}[${first}]`,
      });
  }
}

export function referenceIssues(input: unknown): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!isMap(input)) return issues;
  const channels = isMap(input.channels) ? Object.keys(input.channels) : [];
  const team = items(input.team);
  const roles = new Set(team.flatMap(([, member]) => list(member.roles)));
  duplicateIds(team, ['team'], 'team', issues);
  const policies = items(input.policies);
  duplicateIds(policies, ['policies'], 'policies', issues);

  for (const [i, policy] of policies) {
    const steps = items(policy.steps);
    duplicateIds(steps, ['policies', i, 'steps'], 'steps', issues);
    for (const [j, step] of steps) {
      const path = ['policies', i, 'steps', j];
      const name = typeof step.id === 'string' ? `step "${step.id}"` : 'this step';
      const via = list(step.via);
      via.forEach((channel, k) => {
        if (typeof channel !== 'string' || channels.includes(channel)) return;
        const known =
          channels.length > 0 ? `; channels are ${channels.join(', ')}` : '; no channels are configured';
        issues.push({
          path: [...path, 'via', ...(Array.isArray(step.via) ? [k] : [])],
          message: `${name} uses channel "${channel}", which is not under channels${didYouMean(channel, channels) || known}`,
        });
      });
      for (const target of list(step.to)) {
        const role = typeof target === 'string' ? /^role:\s*(\S+)$/.exec(target)?.[1] : undefined;
        if (role === undefined || roles.has(role)) continue;
        const hint = didYouMean(role, [...roles].map(String)) || '; add the role to a member under team';
        issues.push({
          path: [...path, 'to'],
          message: `${name} sends to role:${role}, but no team member has it${hint}`,
        });
      }
    }
  }
  return issues;
}
